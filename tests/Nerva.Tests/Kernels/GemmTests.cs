using Nerva.Kernels;

namespace Nerva.Tests.Kernels;

public class GemmTests
{
    // Shapes (m, n, k): unit and odd sizes, vectors, edge tiles of every micro-kernel
    // (12×32, 24×16, 6×16, 4×4), and sizes crossing the KC/MC/NC block boundaries.
    public static readonly TheoryData<int, int, int> Shapes = new()
    {
        { 1, 1, 1 }, { 7, 13, 5 }, { 33, 65, 17 }, { 100, 1, 300 }, { 1, 257, 129 },
        { 12, 32, 8 }, { 13, 33, 9 }, { 11, 31, 1 }, { 6, 16, 3 }, { 5, 17, 2 },
        { 2, 2, 1000 }, { 64, 64, 64 }, { 150, 70, 260 }, { 145, 40, 513 },
        { 48, 16, 37 }, { 300, 16, 300 }, { 25, 9, 4 }, // ≤ 16 columns: the narrow 24×16 tile, full and edge
    };

    public static IEnumerable<object[]> PathsAndShapes()
    {
        foreach (var path in new[] { GemmPath.Vector512, GemmPath.Vector256, GemmPath.Scalar })
            foreach (var row in Shapes)
                yield return [path, .. row];
    }

    [Theory]
    [MemberData(nameof(PathsAndShapes))]
    internal void MatchesReference_AllTransposes_SingleThread(GemmPath path, int m, int n, int k)
    {
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                    Check(transA, transB, m, n, k, accumulate, maxThreads: 1, path);
    }

    [Theory]
    [InlineData(200, 300, 150)]
    [InlineData(97, 1, 513)]
    [InlineData(1, 600, 700)]
    [InlineData(130, 2100, 20)]
    [InlineData(530, 70, 90)]
    internal void MatchesReference_Threaded(int m, int n, int k)
    {
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
                Check(transA, transB, m, n, k, accumulate: transA, maxThreads: 0,
                    GemmPath.Vector512, GemmPath.Vector256, GemmPath.Scalar);
    }

    [Theory]
    [InlineData(128, 128, 784)]  // a Dense layer's forward product on a batch of 128
    [InlineData(40, 50, 2001)]   // slices of unequal depth, edge tiles
    [InlineData(40, 9, 3000)]    // ≤ 16 columns: the narrow kernel
    internal void DeepProducts_SplitAcrossThreadsByDepth_MatchReference(int m, int n, int k)
    {
        // On 2 threads these shapes (each over the 1M multiply-adds that go parallel) take the depth split
        // (asserted, so the test reaches it; with the worker pool busy the same slices run serially), and the
        // partial products must add up to the reference for every transpose, with and without accumulate.
        Assert.True(n <= GemmKernel512Narrow.NR
            ? Gemm.SplitDepthIsCheaper<GemmKernel512Narrow>(m, n, k, threads: 2)
            : Gemm.SplitDepthIsCheaper<GemmKernel512>(m, n, k, threads: 2));
        Assert.False(Gemm.SplitDepthIsCheaper<GemmKernel512>(1024, 1024, 1024, threads: 2));
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                    Check(transA, transB, m, n, k, accumulate, maxThreads: 2, GemmPath.Vector512, GemmPath.Vector256, GemmPath.Scalar);
    }

    [Fact]
    public void DepthSplit_GivesTheSameBitsOnEveryCall()
    {
        // The split's rounding differs from one thread's, but not from call to call: two threads calling at
        // once find the worker pool busy half the time, and those calls must run the same slices serially.
        const int m = 128, n = 128, k = 784, calls = 20;
        var (a, b) = (Random(m * k, 1), Random(k * n, 2));
        var first = new float[m * n];
        Gemm.Multiply(false, false, m, n, k, a, b, first, accumulate: false, GemmPath.Auto, maxThreads: 2);
        var results = new float[2 * calls][];
        using var start = new Barrier(2);
        var callers = Enumerable.Range(0, 2).Select(caller => new Thread(() =>
        {
            start.SignalAndWait();
            for (int call = 0; call < calls; call++)
            {
                var c = new float[m * n];
                Gemm.Multiply(false, false, m, n, k, a, b, c, accumulate: false, GemmPath.Auto, maxThreads: 2);
                results[caller * calls + call] = c;
            }
        })).ToArray();
        foreach (var thread in callers) thread.Start();
        foreach (var thread in callers) thread.Join();
        foreach (var result in results) Assert.Equal(first, result);
    }

    [Fact]
    public void ConcurrentCallers_EachGetTheirOwnProduct()
    {
        // Callers that find the worker pool busy run alone; every result must still be exact.
        const int m = 150, n = 170, k = 90;
        var a = Random(m * k, 1);
        var expected = new float[8][];
        var actual = new float[8][];
        var bs = new float[8][];
        for (int i = 0; i < 8; i++)
        {
            bs[i] = Random(k * n, 10 + i);
            expected[i] = new float[m * n];
            actual[i] = new float[m * n];
            GemmReference.Multiply(false, false, m, n, k, a, bs[i], expected[i]);
        }
        Parallel.For(0, 8, i => Gemm.Multiply(false, false, m, n, k, a, bs[i], actual[i]));
        for (int i = 0; i < 8; i++) AssertClose(expected[i], actual[i], k, $"caller {i}");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    internal void LargeProduct_CrossesEveryBlock(bool transA, bool transB)
    {
        // Past NC in n and KC in k, then past MC in m and KC in k, with ragged tails everywhere.
        Check(transA, transB, 13, Gemm.NC + 45, Gemm.KC + 37, accumulate: transA, maxThreads: 1, GemmPath.Auto);
        Check(transA, transB, Gemm.MC + 29, 40, Gemm.KC + 37, accumulate: transB, maxThreads: 1, GemmPath.Auto);
    }

    [Theory]
    [InlineData(64, 512, 128)]   // an LSTM's recurrent product
    [InlineData(32, 128, 512)]   // its backward, B read transposed
    [InlineData(13, 70, 600)]    // three KC slices, a ragged last sliver
    [InlineData(30, 9, 20)]      // ≤ 16 columns: the narrow kernel's layout
    [InlineData(200, 2100, 40)]  // past NC: two column panels
    [InlineData(1, 33, 1)]
    public void PackedB_MatchesReference(int m, int n, int k)
    {
        // B packed once and reused: every product against it must equal the plain one, on 1 and all threads.
        foreach (bool transB in new[] { false, true })
        {
            var b = Random(k * n, n * 7 + k);
            using var packed = Gemm.PackB(transB, n, k, b);
            for (int call = 0; call < 3; call++)
            {
                var a = Random(m * k, call * 101 + m);
                var expected = Random(m * n, 5);
                var actual = (float[])expected.Clone();
                bool accumulate = call == 1;
                GemmReference.Multiply(false, transB, m, n, k, a, b, expected, accumulate);
                Gemm.Multiply(m, a, packed, actual, accumulate, maxThreads: call == 2 ? 0 : 1);
                AssertClose(expected, actual, k, $"transB={transB} call {call}");
            }
        }
    }

    [Fact]
    public void PublicEntryPoint_MatchesReference()
    {
        var (a, b) = (Random(70 * 50, 1), Random(50 * 90, 2));
        var actual = new float[70 * 90];
        var expected = new float[70 * 90];
        Gemm.Multiply(false, false, 70, 90, 50, a, b, actual);
        GemmReference.Multiply(false, false, 70, 90, 50, a, b, expected);
        AssertClose(expected, actual, 50);
    }

    [Fact]
    public void ZeroDepth_GivesZerosOrLeavesC()
    {
        var c = new float[] { 1, 2, 3, 4, 5, 6 };
        Gemm.Multiply(false, false, 2, 3, 0, [], [], c, accumulate: true);
        Assert.Equal([1, 2, 3, 4, 5, 6], c);
        Gemm.Multiply(true, true, 2, 3, 0, [], [], c);
        Assert.Equal(new float[6], c);
    }

    [Fact]
    public void EmptyOutput_DoesNothing()
    {
        var c = new float[] { 7 };
        Gemm.Multiply(false, false, 0, 5, 3, [], new float[15], c);
        Gemm.Multiply(false, false, 5, 0, 3, new float[15], [], c);
        Assert.Equal(7, c[0]);
    }

    [Fact]
    public void LongerSpans_OnlyTheProductIsWritten()
    {
        var c = Enumerable.Repeat(9f, 10).ToArray();
        Gemm.Multiply(false, false, 2, 2, 2, new float[] { 1, 2, 3, 4, 0 }, new float[] { 1, 0, 0, 1, 0 }, c);
        Assert.Equal([1, 2, 3, 4, 9, 9, 9, 9, 9, 9], c);
    }

    [Theory]
    [InlineData(-1, 2, 2, 4, 4, 4, "m=-1")]
    [InlineData(2, 2, -3, 4, 4, 4, "k=-3")]
    [InlineData(2, 3, 4, 7, 12, 6, "A of at least 8")]
    [InlineData(2, 3, 4, 8, 11, 6, "B of at least 12")]
    [InlineData(2, 3, 4, 8, 12, 5, "C of at least 6")]
    public void InvalidArguments_Throw(int m, int n, int k, int aLength, int bLength, int cLength, string detail)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(false, false, m, n, k, new float[aLength], new float[bLength], new float[cLength]));
        Assert.StartsWith("Gemm:", ex.Message);
        Assert.Contains(detail, ex.Message);
    }

    /// <summary>Runs one product on each given path and compares it with the reference.</summary>
    private static void Check(bool transA, bool transB, int m, int n, int k, bool accumulate, int maxThreads, params GemmPath[] paths)
    {
        var a = Random(m * k, m * 31 + k);
        var b = Random(k * n, n * 17 + k);
        var start = Random(m * n, 5);
        var expected = (float[])start.Clone();
        GemmReference.Multiply(transA, transB, m, n, k, a, b, expected, accumulate);
        foreach (var path in paths)
        {
            // Without accumulate, C's old contents (NaN here) must be overwritten, never read.
            var actual = accumulate ? (float[])start.Clone() : Enumerable.Repeat(float.NaN, m * n).ToArray();
            Gemm.Multiply(transA, transB, m, n, k, a, b, actual, accumulate, path, maxThreads);
            AssertClose(expected, actual, k, $"{path} {m}×{n}×{k} transA={transA} transB={transB} accumulate={accumulate} threads={maxThreads}");
        }
    }

    /// <summary>Relative tolerance 1e-4, scaled by √k for the float32 rounding of a k-term sum.</summary>
    private static void AssertClose(float[] expected, float[] actual, int k, string what = "")
    {
        double tolerance = 1e-4 * Math.Max(1, Math.Sqrt(k) / 4);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]) / Math.Max(1, Math.Abs(expected[i]));
            Assert.True(error <= tolerance, $"{what}: element {i} expected {expected[i]}, got {actual[i]}");
        }
    }

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextSingle() * 2 - 1;
        return values;
    }
}
