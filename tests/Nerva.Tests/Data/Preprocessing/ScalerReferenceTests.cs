using Nerva.Data.Preprocessing;
using static Nerva.Tests.Data.SklearnFixture;

namespace Nerva.Tests.Data.Preprocessing;

/// <summary>StandardScaler, MinMaxScaler, RobustScaler and Normalizer against scikit-learn on iris and breast cancer.</summary>
public class ScalerReferenceTests
{
    public static TheoryData<string> StandardCases => CaseNames("standard_");
    public static TheoryData<string> MinMaxCases => CaseNames("minmax_");
    public static TheoryData<string> RobustCases => CaseNames("robust_");
    public static TheoryData<string> NormalizerCases => CaseNames("normalizer_");

    [Theory]
    [MemberData(nameof(StandardCases))]
    public void StandardScalerMatchesSklearn(string name)
    {
        var c = Case(name);
        var x = Matrix(c.GetProperty("input"));
        var scaler = new StandardScaler(c.GetProperty("withMean").GetBoolean(), c.GetProperty("withStd").GetBoolean());
        var y = scaler.FitTransform(x);
        AssertClose(Floats(c.GetProperty("mean")), scaler.Mean!, "mean");
        // sklearn keeps var_ only when dividing by the std.
        if (scaler.WithStd) AssertClose(Floats(c.GetProperty("var")), scaler.Variance!, "variance");
        if (scaler.WithStd) AssertClose(Floats(c.GetProperty("scale")), scaler.Scale!, "scale");
        AssertClose(Matrix(c.GetProperty("output")), y, "output");
        AssertClose(x, scaler.InverseTransform(y), "inverse", 1e-4f);
    }

    [Theory]
    [MemberData(nameof(MinMaxCases))]
    public void MinMaxScalerMatchesSklearn(string name)
    {
        var c = Case(name);
        var x = Matrix(c.GetProperty("input"));
        var scaler = new MinMaxScaler(c.GetProperty("min").GetSingle(), c.GetProperty("max").GetSingle());
        var y = scaler.FitTransform(x);
        AssertClose(Floats(c.GetProperty("dataMin")), scaler.DataMin!, "dataMin");
        AssertClose(Floats(c.GetProperty("dataMax")), scaler.DataMax!, "dataMax");
        AssertClose(Floats(c.GetProperty("scale")), scaler.Scale!, "scale");
        AssertClose(Floats(c.GetProperty("offset")), scaler.Offset!, "offset");
        AssertClose(Matrix(c.GetProperty("output")), y, "output");
        AssertClose(x, scaler.InverseTransform(y), "inverse", 1e-4f);
    }

    [Theory]
    [MemberData(nameof(RobustCases))]
    public void RobustScalerMatchesSklearn(string name)
    {
        var c = Case(name);
        var x = Matrix(c.GetProperty("input"));
        var scaler = new RobustScaler(quantileMin: c.GetProperty("qMin").GetSingle(), quantileMax: c.GetProperty("qMax").GetSingle());
        var y = scaler.FitTransform(x);
        AssertClose(Floats(c.GetProperty("center")), scaler.Center!, "center");
        AssertClose(Floats(c.GetProperty("scale")), scaler.Scale!, "scale");
        AssertClose(Matrix(c.GetProperty("output")), y, "output");
        AssertClose(x, scaler.InverseTransform(y), "inverse", 1e-4f);
    }

    [Theory]
    [MemberData(nameof(NormalizerCases))]
    public void NormalizerMatchesSklearn(string name)
    {
        var c = Case(name);
        var normalizer = new Normalizer(c.GetProperty("norm").GetString()!);
        AssertClose(Matrix(c.GetProperty("output")), normalizer.FitTransform(Matrix(c.GetProperty("input"))), "output");
    }

    [Fact]
    public void ConstantColumnIsCentredNotDivided()
    {
        // Column 1 is constant: sklearn keeps scale 1 (no division by zero) in every scaler.
        var x = Tensor.FromArray([1f, 5f, 2f, 5f, 4f, 5f], 3, 2);
        var standard = new StandardScaler();
        standard.Fit(x);
        Assert.Equal(1f, standard.Scale![1]);
        Assert.Equal([0f, 0f, 0f], Column(new StandardScaler().FitTransform(x), 1));
        Assert.Equal([0f, 0f, 0f], Column(new MinMaxScaler().FitTransform(x), 1));
        Assert.Equal([0f, 0f, 0f], Column(new RobustScaler().FitTransform(x), 1));
    }

    [Fact]
    public void MissingValuesAreIgnoredByFitAndKeptByTransform()
    {
        var x = Tensor.FromArray([1f, float.NaN, 3f, 5f], 4, 1);
        var scaler = new StandardScaler();
        var y = scaler.FitTransform(x);
        Assert.Equal(3f, scaler.Mean![0]);
        Assert.True(float.IsNaN(y[1, 0]));
    }

    [Fact]
    public void MinMaxClipKeepsUnseenValuesInRange()
    {
        var scaler = new MinMaxScaler(clip: true);
        scaler.Fit(Tensor.FromArray([0f, 10f], 2, 1));
        Assert.Equal([0f, 0.5f, 1f], scaler.Transform(Tensor.FromArray([-5f, 5f, 20f], 3, 1)).ToArray());
    }

    private static float[] Column(Tensor t, int j) => Enumerable.Range(0, t.Shape[0]).Select(i => t[i, j]).ToArray();
}
