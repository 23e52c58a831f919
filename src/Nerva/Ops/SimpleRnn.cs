using System.Numerics.Tensors;
using Nerva.Kernels;

namespace Nerva;

// The fully connected RNN as one op over the whole sequence, so the time loop costs one graph node.
public sealed partial class Tensor
{
    /// <summary>
    /// A fully connected RNN over the sequence <paramref name="x"/> [batch, steps, features] from a zero
    /// initial state: per step h = tanh(x_t·W + h·U + b), or relu(…) with <paramref name="relu"/>.
    /// W [features, u], U [u, u], b [u] (Keras layouts). Returns every h [batch, steps, u] (in processing
    /// order) or the last [batch, u].
    /// </summary>
    internal static Tensor SimpleRnn(Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor? bias, bool returnSequences, bool goBackwards, bool relu = false)
    {
        const string op = "SimpleRNN";
        var (batch, steps, _, units) = CheckRecurrent(op, x, kernel, recurrentKernel, gates: 1);
        if (bias is not null && (bias.Rank != 1 || bias.Size != units))
            throw ShapeUtil.Error(op, $"a bias [{units}]", ShapeUtil.Format(bias.Dims));

        int rows = steps * batch, state = batch * units;
        // h for steps −1..T−1, time-major (slot 0 is the zero initial state). Each step's slot first holds
        // x_t·W + b, then adds h·U and is activated in place: the backward needs only h.
        var hs = BufferPool.Floats((steps + 1) * state);
        hs.AsSpan(0, state).Clear();
        var xs = ProjectInputs(x, kernel, bias is null ? default : bias.Data, goBackwards, hs.AsSpan(state));
        using var packedU = Gemm.PackB(false, units, units, recurrentKernel.Data); // once for all steps
        ForBatchShares(batch, (long)batch * units * units, (first, end, threads) =>
        {
            int n = end - first, stateRows = first * units;
            for (int t = 0; t < steps; t++)
            {
                var h = hs.AsSpan((t + 1) * state + stateRows, n * units);
                Gemm.Multiply(n, hs.AsSpan(t * state + stateRows, n * units), packedU, h, accumulate: true, threads);
                if (relu) TensorPrimitives.Max(h, 0f, h);
                else TensorPrimitives.Tanh(h, h);
            }
        });

        var output = RecurrentOutput(hs, batch, steps, units, returnSequences);
        Tensor[] inputs = bias is null ? [x, kernel, recurrentKernel] : [x, kernel, recurrentKernel, bias];
        return Record(output, op, inputs, grad =>
        {
            // Back through time: dz_t = dh·activation′, dh_{t−1} = dz_t·Uᵀ; the weight gradients are then
            // products over all steps at once.
            var dz = BufferPool.Floats(rows * units);
            var dh = LastStateGradient(grad, state, returnSequences);
            var dbRows = BiasRows(bias, batch, units);
            using var packedUt = Gemm.PackB(true, units, units, recurrentKernel.Data);
            ForBatchShares(batch, (long)batch * units * units, (first, end, threads) =>
            {
                int n = end - first, stateRows = first * units;
                var dhShare = dh.AsSpan(stateRows, n * units);
                for (int t = steps - 1; t >= 0; t--)
                {
                    if (returnSequences) AddStepGradient(dh, grad, t, first, end, steps, units);
                    var h = hs.AsSpan((t + 1) * state + stateRows, n * units);
                    var dzt = dz.AsSpan(t * state + stateRows, n * units);
                    // relu's output is positive exactly where its input is, so the output serves as the mask.
                    if (relu) ActivationKernels.ReluGradient(h, dhShare, 0f, dzt);
                    else ActivationKernels.TanhGradient(h, dhShare, dzt);
                    AddBiasRows(dbRows, stateRows, dzt);
                    if (t > 0) Gemm.Multiply(n, dzt, packedUt, dhShare, accumulate: false, threads);
                }
            });

            var (dx, dKernel) = ProjectionGradients(x, kernel, xs, dz, goBackwards);
            var dRecurrent = RecurrentKernelGradient(recurrentKernel, hs, dz, rows);
            Tensor? dBias = null;
            if (dbRows is not null)
            {
                var db = BufferPool.ZeroedFloats(units);
                AddRows(dbRows, batch, db);
                dBias = new Tensor(db, bias!.Dims);
            }
            BufferPool.Return(dz, dh, dbRows);
            return bias is null ? [dx, dKernel, dRecurrent] : [dx, dKernel, dRecurrent, dBias];
        }).Saving(xs, hs);
    }
}
