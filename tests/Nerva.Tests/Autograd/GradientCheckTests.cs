namespace Nerva.Tests.AutogradTests;

/// <summary>
/// The op table: every differentiable op, on several shapes (broadcasting and size-1 dims
/// included), checked against central finite differences.
/// </summary>
public class GradientCheckTests
{
    /// <summary>How an input is drawn: any sign, positive (for log, sqrt, fractional powers), or away from kinks at 0.</summary>
    public enum Domain { Any, Positive, AwayFromZero }

    private sealed record Case(string Name, Func<Tensor[], Tensor> Function, int[][] Shapes, Domain Domain = Domain.Any);

    private static Case C(string name, Func<Tensor[], Tensor> f, Domain domain, params int[][] shapes) => new(name, f, shapes, domain);
    private static Case C(string name, Func<Tensor[], Tensor> f, params int[][] shapes) => new(name, f, shapes);

    private static readonly Case[] Cases =
    [
        // Broadcasting arithmetic
        C("add", x => x[0] + x[1], [3, 4], [3, 4]),
        C("add-broadcast-row", x => x[0] + x[1], [3, 4], [4]),
        C("add-broadcast-both", x => x[0] + x[1], [3, 1], [1, 4]),
        C("add-scalar-tensor", x => x[0] + x[1], [2, 3], []),
        C("sub-broadcast", x => x[0] - x[1], [5, 1, 3], [1, 4, 1]),
        C("mul-broadcast", x => x[0] * x[1], [2, 3, 4], [4]),
        C("mul-size1", x => x[0] * x[1], [2, 1, 4], [2, 3, 1]),
        C("div", x => x[0] / x[1], Domain.Positive, [3, 4], [3, 1]),
        C("float-ops", x => (2f - x[0]) * 3f + x[0] / 2f - 1f, [3, 2]),
        C("float-div", x => 1.5f / x[0], Domain.Positive, [4]),
        C("neg", x => -x[0], [2, 3]),
        C("clone", x => x[0].Clone() * x[0], [2, 3]),
        C("pow-tensor", x => x[0].Pow(x[1]), Domain.Positive, [3, 4], [4]),
        C("pow-scalar", x => x[0].Pow(2.5f), Domain.Positive, [3, 4]),
        C("maximum", x => x[0].Maximum(x[1]), [3, 4], [4]),
        C("minimum", x => x[0].Minimum(x[1]), [3, 1], [3, 4]),
        C("where", x => Tensor.Where(x[0].Gt(0f), x[1], x[2]), [3, 4], [3, 4], [4]),
        C("clamp", x => x[0].Clamp(-0.5f, 0.5f), Domain.AwayFromZero, [4, 5]),
        C("clamp-min", x => x[0].Clamp(min: 0.1f), Domain.AwayFromZero, [10]),
        // Unary math and activations
        C("abs", x => x[0].Abs(), Domain.AwayFromZero, [3, 4]),
        C("exp", x => x[0].Exp(), [3, 4]),
        C("log", x => x[0].Log(), Domain.Positive, [3, 4]),
        C("sqrt", x => x[0].Sqrt(), Domain.Positive, [3, 4]),
        C("square", x => x[0].Square(), [3, 4]),
        C("reciprocal", x => x[0].Reciprocal(), Domain.Positive, [3, 4]),
        C("sin", x => x[0].Sin(), [3, 4]),
        C("cos", x => x[0].Cos(), [3, 4]),
        C("relu", x => x[0].Relu(), Domain.AwayFromZero, [3, 4]),
        C("leaky-relu", x => x[0].LeakyRelu(0.2f), Domain.AwayFromZero, [3, 4]),
        C("elu", x => x[0].Elu(0.7f), Domain.AwayFromZero, [3, 4]),
        C("gelu", x => x[0].Gelu(), [3, 4]),
        C("gelu-tanh", x => x[0].Gelu(approximate: true), [3, 4]),
        C("silu", x => x[0].Silu(), [3, 4]),
        C("sigmoid", x => x[0].Sigmoid(), [3, 4]),
        C("tanh", x => x[0].Tanh(), [3, 4]),
        // 35 elements: the fused backward kernels' vector loops and their scalar tails
        C("sigmoid-vector-and-tail", x => x[0].Sigmoid(), [5, 7]),
        C("tanh-vector-and-tail", x => x[0].Tanh(), [5, 7]),
        C("relu-vector-and-tail", x => x[0].Relu(), Domain.AwayFromZero, [5, 7]),
        C("softplus", x => x[0].Softplus(2f, 5f), [3, 4]),
        C("softmax-last", x => x[0].Softmax(-1), [3, 5]),
        C("softmax-first", x => x[0].Softmax(0), [3, 4, 2]),
        C("log-softmax", x => x[0].LogSoftmax(1), [2, 5, 3]),
        // Reductions
        C("sum-all", x => x[0].Sum(), [3, 4]),
        C("sum-dim", x => x[0].Sum(1), [2, 3, 4]),
        C("sum-dim-keep", x => x[0].Sum(-1, keepDim: true), [2, 3, 4]),
        C("mean-all", x => x[0].Mean(), [3, 4]),
        C("mean-dim", x => x[0].Mean(0), [3, 4]),
        C("max-all", x => x[0].Max(), [3, 4]),
        C("max-dim", x => x[0].Max(1), [3, 4, 2]),
        C("min-dim-keep", x => x[0].Min(0, keepDim: true), [3, 4]),
        C("var-all", x => x[0].Var(), [3, 4]),
        C("var-dim-biased", x => x[0].Var(1, unbiased: false), [3, 4]),
        C("std-dim", x => x[0].Std(0, keepDim: true), [5, 3]),
        C("logsumexp-all", x => x[0].LogSumExp(), [3, 4]),
        C("logsumexp-dim", x => x[0].LogSumExp(1), [3, 4]),
        C("norm-all", x => x[0].Norm(), [3, 4]),
        C("norm-l1-dim", x => x[0].Norm(1, 1f), Domain.AwayFromZero, [3, 4]),
        C("norm-l3", x => x[0].Norm(3f), Domain.AwayFromZero, [3, 4]),
        // Shape ops
        C("reshape", x => x[0].Reshape(-1, 2) * x[1], [3, 4], [6, 2]),
        C("flatten", x => x[0].Flatten(1), [2, 3, 4]),
        C("transpose", x => x[0].Transpose(0, 1) * x[1], [3, 4], [4, 3]),
        C("permute", x => x[0].Permute(2, 0, 1), [2, 3, 4]),
        C("squeeze-unsqueeze", x => x[0].Squeeze().Unsqueeze(0), [3, 1, 4]),
        C("expand", x => x[0].Expand(2, 3, 4), [3, 1]),
        C("repeat", x => x[0].Repeat(2, 1, 3), [2, 3]),
        C("slice-step", x => x[0].Slice(1, 1, 7, 2), [3, 8]),
        C("narrow", x => x[0].Narrow(0, 1, 2), [4, 3]),
        C("concat", x => Tensor.Concat([x[0], x[1]], 1), [2, 3], [2, 5]),
        C("stack", x => Tensor.Stack([x[0], x[1], x[0]], 1), [2, 3], [2, 3]),
        C("split", x => x[0].Split(2, 1)[1] * 2f + x[0].Split(2, 1)[2].Sum(), [3, 5]),
        C("pad", x => x[0].Pad([1, 2, 0, 1], 0.5f), [2, 3]),
        // Linear algebra
        C("matmul-2d", x => x[0].MatMul(x[1]), [3, 4], [4, 5]),
        C("matmul-vec-vec", x => x[0].MatMul(x[1]), [4], [4]),
        C("matmul-vec-mat", x => x[0].MatMul(x[1]), [4], [4, 3]),
        C("matmul-mat-vec", x => x[0].MatMul(x[1]), [3, 4], [4]),
        C("matmul-batched", x => x[0].MatMul(x[1]), [2, 3, 4], [2, 4, 5]),
        C("matmul-broadcast-batch", x => x[0].MatMul(x[1]), [2, 1, 3, 4], [5, 4, 2]),
        C("matmul-3d-by-2d", x => x[0].MatMul(x[1]), [2, 3, 4], [4, 5]),
        C("matmul-2d-by-3d", x => x[0].MatMul(x[1]), [3, 4], [2, 4, 5]),
        // Dense's fused op: act(x·kernel + bias), the activation's derivative taken from the output
        C("linear", x => Tensor.Linear(x[0], x[1], x[2], FusedActivation.None), [3, 4], [4, 5], [5]),
        C("linear-no-bias", x => Tensor.Linear(x[0], x[1], null, FusedActivation.None), [2, 3, 4], [4, 5]),
        C("linear-relu", x => Tensor.Linear(x[0], x[1], x[2], FusedActivation.Relu), Domain.AwayFromZero, [3, 4], [4, 5], [5]),
        C("linear-sigmoid", x => Tensor.Linear(x[0], x[1], x[2], FusedActivation.Sigmoid), [2, 3, 4], [4, 17], [17]),
        C("linear-tanh", x => Tensor.Linear(x[0], x[1], x[2], FusedActivation.Tanh), [3, 4], [4, 5], [5]),
        C("outer", x => x[0].Outer(x[1]), [3], [4]),
        // Transposed convolution: input, kernel [kh, kw, filters, C] and bias, in Keras's sizes
        C("conv2d-transpose-valid", x => x[0].Conv2DTranspose(x[1], x[2], 2, 2, "valid"), [2, 3, 3, 2], [3, 3, 4, 2], [4]),
        C("conv2d-transpose-same-even", x => x[0].Conv2DTranspose(x[1], null, 2, 2, "same"), [1, 3, 4, 3], [4, 4, 2, 3]),
        C("conv2d-transpose-output-padding", x => x[0].Conv2DTranspose(x[1], x[2], 2, 3, "same", outputPaddingH: 1, outputPaddingW: 2),
            [1, 3, 2, 2], [3, 3, 2, 2], [2]),
        C("conv2d-transpose-kernel-below-stride", x => x[0].Conv2DTranspose(x[1], x[2], 3, 2, "valid", outputPaddingH: 2, outputPaddingW: 0),
            [2, 2, 3, 2], [2, 1, 3, 2], [3]),
        C("conv2d-transpose-dilated", x => x[0].Conv2DTranspose(x[1], x[2], 1, 1, "same", dilationH: 2, dilationW: 2), [1, 4, 5, 2], [3, 3, 2, 2], [2]),
        // Batch normalization over the last axis: batch statistics (training) and fixed ones (inference);
        // 20 channels take the 16-lane path and the scalar tail.
        C("batch-norm-training", x => x[0].BatchNorm(null, null, x[1], x[2], 1e-3f, out _, out _), [4, 3, 20], [20], [20]),
        C("batch-norm-training-no-affine", x => x[0].BatchNorm(null, null, null, null, 1e-3f, out _, out _), [6, 5]),
        C("batch-norm-inference", x => x[0].BatchNorm(Tensor.Linspace(-0.5f, 0.5f, 3), Tensor.Linspace(0.5f, 2f, 3), x[1], x[2], 1e-3f, out _, out _),
            [2, 2, 2, 3], [3], [3]),
        // Indexing
        C("gather", x => x[0].Gather(1, Tensor.FromArray([0, 2, 2, 1, 0, 0], 3, 2)), [3, 4]),
        C("index-select", x => x[0].IndexSelect(0, Tensor.FromArray([2, 0, 2])), [3, 4]),
        C("scatter-add", x => x[0].ScatterAdd(0, Tensor.FromArray([1, 0, 1, 2, 1, 0], 2, 3), x[1]), [3, 3], [2, 3]),
    ];

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        var c = Array.Find(Cases, x => x.Name == name)!;
        var inputs = new Tensor[c.Shapes.Length];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = Draw(c.Shapes[i], c.Domain, seed: 17 * i + name.Length);
        var result = GradientCheck.Run(c.Function, inputs);
        Assert.True(result.Passed, $"{name}: {result.Message} (max error {result.MaxError:G3})");
    }

    internal static Tensor Draw(int[] shape, Domain domain, int seed)
    {
        var t = Tensor.RandomUniform(shape, -1f, 1f, seed);
        var data = t.ToArray();
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = domain switch
            {
                Domain.Positive => 0.5f + Math.Abs(data[i]) * 1.5f,
                Domain.AwayFromZero => MathF.CopySign(0.1f + Math.Abs(data[i]), data[i]),
                _ => data[i] * 1.5f,
            };
        }
        return Tensor.FromArray(data, shape);
    }

    [Fact]
    public void EveryCaseNameIsUnique() =>
        Assert.Equal(Cases.Length, Cases.Select(c => c.Name).Distinct().Count());

    [Fact]
    public void ACheckThatShouldFailDoesFail()
    {
        // A deliberately wrong gradient (Sign has none recorded, but x·sign(x) = |x| does) must be caught.
        var wrong = GradientCheck.Run(x => x[0] * x[0].Detach().Sign() + x[0].Detach().Square(), [Tensor.FromArray([0.5f, -0.7f, 1.2f])]);
        Assert.False(wrong.Passed);
    }
}
