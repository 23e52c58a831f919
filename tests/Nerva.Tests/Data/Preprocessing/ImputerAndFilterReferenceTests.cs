using Nerva.Data.Preprocessing;
using static Nerva.Tests.Data.SklearnFixture;

namespace Nerva.Tests.Data.Preprocessing;

/// <summary>SimpleImputer against scikit-learn; Outliers against the NumPy/SciPy formulas; Duplicates by hand.</summary>
public class ImputerAndFilterReferenceTests
{
    [Theory]
    [InlineData("mean")]
    [InlineData("median")]
    [InlineData("most_frequent")]
    [InlineData("constant")]
    public void SimpleImputerMatchesSklearn(string strategy)
    {
        var c = Case("imputer_" + strategy);
        var imputer = new SimpleImputer(strategy, c.GetProperty("fillValue").GetSingle());
        var y = imputer.FitTransform(Matrix(c.GetProperty("input")));
        AssertClose(Floats(c.GetProperty("statistics")), imputer.Statistics!, "statistics");
        AssertClose(Matrix(c.GetProperty("output")), y, "output");
        AssertClose(Matrix(c.GetProperty("testOutput")), imputer.Transform(Matrix(c.GetProperty("test"))), "test");
        Assert.DoesNotContain(y.ToArray(), float.IsNaN);
    }

    [Fact]
    public void ImputerFillsAnEmptyColumnWithZero()
    {
        var x = Tensor.FromArray([1f, float.NaN, 3f, float.NaN], 2, 2);
        Assert.Equal([1f, 0f, 3f, 0f], new SimpleImputer("median").FitTransform(x).ToArray());
    }

    [Theory]
    [InlineData("outliers_iris")]
    [InlineData("outliers_bc")]
    public void OutliersMatchNumpy(string name)
    {
        var c = Case(name);
        var x = Matrix(c.GetProperty("input"));
        float threshold = c.GetProperty("threshold").GetSingle();
        Assert.Equal(Ints(c.GetProperty("zscoreKept")), Outliers.KeptRowsZScore(x, threshold));
        Assert.Equal(Ints(c.GetProperty("iqrKept")), Outliers.KeptRowsIqr(x));
        var kept = Ints(c.GetProperty("iqrKept"));
        var (xf, yf) = Outliers.RemoveIqr(x, Tensor.Arange(x.Shape[0]));
        Assert.Equal([kept.Length, x.Shape[1]], xf.Shape);
        Assert.Equal(kept.Select(i => (float)i).ToArray(), yf.ToArray());
        Assert.Equal(x[kept[^1], 2], xf[kept.Length - 1, 2]);
    }

    [Fact]
    public void ZScoreDropsTheFarValue()
    {
        var x = Tensor.FromArray([1f, 2f, 1f, 2f, 1f, 2f, 1f, 2f, 1f, 100f], 10, 1);
        Assert.Equal(9, Outliers.RemoveZScore(x, 2f).Shape[0]);
        Assert.Equal(10, Outliers.RemoveZScore(x, 4f).Shape[0]);
    }

    [Fact]
    public void DuplicatesKeepFirstOccurrences()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 1f, 2f, float.NaN, 0f, float.NaN, -0f, 3f, 4f], 6, 2);
        Assert.Equal([0, 1, 3], Duplicates.KeptRows(x));
        var (xd, yd) = Duplicates.Remove(x, Tensor.FromArray([10f, 11f, 12f, 13f, 14f, 15f]));
        Assert.Equal([3, 2], xd.Shape);
        Assert.Equal([10f, 11f, 13f], yd.ToArray());
        // Rows of higher rank (images) compare whole.
        var images = Tensor.FromArray([1f, 2f, 3f, 4f, 1f, 2f, 3f, 4f, 1f, 2f, 3f, 5f], 3, 2, 2);
        Assert.Equal([2, 2, 2], Duplicates.Remove(images).Shape);
    }
}
