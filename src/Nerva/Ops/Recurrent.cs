using System.Numerics.Tensors;
using Nerva.Kernels;

namespace Nerva;

// What the fused recurrent ops (SimpleRNN, LSTM, GRU) share: checking the operands, the input projection of every
// step as one GEMM, the output from the time-major states, and the weight gradients as products over all steps.
public sealed partial class Tensor
{
    /// <summary>
    /// Checks x [batch, steps, features], kernel [features, gates·u] and recurrent kernel [u, gates·u];
    /// returns (batch, steps, features, units).
    /// </summary>
    private static (int Batch, int Steps, int Features, int Units) CheckRecurrent(string op, Tensor x, Tensor kernel, Tensor recurrentKernel, int gates)
    {
        if (x.Rank != 3) throw ShapeUtil.Error(op, "an input [batch, steps, features]", ShapeUtil.Format(x.Dims));
        int batch = x.Dims[0], steps = x.Dims[1], features = x.Dims[2];
        if (recurrentKernel.Rank != 2) throw ShapeUtil.Error(op, "a recurrent kernel [units, width]", ShapeUtil.Format(recurrentKernel.Dims));
        int units = recurrentKernel.Dims[0], width = gates * units;
        if (kernel.Rank != 2 || kernel.Dims[0] != features || kernel.Dims[1] != width)
            throw ShapeUtil.Error(op, $"a kernel [{features}, {width}]", ShapeUtil.Format(kernel.Dims));
        if (recurrentKernel.Dims[1] != width)
            throw ShapeUtil.Error(op, $"a recurrent kernel [{units}, {width}]", ShapeUtil.Format(recurrentKernel.Dims));
        if (steps == 0) throw ShapeUtil.Error(op, "at least one time step", ShapeUtil.Format(x.Dims));
        return (batch, steps, features, units);
    }

    /// <summary>
    /// Returns the input in time-major order, xs [steps·batch, features] (reversed for
    /// <paramref name="goBackwards"/>), and writes its projection xs·kernel + <paramref name="bias"/> (empty
    /// for none) to <paramref name="projection"/> [steps·batch, width].
    /// </summary>
    private static float[] ProjectInputs(Tensor x, Tensor kernel, ReadOnlySpan<float> bias, bool goBackwards, Span<float> projection)
    {
        int batch = x.Dims[0], steps = x.Dims[1], features = x.Dims[2], rows = steps * batch, width = kernel.Dims[1];
        var xs = BufferPool.Floats(rows * features);
        Layout.ToTimeMajor(x.Data, xs, batch, steps, features, goBackwards);
        Gemm.Multiply(false, false, rows, width, features, xs, kernel.Data, projection);
        if (!bias.IsEmpty)
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(projection.Slice(r * width, width), bias, projection.Slice(r * width, width));
        return xs;
    }

    /// <summary>
    /// The op's output from the time-major states <paramref name="hs"/> (slot 0 the initial state, then one
    /// [batch, units] block per step): every h [batch, steps, units] in processing order, or the last [batch, units].
    /// </summary>
    private static Tensor RecurrentOutput(float[] hs, int batch, int steps, int units, bool returnSequences)
    {
        int state = batch * units;
        if (returnSequences)
        {
            var sequence = BufferPool.Floats(steps * state);
            Layout.FromTimeMajor(hs.AsSpan(state), sequence, batch, steps, units, reverse: false);
            return new Tensor(sequence, [batch, steps, units]);
        }
        var last = BufferPool.Floats(state);
        hs.AsSpan(steps * state, state).CopyTo(last);
        return new Tensor(last, [batch, units]);
    }

    /// <summary>The gradient reaching the last h: the output's gradient, or zeros when it is the whole sequence (added step by step).</summary>
    private static float[] LastStateGradient(Tensor grad, int state, bool returnSequences)
    {
        var dh = BufferPool.Floats(state);
        if (returnSequences) dh.AsSpan().Clear();
        else grad.Data.AsSpan().CopyTo(dh);
        return dh;
    }

    /// <summary>
    /// Adds the output gradient of processing step <paramref name="t"/> (of a returned sequence) to rows
    /// <paramref name="first"/>..<paramref name="end"/> of <paramref name="dh"/> [batch, units].
    /// </summary>
    private static void AddStepGradient(float[] dh, Tensor grad, int t, int first, int end, int steps, int units)
    {
        for (int b = first; b < end; b++)
        {
            var row = dh.AsSpan(b * units, units);
            TensorPrimitives.Add(row, grad.Data.AsSpan((b * steps + t) * units, units), row);
        }
    }

    /// <summary>
    /// Runs body(first, end, gemmThreads) over shares of the batch rows, one share per core. The rows are
    /// independent through time, so each share runs every step on its own thread with no hand-off per
    /// step; splitting each step's small product instead costs two hand-offs per step and leaves the cell
    /// kernels on one core. Steps whose product is below Gemm's parallel threshold run as one share.
    /// gemmThreads is what the share's products may use: 1 inside a share, 0 (all cores) for a single share.
    /// </summary>
    private static void ForBatchShares(int batch, long stepMultiplyAdds, Action<int, int, int> body)
    {
        int shares = Math.Min(Math.Min(Parallelism.MaxThreads, GemmWorkers.Threads), batch / 4);
        if (shares > 1 && stepMultiplyAdds >= Gemm.ParallelThreshold
            && GemmWorkers.TryRun(shares, s => body(batch * s / shares, batch * (s + 1) / shares, 1)))
            return;
        body(0, batch, 0);
    }

    /// <summary>
    /// The gradients of the input projection xs·kernel over all steps from <paramref name="dProjection"/>
    /// [steps·batch, width]: dx (back in batch-major order) and d kernel, each null when not needed.
    /// </summary>
    private static (Tensor? Input, Tensor? Kernel) ProjectionGradients(Tensor x, Tensor kernel, float[] xs, float[] dProjection, bool goBackwards)
    {
        int batch = x.Dims[0], steps = x.Dims[1], features = x.Dims[2], rows = steps * batch, width = kernel.Dims[1];
        Tensor? dx = null, dKernel = null;
        if (x.RequiresGrad)
        {
            var dxs = BufferPool.Floats(rows * features);
            Gemm.Multiply(false, true, rows, features, width, dProjection, kernel.Data, dxs);
            var dxData = BufferPool.Floats(x.Size);
            Layout.FromTimeMajor(dxs, dxData, batch, steps, features, goBackwards);
            BufferPool.Return(dxs);
            dx = new Tensor(dxData, x.Dims);
        }
        if (kernel.RequiresGrad)
        {
            var dw = BufferPool.Floats(kernel.Size);
            Gemm.Multiply(true, false, features, width, rows, xs, dProjection, dw);
            dKernel = new Tensor(dw, kernel.Dims);
        }
        return (dx, dKernel);
    }

    /// <summary>
    /// d recurrent kernel = Σ_t h_{t−1}ᵀ·dRecurrent_t as one product over all steps: <paramref name="hs"/>'s
    /// first <paramref name="rows"/> rows are the states each step read. Null when not needed.
    /// </summary>
    private static Tensor? RecurrentKernelGradient(Tensor recurrentKernel, float[] hs, float[] dRecurrent, int rows)
    {
        if (!recurrentKernel.RequiresGrad) return null;
        int units = recurrentKernel.Dims[0], width = recurrentKernel.Dims[1];
        var du = BufferPool.Floats(recurrentKernel.Size);
        Gemm.Multiply(true, false, units, width, rows, hs, dRecurrent, du);
        return new Tensor(du, recurrentKernel.Dims);
    }

    /// <summary>
    /// A [batch, width] sum of a gate gradient over the steps, for its bias: each batch share adds its
    /// rows right after the cell kernel wrote them (while they are in cache), instead of a pass over
    /// all steps' gradients afterwards (6.5 MB for the LSTM benchmark: ~0.4 ms on one core). Null when
    /// the bias needs no gradient.
    /// </summary>
    private static float[]? BiasRows(Tensor? bias, int batch, int width) =>
        bias is { RequiresGrad: true } ? BufferPool.ZeroedFloats(batch * width) : null;

    /// <summary>Adds one step's gradient rows of a batch share into its rows of <see cref="BiasRows"/>' sum.</summary>
    private static void AddBiasRows(float[]? biasRows, int offset, ReadOnlySpan<float> stepRows)
    {
        if (biasRows is null) return;
        var sum = biasRows.AsSpan(offset, stepRows.Length);
        TensorPrimitives.Add(sum, stepRows, sum);
    }

    /// <summary><paramref name="sum"/> += the sum of the <paramref name="rows"/> rows of <paramref name="source"/> (each of sum's length).</summary>
    private static void AddRows(ReadOnlySpan<float> source, int rows, Span<float> sum)
    {
        int width = sum.Length;
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(sum, source.Slice(r * width, width), sum);
    }
}
