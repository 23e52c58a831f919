using System.Text.Json;
using Nerva.Losses;

namespace Nerva.Tests.Losses;

/// <summary>Every loss's value and gradient against PyTorch (tests/reference/make_training.py), plus finite differences.</summary>
public class LossReferenceTests
{
    private static IEnumerable<JsonElement> Cases => Fixtures.Load("training.json").GetProperty("losses").EnumerateArray();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static Loss Create(JsonElement c)
    {
        var config = c.GetProperty("config");
        bool logits = config.TryGetProperty("from_logits", out var f) && f.GetBoolean();
        return c.GetProperty("loss").GetString() switch
        {
            "huber" => new Huber(config.GetProperty("delta").GetSingle()),
            "binary_crossentropy" => new BinaryCrossentropy(logits),
            "categorical_crossentropy" => new CategoricalCrossentropy(logits),
            "sparse_categorical_crossentropy" => new SparseCategoricalCrossentropy(logits),
            var name => LossRegistry.Get(name!),
        };
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.First(x => x.GetProperty("name").GetString() == name);
        var loss = Create(c);
        var yTrue = Fixtures.ToTensor(c.GetProperty("yTrue"));
        var yPred = Fixtures.ToTensor(c.GetProperty("yPred")).RequiresGrad_();
        var weight = c.GetProperty("sampleWeight").ValueKind == JsonValueKind.Null ? null : Fixtures.ToTensor(c.GetProperty("sampleWeight"));
        var value = loss.Call(yTrue, yPred, weight);
        double expected = c.GetProperty("value").GetDouble();
        Assert.True(float.IsFinite(value.Item()));
        Assert.True(Math.Abs(value.Item() - expected) <= 1e-4 + 1e-4 * Math.Abs(expected), $"{name}: {value.Item()} vs {expected}");
        value.Backward();
        Fixtures.AssertClose($"{name} gradient", c.GetProperty("grad"), yPred.Grad!, atol: 1e-5f);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        if (name.EndsWith("extreme")) return; // finite differences cannot resolve saturated logits
        var c = Cases.First(x => x.GetProperty("name").GetString() == name);
        var loss = Create(c);
        var yTrue = Fixtures.ToTensor(c.GetProperty("yTrue"));
        var result = GradientCheck.Run(x => loss.Call(yTrue, x[0]), [Fixtures.ToTensor(c.GetProperty("yPred"))]);
        Assert.True(result.Passed, $"{name}: {result.Message}");
    }

    [Fact]
    public void MismatchedShapesNameTheLossAndBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new MeanSquaredError().Call(Tensor.Zeros(4, 3), Tensor.Zeros(4, 2)));
        Assert.Contains("MeanSquaredError", error.Message);
        Assert.Contains("[4, 3]", error.Message);
        Assert.Contains("[4, 2]", error.Message);
        Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Call(Tensor.Zeros(3), Tensor.Zeros(4, 2)));
        Assert.Throws<ArgumentException>(() => LossRegistry.Get("nope"));
    }

    [Fact]
    public void KerasStringsResolve()
    {
        Loss loss = "sparse_categorical_crossentropy";
        Assert.IsType<SparseCategoricalCrossentropy>(loss);
        Assert.IsType<MeanSquaredError>(LossRegistry.Get("mse"));
        Assert.IsType<KLDivergence>(LossRegistry.Get("kld"));
    }
}
