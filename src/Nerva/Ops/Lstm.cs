using Nerva.Diagnostics;
using Nerva.Kernels;

namespace Nerva;

// The LSTM as one op over the whole sequence, so the time loop costs one graph node.
public sealed partial class Tensor
{
    /// <summary>
    /// An LSTM over the sequence <paramref name="x"/> [batch, steps, features] with sigmoid gates and tanh
    /// cell activations, from zero initial states: per step z = x_t·W + h·U + b split into gates i, f, g, o;
    /// c = σ(f)·c + σ(i)·tanh(g); h = σ(o)·tanh(c). W [features, 4u], U [u, 4u], b [4u] (Keras layouts).
    /// Returns every h [batch, steps, u] (in processing order) or the last [batch, u].
    /// </summary>
    internal static Tensor Lstm(Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor? bias, bool returnSequences, bool goBackwards)
    {
        const string op = "LSTM";
        var (batch, steps, _, units) = CheckRecurrent(op, x, kernel, recurrentKernel, gates: 4);
        int width = 4 * units;
        if (bias is not null && (bias.Rank != 1 || bias.Size != width))
            throw ShapeUtil.Error(op, $"a bias [{width}]", ShapeUtil.Format(bias.Dims));

        int rows = steps * batch, state = batch * units, block = batch * width;
        // Time-major throughout: step t's rows are one contiguous [batch, ·] block. Gates for every step at
        // once from the input; then each step adds h·U in place and the cell kernel activates them.
        long clock = Profiler.Start();
        var gates = BufferPool.Floats(rows * width);
        // The bias is added by the cell kernel, not here: one pass fewer over the gates.
        var xs = ProjectInputs(x, kernel, default, goBackwards, gates);
        Profiler.Stop(clock, op, ": input product");
        // h and c for steps −1..T−1 (slot 0 is the zero initial state), tanh(c) for steps 0..T−1.
        var hs = BufferPool.Floats((steps + 1) * state);
        var cs = BufferPool.Floats((steps + 1) * state);
        var tanhCs = BufferPool.Floats(rows * units);
        hs.AsSpan(0, state).Clear();
        cs.AsSpan(0, state).Clear();
        clock = Profiler.Start();
        using var packedU = Gemm.PackB(false, width, units, recurrentKernel.Data); // once for all steps
        ForBatchShares(batch, (long)batch * width * units, (first, end, threads) =>
        {
            int n = end - first, gateRows = first * width, stateRows = first * units;
            for (int t = 0; t < steps; t++)
            {
                var z = gates.AsSpan(t * block + gateRows, n * width);
                Gemm.Multiply(n, hs.AsSpan(t * state + stateRows, n * units), packedU, z, accumulate: true, threads);
                LstmKernels.CellForward(z, bias is null ? default : bias.Data, cs.AsSpan(t * state + stateRows, n * units), cs.AsSpan((t + 1) * state + stateRows, n * units),
                    tanhCs.AsSpan(t * state + stateRows, n * units), hs.AsSpan((t + 1) * state + stateRows, n * units), n, units);
            }
        });
        Profiler.Stop(clock, op, ": steps");

        var output = RecurrentOutput(hs, batch, steps, units, returnSequences);
        Tensor[] inputs = bias is null ? [x, kernel, recurrentKernel] : [x, kernel, recurrentKernel, bias];
        return Record(output, op, inputs, grad =>
        {
            // Back through time: dz_t from the cell, dh_{t−1} = dz_t·Uᵀ; the weight gradients are then
            // products over all steps at once.
            var dz = BufferPool.Floats(rows * width);
            var dh = LastStateGradient(grad, state, returnSequences);
            var dc = BufferPool.ZeroedFloats(state);
            var dbRows = BiasRows(bias, batch, width);
            long backClock = Profiler.Start();
            using var packedUt = Gemm.PackB(true, units, width, recurrentKernel.Data);
            ForBatchShares(batch, (long)batch * width * units, (first, end, threads) =>
            {
                int n = end - first, gateRows = first * width, stateRows = first * units;
                for (int t = steps - 1; t >= 0; t--)
                {
                    if (returnSequences) AddStepGradient(dh, grad, t, first, end, steps, units);
                    var dzt = dz.AsSpan(t * block + gateRows, n * width);
                    var dhShare = dh.AsSpan(stateRows, n * units);
                    LstmKernels.CellBackward(gates.AsSpan(t * block + gateRows, n * width), cs.AsSpan(t * state + stateRows, n * units),
                        tanhCs.AsSpan(t * state + stateRows, n * units), dhShare, dc.AsSpan(stateRows, n * units), dzt, n, units);
                    AddBiasRows(dbRows, gateRows, dzt);
                    if (t > 0) Gemm.Multiply(n, dzt, packedUt, dhShare, accumulate: false, threads);
                }
            });
            Profiler.Stop(backClock, op, ": steps backward");

            long weights = Profiler.Start();
            var (dx, dKernel) = ProjectionGradients(x, kernel, xs, dz, goBackwards);
            var dRecurrentKernel = RecurrentKernelGradient(recurrentKernel, hs, dz, rows);
            Tensor? dBias = null;
            if (dbRows is not null)
            {
                var db = BufferPool.ZeroedFloats(width);
                AddRows(dbRows, batch, db);
                dBias = new Tensor(db, bias!.Dims);
            }
            Profiler.Stop(weights, op, ": input and weight gradient products");
            BufferPool.Return(dz, dh, dc, dbRows);
            return bias is null ? [dx, dKernel, dRecurrentKernel] : [dx, dKernel, dRecurrentKernel, dBias];
        }).Saving(gates, xs, hs, cs, tanhCs);
    }
}
