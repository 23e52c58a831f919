// Recurrent networks on the bundled 8×8 Digits: each image is read as a sequence of 8 rows of
// 8 pixels, so the class must be gathered step by step. Trains SimpleRNN, LSTM and GRU of the same
// width (each → Dense(10, softmax)) with Adam and reports their size, training time and test accuracy.
// On sequences this short the plain SimpleRNN learns fastest; the gated cells (more weights, a
// forget bias starting at 1) need more epochs to catch up. Optional argument: epochs (default 30).
using System.Diagnostics;
using Nerva;
using Nerva.Data;
using Nerva.Data.Selection;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Models;

int epochs = args.Length > 0 ? int.Parse(args[0]) : 30;
var (x, y) = Datasets.LoadDigits();
// [images, 64] pixels 0–16 → [images, 8 steps, 8 features] in [0, 1].
var sequences = (x / 16f).Reshape(-1, 8, 8);
var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(sequences, y, testSize: 0.2, seed: 7, stratify: y);
Console.WriteLine($"Digits as sequences: {xTrain.Shape[0]} training and {xTest.Shape[0]} test images, 8 steps of 8 pixels each");

foreach (var (name, recurrent) in new (string, Func<Layer>)[]
{
    ("SimpleRNN", () => new SimpleRNN(64)),
    ("LSTM", () => new LSTM(64)),
    ("GRU", () => new GRU(64)),
})
{
    RandomState.SetSeed(7);
    var model = new Sequential(recurrent(), new Dense(10, "softmax"));
    model.Compile("adam", "sparse_categorical_crossentropy", "accuracy");
    model.Build(8, 8);
    var clock = Stopwatch.StartNew();
    var history = model.Fit(xTrain, yTrain, epochs: epochs, batchSize: 32, verbose: 0, seed: 1);
    double seconds = clock.Elapsed.TotalSeconds;
    var test = model.Evaluate(xTest, yTest);
    Console.WriteLine($"{name,-9} {model.CountParameters(),6} parameters  {epochs} epochs in {seconds:F1} s  " +
        $"final training loss {history["loss"][^1]:F4}  test accuracy {test["accuracy"]:F4}");
}
