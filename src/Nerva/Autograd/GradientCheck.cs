namespace Nerva;

/// <summary>The largest disagreement found by <see cref="GradientCheck.Run"/> and where it was.</summary>
/// <param name="Passed">Whether every gradient element was within tolerance.</param>
/// <param name="MaxError">The largest |analytic − numeric| over all elements.</param>
/// <param name="Message">Where the largest failing error was, or "ok".</param>
public sealed record GradientCheckResult(bool Passed, double MaxError, string Message);

/// <summary>
/// Compares the gradients that Backward computes with central finite differences, as
/// torch.autograd.gradcheck does, so any op (or a user's composition of ops) can be verified.
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Checks d(Σ f(inputs)·w)/d(inputs) for a fixed random w, so every output element matters.
    /// Inputs are perturbed by ±<paramref name="epsilon"/>; an element passes when
    /// |analytic − numeric| ≤ atol + rtol·|numeric|. Inputs are not modified.
    /// </summary>
    /// <example><code>GradientCheck.Run(x => x[0].Tanh(), Tensor.RandomNormal([3, 4], seed: 1)).Passed</code></example>
    public static GradientCheckResult Run(Func<Tensor[], Tensor> function, Tensor[] inputs,
        float epsilon = 1e-3f, double atol = 1e-3, double rtol = 1e-2, int seed = 0)
    {
        var leaves = Array.ConvertAll(inputs, t => new Tensor((float[])t.Data.Clone(), t.Dims) { RequiresGrad = true });
        var output = function(leaves);
        var weights = Tensor.RandomUniform(output.Dims, 0.5f, 1.5f, seed);
        (output * weights).Sum().Backward();

        double worst = 0, worstFailure = 0;
        string message = "ok";
        bool passed = true;
        for (int i = 0; i < leaves.Length; i++)
        {
            var analytic = leaves[i].Grad?.Data ?? new float[leaves[i].Size];
            for (int j = 0; j < leaves[i].Size; j++)
            {
                double numeric = Numeric(function, leaves, weights, i, j, epsilon);
                double error = Math.Abs(analytic[j] - numeric);
                double allowed = atol + rtol * Math.Abs(numeric);
                if (error > allowed && error > worstFailure)
                {
                    passed = false;
                    worstFailure = error;
                    message = $"input {i} {ShapeUtil.Format(leaves[i].Dims)} element {j}: analytic {analytic[j]:G6}, numeric {numeric:G6}";
                }
                worst = Math.Max(worst, error);
            }
        }
        return new GradientCheckResult(passed, worst, message);
    }

    /// <summary>(L(x + ε) − L(x − ε)) / 2ε for one element, with L = Σ f(x)·w, evaluated without recording.</summary>
    private static double Numeric(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor weights, int input, int element, float epsilon)
    {
        using var _ = Autograd.NoGrad();
        var data = inputs[input].Data;
        float original = data[element];
        data[element] = original + epsilon;
        double plus = Loss(function(inputs), weights);
        data[element] = original - epsilon;
        double minus = Loss(function(inputs), weights);
        data[element] = original;
        return (plus - minus) / (2.0 * epsilon);
    }

    private static double Loss(Tensor output, Tensor weights)
    {
        double sum = 0;
        for (int i = 0; i < output.Size; i++) sum += (double)output.Data[i] * weights.Data[i];
        return sum;
    }
}
