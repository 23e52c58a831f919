using System.Text.Json;
using Nerva.Losses;
using Nerva.Metrics;

namespace Nerva.Tests.Metrics;

/// <summary>Streaming metrics against scikit-learn's numbers (tests/reference/make_training.py), fed in uneven batches.</summary>
public class MetricReferenceTests
{
    private static JsonElement M => Fixtures.Load("training.json").GetProperty("metrics");
    private static Tensor T(string key) => Fixtures.ToTensor(M.GetProperty(key));
    private static float Expected(string key) => M.GetProperty(key).GetSingle();

    /// <summary>Feeds the data in batches of 7, 13 and the rest, so streaming must be right.</summary>
    private static float Streamed(Metric metric, Tensor y, Tensor p)
    {
        int n = y.Dim(0);
        foreach (var (start, length) in new[] { (0, 7), (7, 13), (20, n - 20) })
            metric.Update(y.Narrow(0, start, length), p.Narrow(0, start, length));
        return metric.Result();
    }

    [Theory]
    [InlineData("binary_accuracy")]
    [InlineData("precision")]
    [InlineData("recall")]
    [InlineData("f1")]
    [InlineData("auc")]
    public void BinaryMetricsMatchScikitLearn(string key)
    {
        Metric metric = key switch
        {
            "binary_accuracy" => new BinaryAccuracy(), "precision" => new Precision(), "recall" => new Recall(),
            "f1" => new F1Score(), _ => new Auc(),
        };
        Assert.Equal(Expected(key), Streamed(metric, T("yBinary"), T("scoreBinary")), 5);
        metric.Reset();
        Assert.Equal(Expected(key), Streamed(metric, T("yBinary"), T("scoreBinary")), 5);
    }

    [Theory]
    [InlineData("multi_accuracy")]
    [InlineData("precision_macro")]
    [InlineData("recall_macro")]
    [InlineData("f1_macro")]
    public void MultiClassMetricsMatchScikitLearn(string key)
    {
        Metric metric = key switch
        {
            "multi_accuracy" => new SparseCategoricalAccuracy(), "precision_macro" => new Precision("macro"),
            "recall_macro" => new Recall("macro"), _ => new F1Score("macro"),
        };
        Assert.Equal(Expected(key), Streamed(metric, T("yMulti"), T("scoresMulti")), 5);
    }

    [Theory]
    [InlineData("mae")]
    [InlineData("mse")]
    [InlineData("rmse")]
    [InlineData("r2")]
    public void RegressionMetricsMatchScikitLearn(string key)
    {
        var metric = MetricRegistry.Get(key);
        Assert.Equal(Expected(key), Streamed(metric, T("yRegression"), T("pRegression")), 4);
    }

    [Fact]
    public void ConfusionMatrixAndReportMatchScikitLearn()
    {
        var matrix = ConfusionMatrix.Compute(T("yMulti"), T("scoresMulti"));
        var expected = M.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(expected[i][j], matrix[i, j]);
        var report = ClassificationReport.Build(T("yMulti"), T("scoresMulti"), ["a", "b", "c"]);
        Assert.Contains("macro avg", report);
        Assert.Contains(Expected("f1_macro").ToString("F2", System.Globalization.CultureInfo.InvariantCulture), report);
    }

    [Fact]
    public void AccuracyFollowsTheLossAsKerasDoes()
    {
        Assert.IsType<BinaryAccuracy>(MetricRegistry.Get("accuracy", new BinaryCrossentropy()));
        Assert.IsType<SparseCategoricalAccuracy>(MetricRegistry.Get("accuracy", new SparseCategoricalCrossentropy()));
        Assert.IsType<CategoricalAccuracy>(MetricRegistry.Get("accuracy", new CategoricalCrossentropy()));
        Assert.Throws<ArgumentException>(() => MetricRegistry.Get("nope"));
    }
}
