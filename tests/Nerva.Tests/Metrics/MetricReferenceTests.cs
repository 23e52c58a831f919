using System.Text.Json;
using Nerva.Metrics;

namespace Nerva.Tests.Metrics;

/// <summary>
/// Streaming metrics against scikit-learn's numbers (tests/reference/make_metrics.py →
/// fixtures/metrics.json), fed in uneven batches, with and without sample weights, and again
/// after Reset.
/// </summary>
public class MetricReferenceTests
{
    private static JsonElement Root => Fixtures.Load("metrics.json");
    private static Tensor Data(string key) => Fixtures.ToTensor(Root.GetProperty("data").GetProperty(key));
    private static JsonElement Expected(string key) => Root.GetProperty("expected").GetProperty(key);

    /// <summary>Feeds the data in the fixture's uneven batches (7, 13, 21), so streaming must be right.</summary>
    private static float Streamed(Metric metric, Tensor y, Tensor p, Tensor? weight = null)
    {
        int start = 0;
        foreach (var size in Root.GetProperty("batches").EnumerateArray().Select(b => b.GetInt32()))
        {
            metric.Update(y.Narrow(0, start, size), p.Narrow(0, start, size), weight?.Narrow(0, start, size));
            start += size;
        }
        Assert.Equal(y.Dim(0), start);
        return metric.Result();
    }

    /// <summary>Checks the streamed result, unweighted and weighted, each after a Reset of the same metric.</summary>
    private static void Check(Metric metric, string key, Tensor y, Tensor p, int digits = 5)
    {
        Assert.Equal(Expected(key).GetDouble(), Streamed(metric, y, p), digits);
        metric.Reset();
        Assert.Equal(Expected(key + "_weighted").GetDouble(), Streamed(metric, y, p, Data("weight")), digits);
        metric.Reset();
        Assert.Equal(Expected(key).GetDouble(), Streamed(metric, y, p), digits);
    }

    public static TheoryData<string> BinaryKeys() =>
        ["binary_accuracy", "precision", "recall", "f1", "auc", "binary_accuracy_t03", "precision_t03", "recall_t03", "f1_t03"];

    [Theory]
    [MemberData(nameof(BinaryKeys))]
    public void BinaryMetricsMatchScikitLearn(string key)
    {
        float threshold = key.EndsWith("_t03") ? 0.3f : 0.5f;
        Metric metric = key.Replace("_t03", "") switch
        {
            "binary_accuracy" => new BinaryAccuracy(threshold),
            "precision" => new Precision(threshold: threshold),
            "recall" => new Recall(threshold: threshold),
            "f1" => new F1Score(threshold: threshold),
            _ => new Auc(),
        };
        Check(metric, key, Data("yBinary"), Data("scoreBinary"));
        // [n, 1] predictions and targets give the same numbers.
        metric.Reset();
        Assert.Equal(Expected(key).GetDouble(), Streamed(metric, Data("yBinary").Reshape(-1, 1), Data("scoreBinary").Reshape(-1, 1)), 5);
    }

    [Fact]
    public void AucReadsThePositiveColumnOfTwoColumnScores()
    {
        var p = Data("scoreBinary");
        var twoColumns = Tensor.Stack([1f - p, p], 1);
        Assert.Equal(Expected("auc").GetDouble(), Streamed(new Auc(), Data("yBinary"), twoColumns), 5);
    }

    [Theory]
    [InlineData("multi_accuracy")]
    [InlineData("categorical_accuracy")]
    [InlineData("precision_macro")]
    [InlineData("recall_macro")]
    [InlineData("f1_macro")]
    public void MultiClassMetricsMatchScikitLearn(string key)
    {
        var y = Data("yMulti");
        Metric metric = key switch
        {
            "multi_accuracy" => new SparseCategoricalAccuracy(),
            "categorical_accuracy" => new CategoricalAccuracy(),
            "precision_macro" => new Precision("macro"),
            "recall_macro" => new Recall("macro"),
            _ => new F1Score("macro"),
        };
        if (key == "categorical_accuracy") (key, y) = ("multi_accuracy", Data("oneHotMulti"));
        Check(metric, key, y, Data("scoresMulti"));
    }

    [Theory]
    [InlineData("precision")]
    [InlineData("recall")]
    [InlineData("f1")]
    public void MacroAveragesSkipUnseenClassesAndCountZeroDivisionAsZero(string key)
    {
        Metric metric = key switch { "precision" => new Precision("macro"), "recall" => new Recall("macro"), _ => new F1Score("macro") };
        Assert.Equal(Expected($"{key}_macro_4").GetDouble(), Streamed(metric, Data("y4"), Data("scores4")), 5);
    }

    [Theory]
    [InlineData("mae")]
    [InlineData("mse")]
    [InlineData("rmse")]
    [InlineData("r2")]
    public void RegressionMetricsMatchScikitLearn(string key) =>
        Check(MetricRegistry.Get(key), key, Data("yRegression"), Data("pRegression"), digits: 4);

    [Theory]
    [InlineData("r2")]
    [InlineData("mae")]
    public void RegressionMetricsStayAccurateForTargetsWithALargeMean(string key) =>
        Check(MetricRegistry.Get(key), key + "_large", Data("yLarge"), Data("pLarge"), digits: 4);

    [Fact]
    public void ConfusionMatrixMatchesScikitLearn()
    {
        AssertMatrix(Expected("confusion"), ConfusionMatrix.Compute(Data("yMulti"), Data("scoresMulti")));
        AssertMatrix(Expected("confusion"), ConfusionMatrix.Compute(Data("oneHotMulti"), Data("scoresMulti").ArgMax(-1)));
        AssertMatrix(Expected("confusion_4"), ConfusionMatrix.Compute(Data("y4"), Data("scores4"), numClasses: 4));
    }

    [Fact]
    public void ClassificationReportMatchesScikitLearnCharacterForCharacter()
    {
        Assert.Equal(Expected("report_named").GetString(), ClassificationReport.Build(Data("yMulti"), Data("scoresMulti"), ["cat", "dog", "bird"]));
        Assert.Equal(Expected("report_digits4").GetString(), ClassificationReport.Build(Data("yMulti"), Data("scoresMulti"), digits: 4));
        Assert.Equal(Expected("report_4").GetString(), ClassificationReport.Build(Data("y4"), Data("scores4")));
    }

    private static void AssertMatrix(JsonElement expected, int[,] actual)
    {
        var rows = expected.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(rows.Length, actual.GetLength(0));
        Assert.Equal(rows.Length, actual.GetLength(1));
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows.Length; j++) Assert.True(rows[i][j] == actual[i, j], $"[{i}, {j}]: {actual[i, j]}, expected {rows[i][j]}");
    }
}
