// The classic PyTorch example: a Net with three fully connected layers (784 → 128 → 64 → 10),
// ReLU, cross-entropy on logits and Adam(lr 1e-3), trained by a hand-written loop of
// ZeroGrad / Backward / Step over a DataLoader. Uses Fashion-MNIST when installed
// (apt-get install dataset-fashion-mnist), otherwise the bundled 8x8 Digits.
using System.Diagnostics;
using Nerva;
using Nerva.Data;
using Nerva.Data.Selection;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Losses;
using Nerva.Optimizers;

RandomState.SetSeed(0);
Tensor xTrain, yTrain, xTest, yTest;
int epochs = args.Length > 0 ? int.Parse(args[0]) : 3;
if (Datasets.FashionMnistAvailable())
{
    Console.WriteLine("Fashion-MNIST");
    (xTrain, yTrain, xTest, yTest) = Datasets.LoadFashionMnist();
    xTrain = xTrain.Reshape(-1, 784);
    xTest = xTest.Reshape(-1, 784);
}
else
{
    Console.WriteLine("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); using the bundled 8x8 Digits");
    var (x, y) = Datasets.LoadDigits();
    (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(x / 16f, y, testSize: 0.2, seed: 0, stratify: y);
}

var net = new Net(xTrain.Dim(1));
var optimizer = new Adam(net.Parameters, learningRate: 1e-3f);
var criterion = new SparseCategoricalCrossentropy(fromLogits: true);
var loader = new DataLoader(new TensorDataset(xTrain, yTrain), batchSize: 64, shuffle: true, seed: 0);

for (int epoch = 1; epoch <= epochs; epoch++)
{
    var clock = Stopwatch.StartNew();
    double total = 0;
    int batches = 0;
    foreach (var (images, labels) in loader)
    {
        optimizer.ZeroGrad();
        var loss = criterion.Call(labels, net.Forward(images, training: true));
        loss.Backward();
        optimizer.Step();
        total += loss.Item();
        batches++;
    }
    Console.WriteLine($"epoch {epoch}  loss {total / batches:F4}  test accuracy {Accuracy(net, xTest, yTest):F4}  ({clock.Elapsed.TotalSeconds:F1} s)");
}

static float Accuracy(Net net, Tensor x, Tensor y)
{
    using var _ = Autograd.NoGrad();
    return net.Forward(x).ArgMax(1).Eq(y).Mean().Item();
}

/// <summary>The network, PyTorch style: layers in fields (found automatically), Forward composes them.</summary>
sealed class Net(int inputs) : Layer
{
    private readonly Dense fc1 = new(128, inputDim: inputs);
    private readonly Dense fc2 = new(64, inputDim: 128);
    private readonly Dense fc3 = new(10, inputDim: 64);

    public override Tensor Forward(Tensor x, bool training = false)
    {
        x = fc1.Forward(x).Relu();
        x = fc2.Forward(x).Relu();
        return fc3.Forward(x);
    }
}
