using Nerva.Kernels;

namespace Nerva;

// Batch normalization as one op, over the last (channel) axis.
public sealed partial class Tensor
{
    /// <summary>
    /// Normalises over every axis but the last: y = (x − mean)/√(variance + ε)·γ + β. With
    /// <paramref name="mean"/>/<paramref name="variance"/> null it uses this batch's statistics (training)
    /// and returns them in <paramref name="batchMean"/>/<paramref name="batchVariance"/> (biased variance);
    /// otherwise it uses the given ones (inference). γ and β [channels] are optional.
    /// </summary>
    internal Tensor BatchNorm(Tensor? mean, Tensor? variance, Tensor? gamma, Tensor? beta, float epsilon,
        out Tensor? batchMean, out Tensor? batchVariance)
    {
        const string op = "BatchNorm";
        if (Rank < 2) throw ShapeUtil.Error(op, "a tensor [batch, ..., channels]", ShapeUtil.Format(Dims));
        int channels = Dims[^1];
        foreach (var p in new[] { mean, variance, gamma, beta })
            if (p is not null && (p.Rank != 1 || p.Size != channels))
                throw ShapeUtil.Error(op, $"per-channel parameters [{channels}]", ShapeUtil.Format(p.Dims));
        bool training = mean is null || variance is null;
        int rows = Size / channels;

        float[] mu, var;
        if (training)
        {
            mu = new float[channels];
            var = new float[channels];
            BatchNormKernels.Moments(Data, channels, mu, var);
            batchMean = new Tensor(mu, [channels]);
            batchVariance = new Tensor(var, [channels]);
        }
        else
        {
            (mu, var) = (mean!.Data, variance!.Data);
            batchMean = batchVariance = null;
        }
        // y = x·scale + shift with scale = γ/√(σ² + ε) and shift = β − μ·scale.
        var invStd = new float[channels];
        var scale = new float[channels];
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            invStd[c] = 1f / MathF.Sqrt(var[c] + epsilon);
            scale[c] = invStd[c] * (gamma?.Data[c] ?? 1f);
            shift[c] = (beta?.Data[c] ?? 0f) - mu[c] * scale[c];
        }
        var output = BufferPool.Floats(Size);
        BatchNormKernels.Affine(Data, default, scale, default, shift, output, channels);

        var x = this;
        Tensor[] inputs = [x, .. new[] { gamma, beta }.OfType<Tensor>()];
        // With x̂ = (x − μ)·s, s = 1/√(σ² + ε): dβ = Σ dy, dγ = Σ dy·x̂, and
        // dx = γs·(dy − Σdy/N − x̂·Σ(dy·x̂)/N) in training (μ and σ² depend on x), γs·dy in inference.
        return Record(new Tensor(output, Dims), op, inputs, grad =>
        {
            var sumDy = new float[channels];
            var sumDyCentered = new float[channels];
            BatchNormKernels.GradientSums(x.Data, grad.Data, mu, channels, sumDy, sumDyCentered);
            Tensor? dx = null;
            if (x.RequiresGrad)
            {
                var a = new float[channels];
                var b = training ? new float[channels] : null;
                var d = new float[channels];
                for (int c = 0; c < channels; c++)
                {
                    float gs = (gamma?.Data[c] ?? 1f) * invStd[c];
                    a[c] = gs;
                    if (b is null || rows == 0) continue;
                    b[c] = -gs * invStd[c] * invStd[c] * sumDyCentered[c] / rows;
                    d[c] = -gs * sumDy[c] / rows - b[c] * mu[c];
                }
                var dxData = BufferPool.Floats(x.Size);
                BatchNormKernels.Affine(grad.Data, x.Data, a, b, d, dxData, channels);
                dx = new Tensor(dxData, x.Dims);
            }
            var grads = new List<Tensor?> { dx };
            if (gamma is not null)
            {
                var dGamma = new float[channels];
                for (int c = 0; c < channels; c++) dGamma[c] = sumDyCentered[c] * invStd[c];
                grads.Add(new Tensor(dGamma, gamma.Dims));
            }
            if (beta is not null) grads.Add(new Tensor(sumDy, beta.Dims));
            return [.. grads];
        });
    }
}
