using Nerva.Data;

namespace Nerva.Benchmarks;

/// <summary>
/// Fashion-MNIST for the training workloads, loaded once per process. Where it is not installed the
/// workloads time random data of the same shape instead (timings stay comparable; what the models
/// learn does not), and <see cref="Description"/> says so.
/// </summary>
internal static class FashionMnistData
{
    private static readonly Lazy<(Tensor Images, Tensor Labels, (Tensor, Tensor)? Test)> Data = new(Load);

    /// <summary>Whether the data are random stand-ins.</summary>
    public static bool Synthetic => !Datasets.FashionMnistAvailable();

    public static string Description => Synthetic ? "random data (Fashion-MNIST missing)" : "Fashion-MNIST";

    /// <summary>60,000 images [N, 28, 28, 1] in [0, 1] and labels 0..9.</summary>
    public static (Tensor Images, Tensor Labels) Train => (Data.Value.Images, Data.Value.Labels);

    /// <summary>The 10,000 test images and labels; null for random data, where a score would mean nothing.</summary>
    public static (Tensor Images, Tensor Labels)? Test => Data.Value.Test;

    private static (Tensor, Tensor, (Tensor, Tensor)?) Load()
    {
        if (!Synthetic)
        {
            var (images, labels, testImages, testLabels) = Datasets.LoadFashionMnist();
            return (images, labels, (testImages, testLabels));
        }
        Console.WriteLine("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); timing on random images of the same shape");
        var random = new Random(0);
        var randomLabels = Tensor.FromArray(Enumerable.Range(0, 60000).Select(_ => (float)random.Next(10)).ToArray());
        return (Tensor.RandomUniform([60000, 28, 28, 1], seed: 0), randomLabels, null);
    }
}
