// A small residual network built with the functional API: augmentation layers (active only while
// training), a convolution stem, three residual blocks (Conv2D → BatchNormalization → ReLU, twice,
// plus a shortcut; a strided 1×1 convolution where the shape changes), GlobalAveragePooling2D and a
// softmax classifier. Fashion-MNIST when installed (apt-get install dataset-fashion-mnist), otherwise
// the bundled 8x8 Digits upsampled to 16x16.
using Nerva;
using Nerva.Data;
using Nerva.Data.Selection;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Models;

RandomState.SetSeed(0);
int epochs = args.Length > 0 ? int.Parse(args[0]) : 2;
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

var inputs = new Input(xTrain.Shape[1..]);
// Clothes look the same mirrored; a shift of up to 2 pixels keeps them recognisable.
var augmented = new RandomFlip("horizontal").Apply(inputs);
augmented = new RandomTranslation(0.08f, 0.08f, fillMode: "constant").Apply(augmented);
var features = ConvBnRelu(augmented, 16, strides: 1);
features = ResidualBlock(features, 16, strides: 1);
features = ResidualBlock(features, 32, strides: 2);
features = ResidualBlock(features, 64, strides: 2);
var pooled = new GlobalAveragePooling2D().Apply(features);
var outputs = new Dense(10, "softmax").Apply(pooled);
var model = new Model(inputs, outputs, "residual_cnn");

model.Compile("adam", "sparse_categorical_crossentropy", "accuracy");
Console.WriteLine(model.Summary());
model.Fit(xTrain, yTrain, epochs: epochs, batchSize: 64, seed: 0);
var result = model.Evaluate(xTest, yTest, batchSize: 256);
Console.WriteLine($"test loss {result["loss"]:F4}  test accuracy {result["accuracy"]:F4}");

var path = Path.Combine(Path.GetTempPath(), "residual_cnn.nerva");
model.Save(path);
var reloaded = Model.Load(path);
var sample = xTest.Narrow(0, 0, 8);
Console.WriteLine($"saved to {path}; reloaded model predicts {string.Join(" ", reloaded.Predict(sample).ArgMax(1).ToArray())} " +
    $"for labels {string.Join(" ", yTest.Narrow(0, 0, 8).ToArray())}");

// The convolution needs no bias: the batch normalization after it has its own shift. Momentum 0.9
// (PyTorch's default) instead of Keras's 0.99: over a two-epoch run the moving statistics must
// follow weights that still change quickly; at 0.99 they lag by ~100 steps and the test accuracy
// in inference mode trails the training accuracy.
static SymbolicTensor ConvBn(SymbolicTensor x, int filters, int kernelSize, int strides) =>
    new BatchNormalization(momentum: 0.9f).Apply(new Conv2D(filters, kernelSize, strides, padding: "same", useBias: false).Apply(x));

static SymbolicTensor ConvBnRelu(SymbolicTensor x, int filters, int strides) =>
    new Activation("relu").Apply(ConvBn(x, filters, 3, strides));

// y = relu(F(x) + shortcut(x)), the basic block of He et al. (2016).
static SymbolicTensor ResidualBlock(SymbolicTensor x, int filters, int strides)
{
    var residual = ConvBn(ConvBnRelu(x, filters, strides), filters, 3, 1);
    var shortcut = strides == 1 && x.Shape[^1] == filters ? x : ConvBn(x, filters, 1, strides);
    return new Activation("relu").Apply(new Add().Apply(residual, shortcut));
}
