using Nerva.Data;

namespace Nerva.Tests.Data;

public class DatasetsTests
{
    [Fact]
    public void IrisIsBundled()
    {
        var (x, y) = Datasets.LoadIris();
        Assert.Equal([150, 4], x.Shape);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], x.ToArray()[..4]);
        Assert.Equal([50f, 50f, 50f], Enumerable.Range(0, 3).Select(c => y.Eq(c).Sum().Item()));
    }

    [Fact]
    public void DigitsAreBundledAsRowsOrImages()
    {
        var (x, y) = Datasets.LoadDigits();
        Assert.Equal([1797, 64], x.Shape);
        Assert.Equal(16f, x.Max().Item());
        Assert.Equal(9f, y.Max().Item());
        Assert.Equal([1797, 8, 8, 1], Datasets.LoadDigits(asImages: true).Features.Shape);
    }

    [Fact]
    public void BreastCancerAndDiabetesAreBundled()
    {
        var (x, y) = Datasets.LoadBreastCancer();
        Assert.Equal([569, 30], x.Shape);
        Assert.Equal(357f, y.Sum().Item()); // benign = 1
        var (d, t) = Datasets.LoadDiabetes();
        Assert.Equal([442, 10], d.Shape);
        Assert.Equal([442], t.Shape);
        Assert.Equal(151f, t[0]);
    }

    [Fact]
    public void FashionMnistLoadsWhenInstalled()
    {
        if (!Datasets.FashionMnistAvailable()) return; // optional: apt-get install dataset-fashion-mnist
        var (trainX, trainY, testX, testY) = Datasets.LoadFashionMnist();
        Assert.Equal([60000, 28, 28, 1], trainX.Shape);
        Assert.Equal([10000], testY.Shape);
        Assert.Equal([10000, 28, 28, 1], testX.Shape);
        Assert.Equal(9f, trainY.Max().Item());
        Assert.InRange(trainX.Max().Item(), 0.99f, 1f);
    }
}
