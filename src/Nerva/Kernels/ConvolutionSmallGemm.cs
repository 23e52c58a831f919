using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nerva.Kernels;

/// <summary>
/// An unpacked AVX-512 product C (+)= A·B for the shallow products of convolutions with few input
/// channels (a first layer's 3×3×1 or 3×3×3 patches): no packing, the bias as the starting value,
/// and every C element written exactly once.
/// </summary>
/// <remarks>
/// The packed GEMM amortises packing over a deep k; at k = 9 it copies A twice (im2col, then
/// packing), and its bias has to be a separate pass over C, so the MNIST CNN's first layer (a
/// 5.5 MB output from 25 MFLOP) was bound by memory traffic, not arithmetic. Here a 6-row ×
/// 1–4-vector block of C lives in registers while k runs; B is row-major with a masked last vector
/// for any n. A is read in place through two offset maps, A(i, p) = a[rows[i] + depth[p]], strides
/// or tables: the same loop serves A, Aᵀ and the implicit patch matrix read straight from the image
/// (rows = pixel offsets, depth = tap offsets), so shallow convolutions need no im2col at all.
/// </remarks>
internal static unsafe class ConvolutionSmallGemm
{
    /// <summary>Patch sizes (or, for the input gradient, filter counts) up to which this beats the packed GEMM.</summary>
    public const int MaxDepth = 32;

    private const int MR = 6;

    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>
    /// C[i, j] = (accumulate ? C[i, j] : bias?[j] ?? 0) + Σ_p a[rows[i] + depth[p]] · b[p·ldb + j], for i &lt; m, j &lt; n, p &lt; k.
    /// </summary>
    public static void Multiply<TRows, TDepth>(int m, int n, int k, float* a, TRows rows, TDepth depth, float* b, int ldb, float* c, int ldc, float* bias, bool accumulate)
        where TRows : struct, IOffsets where TDepth : struct, IOffsets
    {
        for (int j = 0; j < n; j += 64)
        {
            int width = Math.Min(64, n - j);
            var tail = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(width - (width - 1) / 16 * 16)).AsSingle();
            var block = new Block<TRows, TDepth>(m, k, a, rows, depth, b + j, ldb, c + j, ldc, bias == null ? null : bias + j, accumulate, tail);
            switch ((width + 15) / 16)
            {
                case 1: block.Run<One>(); break;
                case 2: block.Run<Two>(); break;
                case 3: block.Run<Three>(); break;
                default: block.Run<Four>(); break;
            }
        }
    }

    /// <summary>A map from an index to an element offset: a stride, or a table.</summary>
    public interface IOffsets { int this[int index] { get; } }

    /// <summary>index · stride.</summary>
    public readonly struct Stride(int stride) : IOffsets
    {
        public int this[int index] => index * stride;
    }

    /// <summary>table[index].</summary>
    public readonly struct Table(int* table) : IOffsets
    {
        public int this[int index] => table[index];
    }

    private interface IVectors { static abstract int Count { get; } }
    private readonly struct One : IVectors { public static int Count => 1; }
    private readonly struct Two : IVectors { public static int Count => 2; }
    private readonly struct Three : IVectors { public static int Count => 3; }
    private readonly struct Four : IVectors { public static int Count => 4; }

    /// <summary>Up to 64 columns of C; the last of the TV.Count vectors is masked by Tail.</summary>
    private readonly struct Block<TRows, TDepth>(int m, int k, float* a, TRows rowOffsets, TDepth depth, float* b, int ldb, float* c, int ldc,
        float* bias, bool accumulate, Vector512<float> tail) where TRows : struct, IOffsets where TDepth : struct, IOffsets
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
        public void Run<TV>() where TV : struct, IVectors
        {
            // Fields into locals: through `this` the JIT reloads them every step (it cannot rule out aliasing).
            var mask = tail;
            int depthCount = k, bStride = ldb;
            var depthOffsets = depth;
            Vector512<float> start0 = default, start1 = default, start2 = default, start3 = default;
            if (bias != null)
            {
                start0 = Load<TV>(bias, 0, mask);
                if (TV.Count > 1) start1 = Load<TV>(bias, 1, mask);
                if (TV.Count > 2) start2 = Load<TV>(bias, 2, mask);
                if (TV.Count > 3) start3 = Load<TV>(bias, 3, mask);
            }
            for (int i = 0; i < m; i += MR)
            {
                int rows = Math.Min(MR, m - i);
                // Rows past m re-read the last valid row (computed, never stored), so no read leaves A.
                float* a0 = a + rowOffsets[i];
                float* a1 = a + rowOffsets[i + Math.Min(1, rows - 1)], a2 = a + rowOffsets[i + Math.Min(2, rows - 1)];
                float* a3 = a + rowOffsets[i + Math.Min(3, rows - 1)], a4 = a + rowOffsets[i + Math.Min(4, rows - 1)];
                float* a5 = a + rowOffsets[i + Math.Min(5, rows - 1)];
                Vector512<float> c00 = start0, c01 = start1, c02 = start2, c03 = start3;
                Vector512<float> c10 = start0, c11 = start1, c12 = start2, c13 = start3;
                Vector512<float> c20 = start0, c21 = start1, c22 = start2, c23 = start3;
                Vector512<float> c30 = start0, c31 = start1, c32 = start2, c33 = start3;
                Vector512<float> c40 = start0, c41 = start1, c42 = start2, c43 = start3;
                Vector512<float> c50 = start0, c51 = start1, c52 = start2, c53 = start3;
                float* bp = b;
                for (int q = 0; q < depthCount; q++, bp += bStride)
                {
                    int p = depthOffsets[q];
                    var b0 = Load<TV>(bp, 0, mask);
                    var b1 = TV.Count > 1 ? Load<TV>(bp, 1, mask) : default;
                    var b2 = TV.Count > 2 ? Load<TV>(bp, 2, mask) : default;
                    var b3 = TV.Count > 3 ? Load<TV>(bp, 3, mask) : default;
                    Step<TV>(Vector512.Create(a0[p]), b0, b1, b2, b3, ref c00, ref c01, ref c02, ref c03);
                    Step<TV>(Vector512.Create(a1[p]), b0, b1, b2, b3, ref c10, ref c11, ref c12, ref c13);
                    Step<TV>(Vector512.Create(a2[p]), b0, b1, b2, b3, ref c20, ref c21, ref c22, ref c23);
                    Step<TV>(Vector512.Create(a3[p]), b0, b1, b2, b3, ref c30, ref c31, ref c32, ref c33);
                    Step<TV>(Vector512.Create(a4[p]), b0, b1, b2, b3, ref c40, ref c41, ref c42, ref c43);
                    Step<TV>(Vector512.Create(a5[p]), b0, b1, b2, b3, ref c50, ref c51, ref c52, ref c53);
                }
                float* ci = c + (long)i * ldc;
                Store<TV>(ci, c00, c01, c02, c03, mask, accumulate);
                if (rows > 1) Store<TV>(ci + ldc, c10, c11, c12, c13, mask, accumulate);
                if (rows > 2) Store<TV>(ci + 2L * ldc, c20, c21, c22, c23, mask, accumulate);
                if (rows > 3) Store<TV>(ci + 3L * ldc, c30, c31, c32, c33, mask, accumulate);
                if (rows > 4) Store<TV>(ci + 4L * ldc, c40, c41, c42, c43, mask, accumulate);
                if (rows > 5) Store<TV>(ci + 5L * ldc, c50, c51, c52, c53, mask, accumulate);
            }
        }

        /// <summary>Vector v of a row: full, except the last one, which the mask trims (the branch folds per TV).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<float> Load<TV>(float* row, int v, Vector512<float> mask) where TV : struct, IVectors =>
            v < TV.Count - 1 ? Vector512.Load(row + 16 * v) : Avx512F.MaskLoad(row + 16 * v, mask, Vector512<float>.Zero);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Step<TV>(Vector512<float> s, Vector512<float> b0, Vector512<float> b1, Vector512<float> b2, Vector512<float> b3,
            ref Vector512<float> x0, ref Vector512<float> x1, ref Vector512<float> x2, ref Vector512<float> x3) where TV : struct, IVectors
        {
            x0 = Vector512.FusedMultiplyAdd(s, b0, x0);
            if (TV.Count > 1) x1 = Vector512.FusedMultiplyAdd(s, b1, x1);
            if (TV.Count > 2) x2 = Vector512.FusedMultiplyAdd(s, b2, x2);
            if (TV.Count > 3) x3 = Vector512.FusedMultiplyAdd(s, b3, x3);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store<TV>(float* row, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3,
            Vector512<float> mask, bool accumulate) where TV : struct, IVectors
        {
            StoreOne<TV>(row, 0, x0, mask, accumulate);
            if (TV.Count > 1) StoreOne<TV>(row, 1, x1, mask, accumulate);
            if (TV.Count > 2) StoreOne<TV>(row, 2, x2, mask, accumulate);
            if (TV.Count > 3) StoreOne<TV>(row, 3, x3, mask, accumulate);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void StoreOne<TV>(float* row, int v, Vector512<float> x, Vector512<float> mask, bool accumulate) where TV : struct, IVectors
        {
            if (accumulate) x += Load<TV>(row, v, mask);
            if (v < TV.Count - 1) Vector512.Store(x, row + 16 * v);
            else Avx512F.MaskStore(row + 16 * v, mask, x);
        }
    }
}
