using Nerva.Kernels;

namespace Nerva;

// Convolutions on NHWC tensors with Keras kernel layouts, on the im2col + GEMM kernels.
public sealed partial class Tensor
{
    /// <summary>
    /// 2-D convolution of images [N, H, W, C] with a kernel [kh, kw, C / groups, filters] (Keras layout)
    /// and an optional bias [filters]; padding "valid" or "same" as TensorFlow computes it.
    /// </summary>
    public Tensor Conv2D(Tensor kernel, Tensor? bias = null, int strideH = 1, int strideW = 1, string padding = "valid",
        int dilationH = 1, int dilationW = 1, int groups = 1)
    {
        if (Rank != 4 || kernel.Rank != 4)
            throw ShapeUtil.Error("Conv2D", "images [N, H, W, C] and a kernel [kh, kw, C/groups, filters]", $"{ShapeUtil.Format(Dims)} and {ShapeUtil.Format(kernel.Dims)}");
        if (kernel.Dims[2] * groups != Dims[3])
            throw ShapeUtil.Error("Conv2D", $"a kernel for {Dims[3]} input channels in {groups} group(s)", $"{ShapeUtil.Format(kernel.Dims)} with images {ShapeUtil.Format(Dims)}");
        var g = Conv2DGeometry.Create(Dims[0], Dims[1], Dims[2], Dims[3], kernel.Dims[3], kernel.Dims[0], kernel.Dims[1],
            strideH, strideW, padding, dilationH, dilationW, groups);
        return Convolve(this, kernel, bias, g, [Dims[0], g.OutHeight, g.OutWidth, g.OutChannels], "Conv2D");
    }

    /// <summary>
    /// 1-D convolution of sequences [N, steps, C] with a kernel [k, C / groups, filters]; padding "valid",
    /// "same" or "causal" (only past steps, as Keras).
    /// </summary>
    public Tensor Conv1D(Tensor kernel, Tensor? bias = null, int stride = 1, string padding = "valid", int dilation = 1, int groups = 1)
    {
        if (Rank != 3 || kernel.Rank != 3)
            throw ShapeUtil.Error("Conv1D", "sequences [N, steps, C] and a kernel [k, C/groups, filters]", $"{ShapeUtil.Format(Dims)} and {ShapeUtil.Format(kernel.Dims)}");
        if (kernel.Dims[1] * groups != Dims[2])
            throw ShapeUtil.Error("Conv1D", $"a kernel for {Dims[2]} input channels in {groups} group(s)", $"{ShapeUtil.Format(kernel.Dims)} with sequences {ShapeUtil.Format(Dims)}");
        var g = Conv2DGeometry.Create1D(Dims[0], Dims[1], Dims[2], kernel.Dims[2], kernel.Dims[0], stride, padding, dilation, groups);
        // A sequence is an image of height 1; the kernel [k, C, F] is [1, k, C, F] in the same memory.
        return Convolve(this, kernel, bias, g, [Dims[0], g.OutWidth, g.OutChannels], "Conv1D");
    }

    private static Tensor Convolve(Tensor input, Tensor kernel, Tensor? bias, Conv2DGeometry g, int[] outputShape, string op)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Size != g.OutChannels))
            throw ShapeUtil.Error(op, $"a bias [{g.OutChannels}]", ShapeUtil.Format(bias.Dims));
        var output = new float[g.OutputLength];
        if (bias is null) Convolution.Forward(input.Data, kernel.Data, output, g);
        else Convolution.Forward(input.Data, kernel.Data, bias.Data, output, g);
        Tensor[] inputs = bias is null ? [input, kernel] : [input, kernel, bias];
        // dX = the transposed convolution of g with the kernel; dK = im2col(X)ᵀ·g; db = Σ g over N, H, W
        return Record(new Tensor(output, outputShape), op, inputs, grad =>
        {
            Tensor? dInput = null, dKernel = null, dBias = null;
            if (input.RequiresGrad)
            {
                var dx = new float[input.Size];
                Convolution.BackwardInput(grad.Data, kernel.Data, dx, g);
                dInput = new Tensor(dx, input.Dims);
            }
            bool biasGrad = bias is not null && bias.RequiresGrad;
            if (kernel.RequiresGrad)
            {
                var dk = new float[kernel.Size];
                if (biasGrad)
                {
                    // One pass over the output gradient gives both.
                    var db = new float[bias!.Size];
                    Convolution.BackwardKernel(input.Data, grad.Data, dk, db, g);
                    dBias = new Tensor(db, bias.Dims);
                }
                else Convolution.BackwardKernel(input.Data, grad.Data, dk, g);
                dKernel = new Tensor(dk, kernel.Dims);
            }
            if (biasGrad && dBias is null)
            {
                var db = new float[bias!.Size];
                Convolution.BiasGradient(grad.Data, db);
                dBias = new Tensor(db, bias.Dims);
            }
            return bias is null ? [dInput, dKernel] : [dInput, dKernel, dBias];
        });
    }
}
