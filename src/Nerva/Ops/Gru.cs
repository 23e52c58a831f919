using Nerva.Kernels;

namespace Nerva;

// The GRU as one op over the whole sequence, so the time loop costs one graph node.
public sealed partial class Tensor
{
    /// <summary>
    /// A GRU over the sequence <paramref name="x"/> [batch, steps, features] in Keras's reset_after form
    /// (PyTorch's GRU) with sigmoid gates and a tanh candidate, from a zero initial state: per step
    /// x_t·W + b_in and h·U + b_rec split into z, r, h parts; z = σ(x_z + r_z), r = σ(x_r + r_r),
    /// candidate = tanh(x_h + r·r_h), h = z·h + (1 − z)·candidate. W [features, 3u], U [u, 3u],
    /// bias [2, 3u] (row 0 b_in, row 1 b_rec; Keras layouts). Returns every h [batch, steps, u] (in processing
    /// order) or the last [batch, u].
    /// </summary>
    internal static Tensor Gru(Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor? bias, bool returnSequences, bool goBackwards)
    {
        const string op = "GRU";
        var (batch, steps, _, units) = CheckRecurrent(op, x, kernel, recurrentKernel, gates: 3);
        int width = 3 * units;
        if (bias is not null && (bias.Rank != 2 || bias.Dims[0] != 2 || bias.Dims[1] != width))
            throw ShapeUtil.Error(op, $"a bias [2, {width}]", ShapeUtil.Format(bias.Dims));

        int rows = steps * batch, state = batch * units, block = batch * width;
        // Time-major throughout: step t's rows are one contiguous [batch, ·] block. The input parts of every
        // step come from one product; the kernel turns them into the activated gates in place.
        var gates = BufferPool.Floats(rows * width);
        var xs = ProjectInputs(x, kernel, bias is null ? default : bias.Data.AsSpan(0, width), goBackwards, gates);
        // The recurrent parts h·U + b_rec of every step, kept for the backward (r_h feeds the candidate).
        var recurrent = BufferPool.Floats(rows * width);
        if (bias is not null)
            for (int r = 0; r < rows; r++) bias.Data.AsSpan(width, width).CopyTo(recurrent.AsSpan(r * width, width));
        var hs = BufferPool.Floats((steps + 1) * state);
        hs.AsSpan(0, state).Clear();
        using var packedU = Gemm.PackB(false, width, units, recurrentKernel.Data); // once for all steps
        ForBatchShares(batch, (long)batch * width * units, (first, end, threads) =>
        {
            int n = end - first, gateRows = first * width, stateRows = first * units;
            for (int t = 0; t < steps; t++)
            {
                var rec = recurrent.AsSpan(t * block + gateRows, n * width);
                Gemm.Multiply(n, hs.AsSpan(t * state + stateRows, n * units), packedU, rec, accumulate: bias is not null, threads);
                GruKernels.CellForward(gates.AsSpan(t * block + gateRows, n * width), rec, hs.AsSpan(t * state + stateRows, n * units),
                    hs.AsSpan((t + 1) * state + stateRows, n * units), n, units);
            }
        });

        var output = RecurrentOutput(hs, batch, steps, units, returnSequences);
        Tensor[] inputs = bias is null ? [x, kernel, recurrentKernel] : [x, kernel, recurrentKernel, bias];
        return Record(output, op, inputs, grad =>
        {
            // Back through time: the cell gives the gradients of both parts, and dh_{t−1} = dh·z + dRecurrent_t·Uᵀ;
            // the weight gradients are then products over all steps at once.
            var dInput = BufferPool.Floats(rows * width);
            var dRecurrent = BufferPool.Floats(rows * width);
            var dh = LastStateGradient(grad, state, returnSequences);
            var (dbInputRows, dbRecurrentRows) = (BiasRows(bias, batch, width), BiasRows(bias, batch, width));
            using var packedUt = Gemm.PackB(true, units, width, recurrentKernel.Data);
            ForBatchShares(batch, (long)batch * width * units, (first, end, threads) =>
            {
                int n = end - first, gateRows = first * width, stateRows = first * units;
                var dhShare = dh.AsSpan(stateRows, n * units);
                for (int t = steps - 1; t >= 0; t--)
                {
                    if (returnSequences) AddStepGradient(dh, grad, t, first, end, steps, units);
                    var dRec = dRecurrent.AsSpan(t * block + gateRows, n * width);
                    GruKernels.CellBackward(gates.AsSpan(t * block + gateRows, n * width), recurrent.AsSpan(t * block + gateRows, n * width),
                        hs.AsSpan(t * state + stateRows, n * units), dhShare, dInput.AsSpan(t * block + gateRows, n * width), dRec, n, units);
                    AddBiasRows(dbInputRows, gateRows, dInput.AsSpan(t * block + gateRows, n * width));
                    AddBiasRows(dbRecurrentRows, gateRows, dRec);
                    if (t > 0) Gemm.Multiply(n, dRec, packedUt, dhShare, accumulate: true, threads);
                }
            });

            var (dx, dKernel) = ProjectionGradients(x, kernel, xs, dInput, goBackwards);
            var dRecurrentKernel = RecurrentKernelGradient(recurrentKernel, hs, dRecurrent, rows);
            Tensor? dBias = null;
            if (dbInputRows is not null && dbRecurrentRows is not null)
            {
                var db = BufferPool.ZeroedFloats(2 * width);
                AddRows(dbInputRows, batch, db.AsSpan(0, width));
                AddRows(dbRecurrentRows, batch, db.AsSpan(width, width));
                dBias = new Tensor(db, bias!.Dims);
            }
            BufferPool.Return(dInput, dRecurrent, dh, dbInputRows, dbRecurrentRows);
            return bias is null ? [dx, dKernel, dRecurrentKernel] : [dx, dKernel, dRecurrentKernel, dBias];
        }).Saving(gates, xs, recurrent, hs);
    }
}
