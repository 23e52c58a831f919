using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nerva.Kernels;

/// <summary>
/// The one driver for elementwise binary ops with NumPy broadcasting. Dimensions that are
/// contiguous (or broadcast) in both inputs are merged first, so a same-shape op is one flat
/// loop and a bias add is a loop over rows; the innermost loop is vectorised.
/// </summary>
public static class Broadcasting
{
    /// <summary>
    /// result[i] = op(a[i·aStrides], b[i·bStrides]) for every index i of <paramref name="shape"/>;
    /// a stride of 0 repeats the input along that dimension.
    /// </summary>
    public static void Apply<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<int> aStrides, ReadOnlySpan<float> b, ReadOnlySpan<int> bStrides,
        Span<float> result, ReadOnlySpan<int> shape) where TOp : IBinaryOperator
    {
        if (result.IsEmpty) return;
        int rank = shape.Length;
        Span<int> dims = stackalloc int[Math.Max(rank, 1)];
        Span<int> sa = stackalloc int[dims.Length];
        Span<int> sb = stackalloc int[dims.Length];
        rank = Collapse(shape, aStrides, bStrides, dims, sa, sb);

        int inner = dims[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1];
        int rows = result.Length / inner;
        Span<int> counter = stackalloc int[rank];
        int offA = 0, offB = 0;
        for (int row = 0; row < rows; row++)
        {
            Row<TOp>(a, offA, ia, b, offB, ib, result.Slice(row * inner, inner));
            // Advance the odometer over the outer dimensions.
            for (int d = rank - 2; d >= 0; d--)
            {
                offA += sa[d];
                offB += sb[d];
                if (++counter[d] < dims[d]) break;
                offA -= sa[d] * dims[d];
                offB -= sb[d] * dims[d];
                counter[d] = 0;
            }
        }
    }

    /// <summary>Merges adjacent dimensions that step through both inputs as one; returns the new rank.</summary>
    private static int Collapse(ReadOnlySpan<int> shape, ReadOnlySpan<int> aStrides, ReadOnlySpan<int> bStrides,
        Span<int> dims, Span<int> sa, Span<int> sb)
    {
        int rank = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue; // size-1 dims carry no stepping
            if (rank > 0
                && sa[rank - 1] == aStrides[d] * shape[d]
                && sb[rank - 1] == bStrides[d] * shape[d])
            {
                dims[rank - 1] *= shape[d];
                sa[rank - 1] = aStrides[d];
                sb[rank - 1] = bStrides[d];
                continue;
            }
            dims[rank] = shape[d];
            sa[rank] = aStrides[d];
            sb[rank] = bStrides[d];
            rank++;
        }
        if (rank == 0)
        {
            dims[0] = 1; sa[0] = 0; sb[0] = 0;
            rank = 1;
        }
        return rank;
    }

    /// <summary>One innermost row; each input either steps by 1 or repeats one value (stride 0), or strides.</summary>
    private static void Row<TOp>(ReadOnlySpan<float> a, int offA, int strideA, ReadOnlySpan<float> b, int offB, int strideB, Span<float> r)
        where TOp : IBinaryOperator
    {
        int n = r.Length, i = 0;
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        ref float rr = ref MemoryMarshal.GetReference(r);
        int w = Vector256<float>.Count;
        if (strideA == 1 && strideB == 1)
        {
            for (; i <= n - w; i += w)
                TOp.Invoke(Vector256.LoadUnsafe(ref ra, (nuint)(offA + i)), Vector256.LoadUnsafe(ref rb, (nuint)(offB + i))).StoreUnsafe(ref rr, (nuint)i);
            for (; i < n; i++) Unsafe.Add(ref rr, i) = TOp.Invoke(Unsafe.Add(ref ra, offA + i), Unsafe.Add(ref rb, offB + i));
        }
        else if (strideA == 1 && strideB == 0)
        {
            float y = b[offB];
            var vy = Vector256.Create(y);
            for (; i <= n - w; i += w)
                TOp.Invoke(Vector256.LoadUnsafe(ref ra, (nuint)(offA + i)), vy).StoreUnsafe(ref rr, (nuint)i);
            for (; i < n; i++) Unsafe.Add(ref rr, i) = TOp.Invoke(Unsafe.Add(ref ra, offA + i), y);
        }
        else if (strideA == 0 && strideB == 1)
        {
            float x = a[offA];
            var vx = Vector256.Create(x);
            for (; i <= n - w; i += w)
                TOp.Invoke(vx, Vector256.LoadUnsafe(ref rb, (nuint)(offB + i))).StoreUnsafe(ref rr, (nuint)i);
            for (; i < n; i++) Unsafe.Add(ref rr, i) = TOp.Invoke(x, Unsafe.Add(ref rb, offB + i));
        }
        else if (strideA == 0 && strideB == 0)
        {
            // One value for the whole row (expanding a reduced gradient back over its axis).
            r.Fill(TOp.Invoke(a[offA], b[offB]));
        }
        else
        {
            for (; i < n; i++) r[i] = TOp.Invoke(a[offA + i * strideA], b[offB + i * strideB]);
        }
    }

    /// <summary>
    /// target[j] += Σ source[i] over every i of <paramref name="shape"/> that maps to j through
    /// <paramref name="targetStrides"/> (0 along broadcast dimensions): the reverse of broadcasting,
    /// used to reduce gradients back to an input's shape.
    /// </summary>
    public static void SumInto(ReadOnlySpan<float> source, ReadOnlySpan<int> shape, Span<float> target, ReadOnlySpan<int> targetStrides)
    {
        if (source.IsEmpty) return;
        int rank = shape.Length;
        Span<int> dims = stackalloc int[Math.Max(rank, 1)];
        Span<int> ss = stackalloc int[dims.Length];
        Span<int> st = stackalloc int[dims.Length];
        Span<int> sourceStrides = stackalloc int[dims.Length];
        for (int d = rank - 1, s = 1; d >= 0; d--) { sourceStrides[d] = s; s *= shape[d]; }
        rank = Collapse(shape, sourceStrides[..rank], targetStrides, dims, ss, st);

        int inner = dims[rank - 1], it = st[rank - 1];
        int rows = source.Length / inner;
        Span<int> counter = stackalloc int[rank];
        int offT = 0;
        for (int row = 0; row < rows; row++)
        {
            var src = source.Slice(row * inner, inner);
            if (it == 1)
                System.Numerics.Tensors.TensorPrimitives.Add(target.Slice(offT, inner), src, target.Slice(offT, inner));
            else if (it == 0)
                target[offT] += System.Numerics.Tensors.TensorPrimitives.Sum(src);
            else
                for (int i = 0; i < inner; i++) target[offT + i * it] += src[i];
            for (int d = rank - 2; d >= 0; d--)
            {
                offT += st[d];
                if (++counter[d] < dims[d]) break;
                offT -= st[d] * dims[d];
                counter[d] = 0;
            }
        }
    }
}
