using System.Text.Json;

namespace Nerva.Tests.Ops;

/// <summary>
/// Every tensor op against PyTorch 1.13: forward values and the gradients of
/// sum(output * gradWeight) with respect to each input. The cases live in
/// reference/fixtures/ops.json, made by tests/reference/make.py (run it with /usr/bin/python3
/// to regenerate); this test needs no Python.
/// </summary>
public class ReferenceOpTests
{
    // |actual - expected| <= tol + tol * |expected|, for outputs and gradients alike. Every op meets
    // it (pow, gelu, norm, var and std included), so there is no looser tier: a failure is a bug.
    private const float Tolerance = 1e-4f;

    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
        Fixtures.Load("ops.json").GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!));

    public static IEnumerable<object[]> CaseNames() => Cases.Value.Keys.Select(name => new object[] { name });

    // ------------------------------------------------------------------ the op table

    private static int Int(JsonElement args, string name) => args.GetProperty(name).GetInt32();
    private static float Float(JsonElement args, string name) => args.GetProperty(name).GetSingle();
    private static bool Bool(JsonElement args, string name) => args.GetProperty(name).GetBoolean();
    private static bool Has(JsonElement args, string name) =>
        args.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;
    private static float? OptionalFloat(JsonElement args, string name) => Has(args, name) ? Float(args, name) : null;
    private static int[] Ints(JsonElement args, string name) =>
        args.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static readonly Dictionary<string, Func<Tensor[], JsonElement, Tensor>> Ops = new()
    {
        // binary, broadcasting
        ["add"] = (t, a) => t[0] + t[1],
        ["sub"] = (t, a) => t[0] - t[1],
        ["mul"] = (t, a) => t[0] * t[1],
        ["div"] = (t, a) => t[0] / t[1],
        ["pow"] = (t, a) => t[0].Pow(t[1]),
        ["pow_scalar"] = (t, a) => t[0].Pow(Float(a, "exponent")),
        ["maximum"] = (t, a) => t[0].Maximum(t[1]),
        ["minimum"] = (t, a) => t[0].Minimum(t[1]),
        ["eq"] = (t, a) => t[0].Eq(t[1]),
        ["gt"] = (t, a) => t[0].Gt(t[1]),
        ["lt"] = (t, a) => t[0].Lt(t[1]),
        ["ge"] = (t, a) => t[0].Ge(t[1]),
        ["le"] = (t, a) => t[0].Le(t[1]),
        ["eq_scalar"] = (t, a) => t[0].Eq(Float(a, "value")),
        ["gt_scalar"] = (t, a) => t[0].Gt(Float(a, "value")),
        ["lt_scalar"] = (t, a) => t[0].Lt(Float(a, "value")),
        ["ge_scalar"] = (t, a) => t[0].Ge(Float(a, "value")),
        ["le_scalar"] = (t, a) => t[0].Le(Float(a, "value")),
        ["add_scalar"] = (t, a) => t[0] + Float(a, "value"),
        ["sub_scalar"] = (t, a) => t[0] - Float(a, "value"),
        ["rsub_scalar"] = (t, a) => Float(a, "value") - t[0],
        ["mul_scalar"] = (t, a) => t[0] * Float(a, "value"),
        ["div_scalar"] = (t, a) => t[0] / Float(a, "value"),
        ["rdiv_scalar"] = (t, a) => Float(a, "value") / t[0],
        ["where"] = (t, a) => Tensor.Where(t[0], t[1], t[2]),
        ["clamp"] = (t, a) => t[0].Clamp(OptionalFloat(a, "min"), OptionalFloat(a, "max")),

        // unary
        ["neg"] = (t, a) => -t[0],
        ["abs"] = (t, a) => t[0].Abs(),
        ["exp"] = (t, a) => t[0].Exp(),
        ["log"] = (t, a) => t[0].Log(),
        ["sqrt"] = (t, a) => t[0].Sqrt(),
        ["square"] = (t, a) => t[0].Square(),
        ["reciprocal"] = (t, a) => t[0].Reciprocal(),
        ["sin"] = (t, a) => t[0].Sin(),
        ["cos"] = (t, a) => t[0].Cos(),
        ["sign"] = (t, a) => t[0].Sign(),
        ["relu"] = (t, a) => t[0].Relu(),
        ["leaky_relu"] = (t, a) => t[0].LeakyRelu(Float(a, "negativeSlope")),
        ["elu"] = (t, a) => t[0].Elu(Float(a, "alpha")),
        ["gelu"] = (t, a) => t[0].Gelu(Bool(a, "approximate")),
        ["silu"] = (t, a) => t[0].Silu(),
        ["sigmoid"] = (t, a) => t[0].Sigmoid(),
        ["tanh"] = (t, a) => t[0].Tanh(),
        ["softplus"] = (t, a) => t[0].Softplus(Float(a, "beta"), Float(a, "threshold")),
        ["softmax"] = (t, a) => t[0].Softmax(Int(a, "dim")),
        ["log_softmax"] = (t, a) => t[0].LogSoftmax(Int(a, "dim")),

        // reductions: all elements when there is no "dim"
        ["sum"] = (t, a) => Has(a, "dim") ? t[0].Sum(Int(a, "dim"), Bool(a, "keepDim")) : t[0].Sum(),
        ["mean"] = (t, a) => Has(a, "dim") ? t[0].Mean(Int(a, "dim"), Bool(a, "keepDim")) : t[0].Mean(),
        ["max"] = (t, a) => Has(a, "dim") ? t[0].Max(Int(a, "dim"), Bool(a, "keepDim")) : t[0].Max(),
        ["min"] = (t, a) => Has(a, "dim") ? t[0].Min(Int(a, "dim"), Bool(a, "keepDim")) : t[0].Min(),
        ["argmax"] = (t, a) => Has(a, "dim") ? t[0].ArgMax(Int(a, "dim"), Bool(a, "keepDim")) : t[0].ArgMax(),
        ["argmin"] = (t, a) => Has(a, "dim") ? t[0].ArgMin(Int(a, "dim"), Bool(a, "keepDim")) : t[0].ArgMin(),
        ["var"] = (t, a) => Has(a, "dim")
            ? t[0].Var(Int(a, "dim"), Bool(a, "unbiased"), Bool(a, "keepDim"))
            : t[0].Var(Bool(a, "unbiased")),
        ["std"] = (t, a) => Has(a, "dim")
            ? t[0].Std(Int(a, "dim"), Bool(a, "unbiased"), Bool(a, "keepDim"))
            : t[0].Std(Bool(a, "unbiased")),
        ["logsumexp"] = (t, a) => Has(a, "dim") ? t[0].LogSumExp(Int(a, "dim"), Bool(a, "keepDim")) : t[0].LogSumExp(),
        ["norm"] = (t, a) => Has(a, "dim")
            ? t[0].Norm(Int(a, "dim"), Float(a, "p"), Bool(a, "keepDim"))
            : t[0].Norm(Float(a, "p")),

        // shape
        ["reshape"] = (t, a) => t[0].Reshape(Ints(a, "shape")),
        ["flatten"] = (t, a) => t[0].Flatten(Int(a, "startDim"), Int(a, "endDim")),
        ["transpose"] = (t, a) => t[0].Transpose(Int(a, "dim0"), Int(a, "dim1")),
        ["permute"] = (t, a) => t[0].Permute(Ints(a, "dims")),
        ["squeeze"] = (t, a) => Has(a, "dim") ? t[0].Squeeze(Int(a, "dim")) : t[0].Squeeze(),
        ["unsqueeze"] = (t, a) => t[0].Unsqueeze(Int(a, "dim")),
        ["narrow"] = (t, a) => t[0].Narrow(Int(a, "dim"), Int(a, "start"), Int(a, "length")),
        ["slice"] = (t, a) => t[0].Slice(Int(a, "dim"), Int(a, "start"), Int(a, "end"), Int(a, "step")),
        ["cat"] = (t, a) => Tensor.Concat(t, Int(a, "dim")),
        ["stack"] = (t, a) => Tensor.Stack(t, Int(a, "dim")),
        ["split"] = (t, a) => t[0].Split(Int(a, "size"), Int(a, "dim"))[Int(a, "index")],
        ["pad"] = (t, a) => t[0].Pad(Ints(a, "pad"), Float(a, "value")),
        ["expand"] = (t, a) => t[0].Expand(Ints(a, "shape")),
        ["repeat"] = (t, a) => t[0].Repeat(Ints(a, "repeats")),

        // linear algebra
        ["matmul"] = (t, a) => t[0].MatMul(t[1]),
        ["outer"] = (t, a) => t[0].Outer(t[1]),

        // indexing: index tensors are float tensors holding integers
        ["gather"] = (t, a) => t[0].Gather(Int(a, "dim"), t[1]),
        ["index_select"] = (t, a) => t[0].IndexSelect(Int(a, "dim"), t[1]),
        ["one_hot"] = (t, a) => Tensor.OneHot(t[0], Int(a, "numClasses")),
        ["scatter_add"] = (t, a) => t[0].ScatterAdd(Int(a, "dim"), t[1], t[2]),
    };

    // ------------------------------------------------------------------ the tests

    [Fact]
    public void FixtureIsPresentAndEveryOpHasATableEntry()
    {
        Assert.True(Cases.Value.Count > 500, $"only {Cases.Value.Count} cases in fixtures/ops.json");
        var missing = Cases.Value.Values.Select(c => c.GetProperty("op").GetString()!)
            .Distinct().Where(op => !Ops.ContainsKey(op)).ToList();
        Assert.True(missing.Count == 0, "ops in the fixture without a table entry: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.Value[name];
        string op = c.GetProperty("op").GetString()!;
        if (!Ops.TryGetValue(op, out var fn)) Assert.Fail($"no table entry for op '{op}'");
        const float tol = Tolerance;

        var grads = c.GetProperty("grads");
        bool differentiable = grads.ValueKind == JsonValueKind.Array;
        var inputs = c.GetProperty("inputs").EnumerateArray().Select(ToTensor).ToArray();
        if (differentiable)
            for (int i = 0; i < inputs.Length; i++)
                inputs[i].RequiresGrad = grads[i].ValueKind != JsonValueKind.Null;

        var output = fn(inputs, c.GetProperty("args"));
        AssertClose($"{name}: output", c.GetProperty("output"), output, tol);
        if (!differentiable) return;

        var w = ToTensor(c.GetProperty("gradWeight"));
        Assert.True(output.RequiresGrad, $"{name}: output does not require grad although its inputs do");
        (output * w).Sum().Backward();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null) continue;
            var grad = inputs[i].Grad;
            if (grad is null)
            {
                bool allZero = grads[i].GetProperty("data").EnumerateArray().All(v => v.GetSingle() == 0f);
                Assert.True(allZero, $"{name}: input {i} has no Grad after Backward, expected a non-zero gradient");
                continue;
            }
            AssertClose($"{name}: grad of input {i}", grads[i], grad, tol);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Tensor ToTensor(JsonElement t) => Fixtures.ToTensor(t);


    private static void AssertClose(string what, JsonElement expected, Tensor actual, float tol) =>
        Fixtures.AssertClose(what, expected, actual, tol, tol);
}
