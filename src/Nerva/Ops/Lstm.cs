using System.Numerics.Tensors;
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
        if (x.Rank != 3) throw ShapeUtil.Error(op, "an input [batch, steps, features]", ShapeUtil.Format(x.Dims));
        int batch = x.Dims[0], steps = x.Dims[1], features = x.Dims[2];
        int units = recurrentKernel.Dims[0], width = 4 * units;
        if (kernel.Rank != 2 || kernel.Dims[0] != features || kernel.Dims[1] != width)
            throw ShapeUtil.Error(op, $"a kernel [{features}, {width}]", ShapeUtil.Format(kernel.Dims));
        if (recurrentKernel.Rank != 2 || recurrentKernel.Dims[1] != width)
            throw ShapeUtil.Error(op, $"a recurrent kernel [{units}, {width}]", ShapeUtil.Format(recurrentKernel.Dims));
        if (bias is not null && (bias.Rank != 1 || bias.Size != width))
            throw ShapeUtil.Error(op, $"a bias [{width}]", ShapeUtil.Format(bias.Dims));
        if (steps == 0) throw ShapeUtil.Error(op, "at least one time step", ShapeUtil.Format(x.Dims));

        int rows = steps * batch, state = batch * units;
        // Time-major throughout: step t's rows are one contiguous [batch, ·] block.
        var xs = BufferPool.Floats(rows * features);
        LstmKernels.ToTimeMajor(x.Data, xs, batch, steps, features, goBackwards);
        // Gates for every step at once from the input, then each step adds h·U in place and activates.
        var gates = BufferPool.Floats(rows * width);
        Gemm.Multiply(false, false, rows, width, features, xs, kernel.Data, gates);
        if (bias is not null)
            for (int r = 0; r < rows; r++) TensorPrimitives.Add(gates.AsSpan(r * width, width), bias.Data, gates.AsSpan(r * width, width));
        // h and c for steps −1..T−1 (slot 0 is the zero initial state), tanh(c) for steps 0..T−1.
        var hs = BufferPool.Floats((steps + 1) * state);
        var cs = BufferPool.Floats((steps + 1) * state);
        var tanhCs = BufferPool.Floats(rows * units);
        hs.AsSpan(0, state).Clear();
        cs.AsSpan(0, state).Clear();
        for (int t = 0; t < steps; t++)
        {
            var z = gates.AsSpan(t * batch * width, batch * width);
            Gemm.Multiply(false, false, batch, width, units, hs.AsSpan(t * state, state), recurrentKernel.Data, z, accumulate: true);
            LstmKernels.CellForward(z, cs.AsSpan(t * state, state), cs.AsSpan((t + 1) * state, state),
                tanhCs.AsSpan(t * state, state), hs.AsSpan((t + 1) * state, state), batch, units);
        }

        Tensor output;
        if (returnSequences)
        {
            var sequence = BufferPool.Floats(rows * units);
            LstmKernels.FromTimeMajor(hs.AsSpan(state), sequence, batch, steps, units, reverse: false);
            output = new Tensor(sequence, [batch, steps, units]);
        }
        else
        {
            var last = BufferPool.Floats(state);
            hs.AsSpan(steps * state, state).CopyTo(last);
            output = new Tensor(last, [batch, units]);
        }

        Tensor[] inputs = bias is null ? [x, kernel, recurrentKernel] : [x, kernel, recurrentKernel, bias];
        return Record(output, op, inputs, grad =>
        {
            // Back through time: dz_t from the cell, dh_{t−1} = dz_t·Uᵀ; the weight gradients are then
            // three products over all steps at once.
            var dz = BufferPool.Floats(rows * width);
            var dh = BufferPool.Floats(state);
            var dc = BufferPool.ZeroedFloats(state);
            if (returnSequences) dh.AsSpan().Clear();
            else grad.Data.AsSpan().CopyTo(dh);
            for (int t = steps - 1; t >= 0; t--)
            {
                if (returnSequences)
                    for (int b = 0; b < batch; b++)
                    {
                        var row = dh.AsSpan(b * units, units);
                        TensorPrimitives.Add(row, grad.Data.AsSpan((b * steps + t) * units, units), row);
                    }
                var dzt = dz.AsSpan(t * batch * width, batch * width);
                LstmKernels.CellBackward(gates.AsSpan(t * batch * width, batch * width), cs.AsSpan(t * state, state),
                    tanhCs.AsSpan(t * state, state), dh, dc, dzt, batch, units);
                if (t > 0) Gemm.Multiply(false, true, batch, units, width, dzt, recurrentKernel.Data, dh);
            }

            Tensor? dx = null, dKernel = null, dRecurrent = null, dBias = null;
            if (x.RequiresGrad)
            {
                var dxs = BufferPool.Floats(rows * features);
                Gemm.Multiply(false, true, rows, features, width, dz, kernel.Data, dxs);
                var dxData = BufferPool.Floats(x.Size);
                LstmKernels.FromTimeMajor(dxs, dxData, batch, steps, features, goBackwards);
                dx = new Tensor(dxData, x.Dims);
            }
            if (kernel.RequiresGrad)
            {
                var dw = BufferPool.Floats(kernel.Size);
                Gemm.Multiply(true, false, features, width, rows, xs, dz, dw);
                dKernel = new Tensor(dw, kernel.Dims);
            }
            if (recurrentKernel.RequiresGrad)
            {
                var du = BufferPool.Floats(recurrentKernel.Size);
                Gemm.Multiply(true, false, units, width, rows, hs, dz, du);
                dRecurrent = new Tensor(du, recurrentKernel.Dims);
            }
            if (bias is not null && bias.RequiresGrad)
            {
                var db = BufferPool.ZeroedFloats(width);
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(db, dz.AsSpan(r * width, width), db);
                dBias = new Tensor(db, bias.Dims);
            }
            return bias is null ? [dx, dKernel, dRecurrent] : [dx, dKernel, dRecurrent, dBias];
        });
    }
}
