using System.Numerics.Tensors;
using Nerva.Kernels;

namespace Nerva;

/// <summary>The activations a <see cref="Tensor.Linear"/> applies inside its own pass (their derivatives follow from the output alone).</summary>
internal enum FusedActivation
{
    None,
    Relu,
    Sigmoid,
    Tanh,
}

// A Dense layer's affine map and activation as one recorded op, like torch's addmm with the
// activation after it: one output buffer, one graph node, and no separate passes for the bias add
// and the activation or for their gradients.
public sealed partial class Tensor
{
    /// <summary>
    /// act(x·kernel + bias) over the last axis of <paramref name="x"/> ([..., in] with kernel [in, out],
    /// Keras's layout): C starts as the bias rows and the GEMM accumulates onto it; the activation
    /// then runs in place. Backward: dz = g·act′ from the output, dx = dz·kernelᵀ, d kernel = xᵀ·dz
    /// and d bias = the column sums of dz, the last two added straight into existing gradient buffers.
    /// </summary>
    internal static Tensor Linear(Tensor x, Tensor kernel, Tensor? bias, FusedActivation activation)
    {
        int inputs = kernel.Rank == 2 ? kernel.Dims[0] : -1, units = kernel.Rank == 2 ? kernel.Dims[1] : -1;
        if (inputs < 0 || x.Rank == 0 || x.Dims[^1] != inputs || bias is not null && (bias.Rank != 1 || bias.Size != units))
            throw ShapeUtil.Error("Linear", "x [..., in], a 2-D kernel [in, units] and bias [units]",
                $"{ShapeUtil.Format(x.Dims)}, {ShapeUtil.Format(kernel.Dims)}" + (bias is null ? "" : $" and {ShapeUtil.Format(bias.Dims)}"));
        int rows = x.Size / Math.Max(inputs, 1);
        if (inputs == 0) rows = ShapeUtil.SizeOf(x.Dims[..^1]);
        var y = BufferPool.Floats(rows * units);
        if (bias is not null)
            for (int r = 0; r < rows; r++) bias.Data.AsSpan(0, units).CopyTo(y.AsSpan(r * units, units));
        Gemm.Multiply(false, false, rows, units, inputs, x.Data, kernel.Data, y, accumulate: bias is not null);
        ApplyInPlace(activation, y);
        var result = new Tensor(y, [.. x.Dims[..^1], units]);
        Tensor[] operands = bias is null ? [x, kernel] : [x, kernel, bias];
        return Record(result, "Linear", operands, g =>
        {
            var dz = activation == FusedActivation.None ? g : result.Zip(g, activation switch
            {
                FusedActivation.Relu => static (y, g, dz) => ActivationKernels.ReluGradient(y, g, 0f, dz), // y > 0 exactly where x > 0
                FusedActivation.Sigmoid => static (y, g, dz) => ActivationKernels.SigmoidGradient(y, g, dz),
                _ => static (y, g, dz) => ActivationKernels.TanhGradient(y, g, dz),
            });
            Tensor? dx = null;
            if (x.RequiresGrad)
            {
                var dxData = BufferPool.Floats(x.Size);
                Gemm.Multiply(false, true, rows, inputs, units, dz.Data, kernel.Data, dxData);
                dx = new Tensor(dxData, x.Dims);
            }
            var dKernel = kernel.RequiresGrad ? FoldedWeightGradient(x, dz, kernel) : null;
            if (bias is null) return [dx, dKernel];
            return [dx, dKernel, bias.RequiresGrad ? BiasGradient(dz, rows, bias) : null];
        });
    }

    /// <summary>The activation over <paramref name="y"/> in place, on all cores when large.</summary>
    private static void ApplyInPlace(FusedActivation activation, float[] y)
    {
        SpanMap? kernel = activation switch
        {
            FusedActivation.Relu => static (x, y) => TensorPrimitives.Max(x, 0f, y),
            FusedActivation.Sigmoid => static (x, y) => ActivationKernels.Sigmoid(x, y),
            FusedActivation.Tanh => static (x, y) => TensorPrimitives.Tanh(x, y),
            _ => null,
        };
        if (kernel is null) return;
        if (y.Length < 2 * Parallelism.ElementwiseGrain) kernel(y, y);
        else MapParallel(kernel, y, y);
    }

    /// <summary>
    /// The column sums of dz [rows, units]: added straight into the bias's gradient buffer when it is a leaf
    /// that has one (null is then returned, as for the kernel), else a new tensor.
    /// </summary>
    private static Tensor? BiasGradient(Tensor dz, int rows, Tensor bias)
    {
        if (bias.IsLeaf && bias.Grad is { } existing)
        {
            AddRows(dz.Data, rows, existing.Data);
            return null;
        }
        var sums = BufferPool.ZeroedFloats(bias.Size);
        AddRows(dz.Data, rows, sums);
        return new Tensor(sums, bias.Dims);
    }
}
