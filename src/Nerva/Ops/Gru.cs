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
        for (int t = 0; t < steps; t++)
        {
            var rec = recurrent.AsSpan(t * block, block);
            Gemm.Multiply(false, false, batch, width, units, hs.AsSpan(t * state, state), recurrentKernel.Data, rec, accumulate: bias is not null);
            GruKernels.CellForward(gates.AsSpan(t * block, block), rec, hs.AsSpan(t * state, state), hs.AsSpan((t + 1) * state, state), batch, units);
        }

        var output = RecurrentOutput(hs, batch, steps, units, returnSequences);
        Tensor[] inputs = bias is null ? [x, kernel, recurrentKernel] : [x, kernel, recurrentKernel, bias];
        return Record(output, op, inputs, grad =>
        {
            // Back through time: the cell gives the gradients of both parts, and dh_{t−1} = dh·z + dRecurrent_t·Uᵀ;
            // the weight gradients are then products over all steps at once.
            var dInput = BufferPool.Floats(rows * width);
            var dRecurrent = BufferPool.Floats(rows * width);
            var dh = LastStateGradient(grad, state, returnSequences);
            for (int t = steps - 1; t >= 0; t--)
            {
                if (returnSequences) AddStepGradient(dh, grad, t, batch, steps, units);
                var dRec = dRecurrent.AsSpan(t * block, block);
                GruKernels.CellBackward(gates.AsSpan(t * block, block), recurrent.AsSpan(t * block, block), hs.AsSpan(t * state, state),
                    dh, dInput.AsSpan(t * block, block), dRec, batch, units);
                if (t > 0) Gemm.Multiply(false, true, batch, units, width, dRec, recurrentKernel.Data, dh, accumulate: true);
            }

            var (dx, dKernel) = ProjectionGradients(x, kernel, xs, dInput, goBackwards);
            var dRecurrentKernel = RecurrentKernelGradient(recurrentKernel, hs, dRecurrent, rows);
            if (bias is null) return [dx, dKernel, dRecurrentKernel];
            Tensor? dBias = null;
            if (bias.RequiresGrad)
            {
                var db = BufferPool.ZeroedFloats(2 * width);
                AddRows(dInput, rows, db.AsSpan(0, width));
                AddRows(dRecurrent, rows, db.AsSpan(width, width));
                dBias = new Tensor(db, bias.Dims);
            }
            return [dx, dKernel, dRecurrentKernel, dBias];
        });
    }
}
