using Nerva.Kernels;

namespace Nerva;

// Softmax and log-softmax are fused for numerical stability; their backwards are one line each.
public sealed partial class Tensor
{
    /// <summary>e^x / Σ e^x along <paramref name="dim"/>.</summary>
    public Tensor Softmax(int dim)
    {
        var y = AlongAxis(dim, SoftmaxKernels.Softmax, "Softmax");
        // d/dx = y·(g − Σ g·y)
        return Record(y, "Softmax", [this], g => [y * (g - (g * y).Sum(dim, keepDim: true))]);
    }

    /// <summary>log softmax along <paramref name="dim"/>, computed without forming the softmax.</summary>
    public Tensor LogSoftmax(int dim)
    {
        var y = AlongAxis(dim, SoftmaxKernels.LogSoftmax, "LogSoftmax");
        // d/dx = g − e^y·Σ g
        return Record(y, "LogSoftmax", [this], g => [g - y.Exp() * g.Sum(dim, keepDim: true)]);
    }

    /// <summary>Runs a shape-preserving kernel along one axis; records nothing.</summary>
    private Tensor AlongAxis(int dim, AxisReduction kernel, string op)
    {
        int d = ShapeUtil.NormalizeDim(dim, Math.Max(Rank, 1), op);
        if (Rank == 0) return Map((x, y) => kernel(x, 1, 1, 1, y));
        var (outer, inner) = AxisBlocks(d);
        var result = BufferPool.Floats(Size);
        kernel(Data, outer, Dims[d], inner, result);
        return new Tensor(result, Dims);
    }
}
