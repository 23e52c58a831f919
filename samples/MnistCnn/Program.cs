// The classic Keras CNN: Conv2D(32, 3, relu) → MaxPooling2D(2) → Conv2D(64, 3, relu) → MaxPooling2D(2)
// → Conv2D(64, 3, relu) → Flatten → Dense(64, relu) → Dense(10, softmax), Adam, sparse categorical
// cross-entropy, batch 64. Fashion-MNIST when installed (apt-get install dataset-fashion-mnist),
// otherwise the bundled 8x8 Digits upsampled to 16x16 (the same network fits it).
using Nerva;
using Nerva.Data;
using Nerva.Data.Selection;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Models;

// Arguments: epochs (default 5), then a seed for the weights and the shuffling (default 0).
int epochs = args.Length > 0 ? int.Parse(args[0]) : 5;
int seed = args.Length > 1 ? int.Parse(args[1]) : 0;
RandomState.SetSeed(seed);
Tensor xTrain, yTrain, xTest, yTest;
if (Datasets.FashionMnistAvailable())
{
    Console.WriteLine("Fashion-MNIST");
    (xTrain, yTrain, xTest, yTest) = Datasets.LoadFashionMnist();
}
else
{
    Console.WriteLine("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); using the bundled 8x8 Digits, upsampled to 16x16");
    var (x, y) = Datasets.LoadDigits(asImages: true);
    x = new UpSampling2D().Forward(x / 16f);
    (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(x, y, testSize: 0.2, seed: 0, stratify: y);
}

var model = new Sequential(
    new Conv2D(32, 3, activation: "relu"),
    new MaxPooling2D(2),
    new Conv2D(64, 3, activation: "relu"),
    new MaxPooling2D(2),
    new Conv2D(64, 3, activation: "relu"),
    new Flatten(),
    new Dense(64, "relu"),
    new Dense(10, "softmax"));
model.Compile("adam", "sparse_categorical_crossentropy", "accuracy");
model.Build(xTrain.Shape[1..]);
Console.WriteLine(model.Summary());

model.Fit(xTrain, yTrain, epochs: epochs, batchSize: 64, seed: seed);
var result = model.Evaluate(xTest, yTest, batchSize: 256);
Console.WriteLine($"test loss {result["loss"]:F4}  test accuracy {result["accuracy"]:F4}");

var path = Path.Combine(Path.GetTempPath(), "mnist_cnn.nerva");
model.Save(path);
var reloaded = Model.Load(path);
var sample = xTest.Narrow(0, 0, 8);
Console.WriteLine($"saved to {path}; reloaded model predicts {string.Join(" ", reloaded.Predict(sample).ArgMax(1).ToArray())} " +
    $"for labels {string.Join(" ", yTest.Narrow(0, 0, 8).ToArray())}");
