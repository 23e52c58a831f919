using Nerva.Kernels;

namespace Nerva;

// Matrix products on the packed GEMM kernel. Backward passes use its transposed-operand forms,
// so no transpose is ever materialised.
public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product with torch.matmul's rules: 1-D·1-D is a dot product, a 1-D operand is
    /// treated as a row (left) or column (right) vector, and leading batch dimensions broadcast.
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        if (Rank == 0 || other.Rank == 0)
            throw ShapeUtil.Error("MatMul", "tensors of rank >= 1", $"{ShapeUtil.Format(Dims)} and {ShapeUtil.Format(other.Dims)}");
        var a = Rank == 1 ? Reshape(1, Size) : this;
        var b = other.Rank == 1 ? other.Reshape(other.Size, 1) : other;
        var product = MatMul2(a, b);
        // Drop the dims that 1-D operands added.
        if (Rank == 1 && other.Rank == 1) return product.Reshape();
        if (Rank == 1) return product.Squeeze(-2);
        if (other.Rank == 1) return product.Squeeze(-1);
        return product;
    }

    /// <summary>The outer product of two vectors: [m] ⊗ [n] → [m, n].</summary>
    public Tensor Outer(Tensor other)
    {
        if (Rank != 1 || other.Rank != 1)
            throw ShapeUtil.Error("Outer", "two 1-D tensors", $"{ShapeUtil.Format(Dims)} and {ShapeUtil.Format(other.Dims)}");
        return Reshape(Size, 1) * other.Reshape(1, other.Size);
    }

    /// <summary>MatMul of operands of rank >= 2, recorded.</summary>
    private static Tensor MatMul2(Tensor a, Tensor b)
    {
        var result = Product(a, false, b, false, "MatMul");
        // dA = g·Bᵀ, dB = Aᵀ·g, each summed over the batch dims its operand was broadcast along
        return Record(result, "MatMul", [a, b], g => [
            a.RequiresGrad ? Product(g, false, b, true, "MatMul").SumTo(a.Dims) : null,
            b.RequiresGrad ? (b.Rank == 2 ? FoldedWeightGradient(a, g, b) : Product(a, true, g, false, "MatMul").SumTo(b.Dims)) : null]);
    }

    /// <summary>
    /// op(a)·op(b) over the last two dims, batch dims broadcast; records nothing. A 2-D right
    /// operand lets every batch of the left one fold into a single tall GEMM.
    /// </summary>
    private static Tensor Product(Tensor a, bool transA, Tensor b, bool transB, string op)
    {
        int ar = a.Rank, br = b.Rank;
        int m = transA ? a.Dims[ar - 1] : a.Dims[ar - 2];
        int ka = transA ? a.Dims[ar - 2] : a.Dims[ar - 1];
        int kb = transB ? b.Dims[br - 1] : b.Dims[br - 2];
        int n = transB ? b.Dims[br - 2] : b.Dims[br - 1];
        if (ka != kb)
            throw new ArgumentException(
                $"{op}: shapes {ShapeUtil.Format(a.Dims)} and {ShapeUtil.Format(b.Dims)} cannot be multiplied ({ka} != {kb}).");
        var batchA = a.Dims[..^2];
        var batchB = b.Dims[..^2];

        if (batchB.Length == 0 && !transA)
        {
            int rows = a.Size / Math.Max(ka, 1);
            if (ka == 0) rows = ShapeUtil.SizeOf(batchA) * m;
            var folded = BufferPool.Floats(rows * n);
            Gemm.Multiply(false, transB, rows, n, ka, a.Data, b.Data, folded);
            return new Tensor(folded, [.. batchA, m, n]);
        }

        var batch = ShapeUtil.Broadcast(batchA, batchB, op);
        int count = ShapeUtil.SizeOf(batch);
        var result = BufferPool.Floats(count * m * n);
        var stridesA = ShapeUtil.BroadcastStrides(batchA, batch);
        var stridesB = ShapeUtil.BroadcastStrides(batchB, batch);
        int sizeA = m * ka, sizeB = ka * n;
        var counter = new int[batch.Length];
        int ia = 0, ib = 0;
        for (int i = 0; i < count; i++)
        {
            Gemm.Multiply(transA, transB, m, n, ka, a.Data.AsSpan(ia * sizeA, sizeA), b.Data.AsSpan(ib * sizeB, sizeB), result.AsSpan(i * m * n, m * n));
            for (int d = batch.Length - 1; d >= 0; d--)
            {
                ia += stridesA[d];
                ib += stridesB[d];
                if (++counter[d] < batch[d]) break;
                ia -= stridesA[d] * batch[d];
                ib -= stridesB[d] * batch[d];
                counter[d] = 0;
            }
        }
        return new Tensor(result, [.. batch, m, n]);
    }

    /// <summary>
    /// Aᵀ·g for a 2-D right operand: all batches of A and g fold into one GEMM over their rows.
    /// When the operand is a weight (a leaf) whose gradient buffer already exists, the GEMM adds
    /// straight into it and null is returned: a training step then allocates no weight-sized array.
    /// </summary>
    private static Tensor? FoldedWeightGradient(Tensor a, Tensor g, Tensor weight)
    {
        int k = a.Dims[^1], n = g.Dims[^1];
        int rows = k == 0 ? 0 : a.Size / k;
        if (weight.IsLeaf && weight.Grad is { } existing)
        {
            Gemm.Multiply(true, false, k, n, rows, a.Data, g.Data, existing.Data, accumulate: true);
            return null;
        }
        var result = BufferPool.Floats(k * n);
        Gemm.Multiply(true, false, k, n, rows, a.Data, g.Data, result);
        return new Tensor(result, [k, n]);
    }
}
