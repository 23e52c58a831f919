using System.Text.Json;
using Nerva.Losses;

namespace Nerva.Tests.Losses;

/// <summary>
/// Every loss against PyTorch 1.13 (tests/reference/make_losses.py → fixtures/losses.json): the
/// per-sample losses of <see cref="LossFunctions"/>, the reduced value of <see cref="Loss.Call"/>
/// with and without sample weights, the gradient with respect to yPred, and finite differences.
/// </summary>
public class LossReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        Fixtures.Load("losses.json").GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!));

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Value.Keys) data.Add(name);
        return data;
    }

    private static bool Bool(JsonElement config, string key) => config.TryGetProperty(key, out var v) && v.GetBoolean();

    private static float Float(JsonElement config, string key, float fallback) => config.TryGetProperty(key, out var v) ? v.GetSingle() : fallback;

    /// <summary>The loss object and the pure function a case names, configured alike.</summary>
    private static (Loss Loss, Func<Tensor, Tensor, Tensor> Function) Create(JsonElement c)
    {
        var config = c.GetProperty("config");
        bool logits = Bool(config, "from_logits");
        float smoothing = Float(config, "label_smoothing", 0f), delta = Float(config, "delta", 1f);
        return c.GetProperty("loss").GetString() switch
        {
            "mean_squared_error" => (new MeanSquaredError(), LossFunctions.MeanSquaredError),
            "mean_absolute_error" => (new MeanAbsoluteError(), LossFunctions.MeanAbsoluteError),
            "huber" => (new Huber(delta), (y, p) => LossFunctions.Huber(y, p, delta)),
            "binary_crossentropy" => (new BinaryCrossentropy(logits, smoothing), (y, p) => LossFunctions.BinaryCrossentropy(y, p, logits, smoothing)),
            "categorical_crossentropy" => (new CategoricalCrossentropy(logits, smoothing), (y, p) => LossFunctions.CategoricalCrossentropy(y, p, logits, smoothing)),
            "sparse_categorical_crossentropy" => (new SparseCategoricalCrossentropy(logits), (y, p) => LossFunctions.SparseCategoricalCrossentropy(y, p, logits)),
            "kl_divergence" => (new KLDivergence(), LossFunctions.KLDivergence),
            "hinge" => (new Hinge(), LossFunctions.Hinge),
            var name => throw new InvalidOperationException($"fixture names an unknown loss '{name}'"),
        };
    }

    private static Tensor? Weight(JsonElement c) =>
        c.GetProperty("sampleWeight").ValueKind == JsonValueKind.Null ? null : Fixtures.ToTensor(c.GetProperty("sampleWeight"));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void PerSampleLossesMatchPyTorch(string name)
    {
        var c = Cases.Value[name];
        var (_, function) = Create(c);
        var perSample = function(Fixtures.ToTensor(c.GetProperty("yTrue")), Fixtures.ToTensor(c.GetProperty("yPred")));
        Fixtures.AssertClose($"{name} per-sample", c.GetProperty("perSample"), perSample, atol: 1e-4f, rtol: 1e-4f);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ValueAndGradientMatchPyTorch(string name)
    {
        var c = Cases.Value[name];
        var (loss, _) = Create(c);
        var yTrue = Fixtures.ToTensor(c.GetProperty("yTrue"));
        var yPred = Fixtures.ToTensor(c.GetProperty("yPred")).RequiresGrad_();
        var value = loss.Call(yTrue, yPred, Weight(c));
        Assert.Equal(0, value.Rank);
        double expected = c.GetProperty("value").GetDouble();
        Assert.True(float.IsFinite(value.Item()), $"{name}: {value.Item()}");
        Assert.True(Math.Abs(value.Item() - expected) <= 1e-4 + 1e-4 * Math.Abs(expected), $"{name}: {value.Item()} vs PyTorch {expected}");
        value.Backward();
        Assert.NotNull(yPred.Grad);
        Assert.All(yPred.Grad!.ToArray(), g => Assert.True(float.IsFinite(g)));
        Fixtures.AssertClose($"{name} d loss / d yPred", c.GetProperty("grad"), yPred.Grad!, atol: 1e-5f, rtol: 1e-3f);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        var c = Cases.Value[name];
        if (!c.GetProperty("gradcheck").GetBoolean()) return; // saturated or clipped: finite differences see a flat or kinked function
        var (loss, _) = Create(c);
        var yTrue = Fixtures.ToTensor(c.GetProperty("yTrue"));
        var weight = Weight(c);
        var result = GradientCheck.Run(x => loss.Call(yTrue, x[0], weight), [Fixtures.ToTensor(c.GetProperty("yPred"))]);
        Assert.True(result.Passed, $"{name}: {result.Message}");
    }

    [Fact]
    public void EveryLossHasFixtures()
    {
        var covered = Cases.Value.Values.Select(c => c.GetProperty("loss").GetString()).ToHashSet();
        foreach (var name in new[] { "mean_squared_error", "mean_absolute_error", "huber", "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy", "kl_divergence", "hinge" })
            Assert.Contains(name, covered);
    }
}
