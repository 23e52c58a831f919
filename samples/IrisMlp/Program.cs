// The classic Keras example on Iris: scale the features, hold out a stratified 20 % for testing,
// train Dense(10, relu) → Dense(3, softmax) with Adam and sparse categorical cross-entropy
// for 100 epochs in batches of 16, then evaluate on the held-out flowers.
using Nerva;
using Nerva.Data;
using Nerva.Data.Preprocessing;
using Nerva.Data.Selection;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Models;

RandomState.SetSeed(42);
var (x, y) = Datasets.LoadIris();
var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(x, y, testSize: 0.2, seed: 42, stratify: y);
var scaler = new StandardScaler();
xTrain = scaler.FitTransform(xTrain);
xTest = scaler.Transform(xTest);

var model = new Sequential(
    new Dense(10, "relu"),
    new Dense(3, "softmax"));
model.Compile("adam", "sparse_categorical_crossentropy", "accuracy");
model.Build(4);
Console.WriteLine(model.Summary());

model.Fit(xTrain, yTrain, epochs: 100, batchSize: 16, verbose: 0, seed: 1,
    callbacks: [new Nerva.Callbacks.LambdaCallback(onEpochEnd: (epoch, logs) =>
    {
        if ((epoch + 1) % 10 == 0) Console.WriteLine($"epoch {epoch + 1,3}  loss {logs["loss"]:F4}  accuracy {logs["accuracy"]:F4}");
    })]);

var result = model.Evaluate(xTest, yTest);
Console.WriteLine($"test loss {result["loss"]:F4}  test accuracy {result["accuracy"]:F4}");
var predicted = model.Predict(xTest.Narrow(0, 0, 5)).ArgMax(1).ToArray();
Console.WriteLine("first five test flowers: predicted " + string.Join(", ", predicted.Select(c => Datasets.IrisClasses[(int)c])) +
    "; actual " + string.Join(", ", yTest.Narrow(0, 0, 5).ToArray().Select(c => Datasets.IrisClasses[(int)c])));
