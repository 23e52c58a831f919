using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Losses;
using Nerva.Models;
using Nerva.Optimizers;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Nerva.Benchmarks;

/// <summary>
/// The Keras MNIST CNN (issue 5's sample network), Conv32-Pool-Conv64-Pool-Conv64-Dense64-Dense10,
/// built alike in both libraries with Adam and logits + cross-entropy.
/// </summary>
internal sealed class MnistCnn
{
    public const string Architecture = "Conv32-Pool-Conv64-Pool-Conv64-Dense64-Dense10";

    public Sequential NervaModel { get; }
    public torch.nn.Module<torch.Tensor, torch.Tensor> TorchModel { get; }
    public torch.optim.Optimizer TorchOptimizer { get; }
    public torch.nn.Module<torch.Tensor, torch.Tensor, torch.Tensor> TorchLoss { get; } = CrossEntropyLoss();

    public MnistCnn()
    {
        NervaModel = CreateNervaModel();
        TorchModel = CreateTorchModel();
        TorchOptimizer = torch.optim.Adam(TorchModel.parameters(), 1e-3);
    }

    /// <summary>The Nerva network, compiled with Adam and cross-entropy on logits (seeded, so every instance starts alike).</summary>
    public static Sequential CreateNervaModel()
    {
        RandomState.SetSeed(0);
        var model = new Sequential(
            new Conv2D(32, 3, activation: "relu"), new MaxPooling2D(2),
            new Conv2D(64, 3, activation: "relu"), new MaxPooling2D(2),
            new Conv2D(64, 3, activation: "relu"), new Flatten(),
            new Dense(64, "relu"), new Dense(10));
        model.Compile(new Adam(learningRate: 1e-3f), new SparseCategoricalCrossentropy(fromLogits: true));
        return model;
    }

    /// <summary>The same network in TorchSharp, NCHW; with one input channel the image bytes are the same in both layouts.</summary>
    public static torch.nn.Module<torch.Tensor, torch.Tensor> CreateTorchModel() => Sequential(
        ("conv1", Conv2d(1, 32, 3)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
        ("conv2", Conv2d(32, 64, 3)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
        ("conv3", Conv2d(64, 64, 3)), ("relu3", ReLU()), ("flatten", Flatten()),
        ("fc1", Linear(576, 64)), ("relu4", ReLU()), ("fc2", Linear(64, 10)));

    /// <summary>Nerva's images [N, 28, 28, 1] as a TorchSharp NCHW tensor.</summary>
    public static torch.Tensor TorchImages(Tensor images) => torch.tensor(images.ToArray(), [images.Dim(0), 1, 28, 28]);

    /// <summary>Nerva's float labels as the int64 class indices CrossEntropyLoss takes.</summary>
    public static torch.Tensor TorchLabels(Tensor labels) => torch.tensor(labels.ToArray().Select(v => (long)v).ToArray(), [labels.Dim(0)]);

    /// <summary>One TorchSharp training step on a fixed batch.</summary>
    public void TorchStep(torch.Tensor x, torch.Tensor y) =>
        TorchLoop.Step(TorchOptimizer, () => TorchLoss.forward(TorchModel.forward(x), y));

    /// <summary>TorchSharp inference as its users write it: no gradients, a dispose scope.</summary>
    public void TorchPredict(torch.Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        TorchModel.forward(x);
    }
}
