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

    /// <summary>
    /// Transposed 2-D convolution (Keras's Conv2DTranspose) of images [N, H, W, C] with a kernel
    /// [kh, kw, filters, C] and an optional bias [filters]. Without <paramref name="outputPaddingH"/>/<paramref name="outputPaddingW"/>
    /// the output is H·s + max(k − s, 0) ("valid") or H·s ("same"); with them, (H − 1)·s + k + p
    /// ("valid") or (H − 1)·s + k mod 2 + p ("same"), where k is the dilated kernel and 0 ≤ p &lt; s.
    /// </summary>
    /// <remarks>
    /// The result is the gradient, with respect to its input, of the convolution that would map the
    /// output back to these images with the same kernel, strides and padding, as TensorFlow defines
    /// conv2d_transpose; "same" therefore crops TensorFlow's way (the odd pixel at the bottom/right).
    /// </remarks>
    public Tensor Conv2DTranspose(Tensor kernel, Tensor? bias = null, int strideH = 1, int strideW = 1, string padding = "valid",
        int dilationH = 1, int dilationW = 1, int? outputPaddingH = null, int? outputPaddingW = null)
    {
        const string op = "Conv2DTranspose";
        if (Rank != 4 || kernel.Rank != 4)
            throw ShapeUtil.Error(op, "images [N, H, W, C] and a kernel [kh, kw, filters, C]", $"{ShapeUtil.Format(Dims)} and {ShapeUtil.Format(kernel.Dims)}");
        if (kernel.Dims[3] != Dims[3])
            throw ShapeUtil.Error(op, $"a kernel [kh, kw, filters, {Dims[3]}] for {Dims[3]} input channels", ShapeUtil.Format(kernel.Dims));
        if (outputPaddingH is null != outputPaddingW is null)
            throw new ArgumentException($"{op}: expected output padding for both height and width or for neither, got {outputPaddingH?.ToString() ?? "none"} and {outputPaddingW?.ToString() ?? "none"}.");
        int n = Dims[0], h = Dims[1], w = Dims[2], c = Dims[3], filters = kernel.Dims[2], kh = kernel.Dims[0], kw = kernel.Dims[1];
        Conv2DGeometry g;
        if (outputPaddingH is null)
        {
            g = Conv2DGeometry.CreateTranspose(n, h, w, c, filters, kh, kw, strideH, strideW, padding, dilationH, dilationW);
        }
        else
        {
            int outH = TransposedSize(h, kh, strideH, dilationH, padding, outputPaddingH.Value, "height");
            int outW = TransposedSize(w, kw, strideW, dilationW, padding, outputPaddingW!.Value, "width");
            g = Conv2DGeometry.Create(n, outH, outW, filters, c, kh, kw, strideH, strideW, padding, dilationH, dilationW);
            // Keras's sizes make the adjoint convolution land back on H×W except for an even kernel
            // under "same" with no output padding, which TensorFlow rejects too.
            if (g.OutHeight != h || g.OutWidth != w)
                throw new ArgumentException($"{op}: output padding ({outputPaddingH}, {outputPaddingW}) with padding \"{padding}\" gives a {outH}×{outW} output whose convolution is {g.OutHeight}×{g.OutWidth}, not the input's {h}×{w} (an even kernel under \"same\" needs an output padding of at least 1).");
        }
        if (bias is not null && (bias.Rank != 1 || bias.Size != filters))
            throw ShapeUtil.Error(op, $"a bias [{filters}]", ShapeUtil.Format(bias.Dims));

        // The adjoint geometry g runs from the output [N, H', W', filters] to this input [N, H, W, C].
        var output = BufferPool.Floats(g.InputLength);
        Convolution.BackwardInput(Data, kernel.Data, output, g);
        if (bias is not null) Convolution.AddBias(output, bias.Data);
        var input = this;
        Tensor[] inputs = bias is null ? [input, kernel] : [input, kernel, bias];
        // y = Aᵀx for the convolution A of g, so dx = A·grad (g's forward pass) and, since
        // ⟨Aᵀ(K)x, grad⟩ = ⟨A(K)grad, x⟩, dK is g's kernel gradient with grad as input and x as dOutput.
        return Record(new Tensor(output, [n, g.InHeight, g.InWidth, filters]), op, inputs, grad =>
        {
            Tensor? dInput = null, dKernel = null, dBias = null;
            if (input.RequiresGrad)
            {
                var dx = BufferPool.Floats(input.Size);
                Convolution.Forward(grad.Data, kernel.Data, dx, g);
                dInput = new Tensor(dx, input.Dims);
            }
            if (kernel.RequiresGrad)
            {
                var dk = BufferPool.Floats(kernel.Size);
                Convolution.BackwardKernel(grad.Data, input.Data, dk, g);
                dKernel = new Tensor(dk, kernel.Dims);
            }
            if (bias is not null && bias.RequiresGrad)
            {
                var db = new float[bias.Size];
                Convolution.BiasGradient(grad.Data, db);
                dBias = new Tensor(db, bias.Dims);
            }
            return bias is null ? [dInput, dKernel] : [dInput, dKernel, dBias];
        });
    }

    /// <summary>Keras's transposed-convolution output size along one axis when output padding is given.</summary>
    private static int TransposedSize(int input, int kernel, int stride, int dilation, string padding, int outputPadding, string axis)
    {
        if (kernel < 1 || stride < 1 || dilation < 1)
            throw new ArgumentException($"Conv2DTranspose: expected positive kernel, stride and dilation along the {axis}, got {kernel}, {stride}, {dilation}.");
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentException($"Conv2DTranspose: expected output padding in [0, stride) = [0, {stride}) along the {axis}, got {outputPadding}.");
        int effective = (kernel - 1) * dilation + 1;
        int size = padding switch
        {
            "valid" => (input - 1) * stride + effective + outputPadding,
            "same" => (input - 1) * stride + effective % 2 + outputPadding,
            _ => throw new ArgumentException($"Conv2DTranspose: expected padding \"valid\" or \"same\", got \"{padding}\"."),
        };
        if (size < 1)
            throw new ArgumentException($"Conv2DTranspose: output padding {outputPadding} with padding \"{padding}\" leaves no output along the {axis} (input {input}, kernel {kernel}).");
        return size;
    }

    private static Tensor Convolve(Tensor input, Tensor kernel, Tensor? bias, Conv2DGeometry g, int[] outputShape, string op)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Size != g.OutChannels))
            throw ShapeUtil.Error(op, $"a bias [{g.OutChannels}]", ShapeUtil.Format(bias.Dims));
        var output = BufferPool.Floats(g.OutputLength);
        if (bias is null) Convolution.Forward(input.Data, kernel.Data, output, g);
        else Convolution.Forward(input.Data, kernel.Data, bias.Data, output, g);
        Tensor[] inputs = bias is null ? [input, kernel] : [input, kernel, bias];
        // dX = the transposed convolution of g with the kernel; dK = im2col(X)ᵀ·g; db = Σ g over N, H, W
        return Record(new Tensor(output, outputShape), op, inputs, grad =>
        {
            Tensor? dInput = null, dKernel = null, dBias = null;
            if (input.RequiresGrad)
            {
                var dx = BufferPool.Floats(input.Size);
                Convolution.BackwardInput(grad.Data, kernel.Data, dx, g);
                dInput = new Tensor(dx, input.Dims);
            }
            bool biasGrad = bias is not null && bias.RequiresGrad;
            if (kernel.RequiresGrad)
            {
                var dk = BufferPool.Floats(kernel.Size);
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
