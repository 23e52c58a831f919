using Nerva.Kernels;

namespace Nerva.Tests.Kernels;

public class PoolingTests
{
    // "batch h w channels poolH poolW strideH strideW padding"
    public static readonly TheoryData<string> Configs = new()
    {
        "1 4 4 1 2 2 2 2 valid",
        "3 7 9 5 2 2 2 2 valid",      // odd sizes: the last row/column is dropped
        "3 7 9 5 2 2 2 2 same",       // ... or pooled alone
        "1 7 9 17 3 3 2 2 same",
        "3 7 9 3 3 3 1 1 same",       // overlapping windows, clipped at every border
        "1 8 8 33 3 3 2 2 same",
        "3 9 7 20 2 3 1 2 valid",
        "1 1 10 4 1 3 1 2 same",      // 1-D pooling as height 1
        "2 5 5 16 5 5 5 5 valid",
        "3 26 26 32 2 2 2 2 valid",   // MNIST CNN, threaded
        "4 20 20 24 3 3 1 1 same",    // threaded with overlap
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Max_MatchesReference(string config)
    {
        var g = Parse(config);
        var random = new Random(ConvolutionTests.Seed(config));
        // Few distinct values, so windows hold ties and the first-max rule is exercised.
        var x = Enumerable.Range(0, g.InputLength).Select(_ => (float)random.Next(4)).ToArray();
        var dy = ConvolutionTests.RandomArray(random, g.OutputLength);
        var (expected, expectedIndices) = PoolingReference.Max(x, g);
        var y = new float[g.OutputLength];
        var indices = new int[g.OutputLength];
        Pooling.MaxForward(x, y, indices, g);
        Assert.Equal(expected, y);
        Assert.Equal(expectedIndices, indices);

        var dx = new float[g.InputLength];
        Pooling.MaxBackward(dy, indices, dx, g);
        ConvolutionTests.AssertClose(PoolingReference.Scatter(dy, expectedIndices, g.InputLength), dx, "max gradient");
        Pooling.MaxBackward(dy, indices, dx, g, accumulate: true);
        ConvolutionTests.AssertClose(PoolingReference.Scatter(dy, expectedIndices, g.InputLength).Select(v => 2 * v).ToArray(), dx, "accumulated max gradient");

        // The forward pass without indices gives the same values.
        Array.Clear(y);
        Pooling.MaxForward(x, y, default, g);
        Assert.Equal(expected, y);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Average_MatchesReference_AndBackwardIsItsAdjoint(string config)
    {
        var g = Parse(config);
        var random = new Random(ConvolutionTests.Seed(config) + 1);
        var x = ConvolutionTests.RandomArray(random, g.InputLength);
        var dy = ConvolutionTests.RandomArray(random, g.OutputLength);
        var y = new float[g.OutputLength];
        Pooling.AverageForward(x, y, g);
        ConvolutionTests.AssertClose(PoolingReference.Average(x, g), y, "average");

        var dx = new float[g.InputLength];
        Pooling.AverageBackward(dy, dx, g);
        ConvolutionTests.AssertClose(PoolingReference.AverageGradient(dy, g), dx, "average gradient");
        double lhs = 0, rhs = 0;
        for (int i = 0; i < y.Length; i++) lhs += (double)y[i] * dy[i];
        for (int i = 0; i < x.Length; i++) rhs += (double)x[i] * dx[i];
        Assert.True(Math.Abs(lhs - rhs) <= 1e-4 * Math.Sqrt(x.Length), $"<avg(x), y> = {lhs}, <x, avgᵀ(y)> = {rhs}");
    }

    [Fact]
    public void Max_TiesGoToTheFirstPosition_AsInPyTorch()
    {
        // All equal: each window's gradient lands on its top-left element.
        var g = Pool2DGeometry.Create(1, 4, 4, 2, 2, 2);
        var x = Enumerable.Repeat(1f, g.InputLength).ToArray();
        var indices = new int[g.OutputLength];
        Pooling.MaxForward(x, new float[g.OutputLength], indices, g);
        Assert.Equal([0, 1, 4, 5, 16, 17, 20, 21], indices);
        var dx = new float[g.InputLength];
        Pooling.MaxBackward(Enumerable.Repeat(1f, g.OutputLength).ToArray(), indices, dx, g);
        Assert.Equal(8, dx.Sum());
        Assert.Equal(1, dx[0]);
        Assert.Equal(0, dx[2]);
    }

    [Fact]
    public void Max_NaNPropagates()
    {
        var g = Pool2DGeometry.Create(1, 2, 2, 17, 2, 2);
        var x = Enumerable.Range(0, g.InputLength).Select(i => (float)i).ToArray();
        x[2 * 17 + 3] = float.NaN;   // channel 3 (vector path)
        x[1 * 17 + 16] = float.NaN;  // channel 16 (the masked tail)
        var y = new float[17];
        var indices = new int[17];
        Pooling.MaxForward(x, y, indices, g);
        Assert.True(float.IsNaN(y[3]) && float.IsNaN(y[16]));
        Assert.Equal((2 * 17 + 3, 1 * 17 + 16), (indices[3], indices[16]));
        Assert.Equal(3 * 17 + 5, y[5]);
    }

    [Theory]
    [InlineData(1, 1, 3)]
    [InlineData(3, 49, 20)]
    [InlineData(64, 25, 64)]
    [InlineData(2, 1000, 33)]
    public void Global_MatchesReference(int batch, int pixels, int channels)
    {
        var random = new Random(batch * 31 + pixels);
        var x = ConvolutionTests.RandomArray(random, batch * pixels * channels);
        var dy = ConvolutionTests.RandomArray(random, batch * channels);
        var g = new Pool2DGeometry(batch, 1, pixels, channels, 1, pixels, 1, pixels, 0, 0, 1, 1);

        var y = new float[batch * channels];
        Pooling.GlobalAverageForward(x, y, batch, pixels, channels);
        ConvolutionTests.AssertClose(PoolingReference.Average(x, g), y, "global average");
        var dx = new float[x.Length];
        Pooling.GlobalAverageBackward(dy, dx, batch, pixels, channels);
        var expectedDx = Enumerable.Range(0, dx.Length).Select(i => dy[i / (pixels * channels) * channels + i % channels] / pixels).ToArray();
        ConvolutionTests.AssertClose(expectedDx, dx, "global average gradient");

        var indices = new int[batch * channels];
        Pooling.GlobalMaxForward(x, y, indices, batch, pixels, channels);
        var (expected, expectedIndices) = PoolingReference.Max(x, g);
        Assert.Equal(expected, y);
        Assert.Equal(expectedIndices, indices);
        Pooling.GlobalMaxBackward(dy, indices, dx, batch, pixels, channels);
        ConvolutionTests.AssertClose(PoolingReference.Scatter(dy, expectedIndices, x.Length), dx, "global max gradient");
    }

    [Theory]
    [InlineData(7, 2, 2, "valid", 3, 0)]
    [InlineData(7, 2, 2, "same", 4, 0)]
    [InlineData(8, 3, 2, "same", 4, 0)]
    [InlineData(7, 3, 2, "same", 4, 1)]
    [InlineData(5, 3, 1, "same", 5, 1)]
    public void Create_SizesLikeKeras(int input, int pool, int stride, string padding, int expectedOut, int expectedPad)
    {
        var g = Pool2DGeometry.Create(1, input, input, 1, pool, pool, stride, stride, padding);
        Assert.Equal((expectedOut, expectedPad), (g.OutHeight, g.PadTop));
    }

    [Fact]
    public void WrongArguments_Throw()
    {
        var g = Pool2DGeometry.Create(2, 4, 4, 3, 2, 2);
        Assert.Throws<ArgumentException>(() => Pooling.MaxForward(new float[g.InputLength - 1], new float[g.OutputLength], default, g));
        Assert.Throws<ArgumentException>(() => Pooling.MaxForward(new float[g.InputLength], new float[g.OutputLength], new int[3], g));
        var bad = Enumerable.Repeat(g.InputLength + 5, g.OutputLength).ToArray();
        Assert.Throws<ArgumentException>(() => Pooling.MaxBackward(new float[g.OutputLength], bad, new float[g.InputLength], g));
        Assert.Throws<ArgumentException>(() => Pool2DGeometry.Create(1, 1, 4, 1, 2, 2));
    }

    [Fact]
    public void ForwardAndBackward_AfterWarmUp_AllocateAlmostNothing()
    {
        var g = Pool2DGeometry.Create(64, 26, 26, 32, 2, 2);
        var x = ConvolutionTests.RandomArray(new Random(1), g.InputLength);
        var (y, dx, indices) = (new float[g.OutputLength], new float[g.InputLength], new int[g.OutputLength]);
        void Step()
        {
            Pooling.MaxForward(x, y, indices, g);
            Pooling.MaxBackward(y, indices, dx, g);
            Pooling.AverageForward(x, y, g);
            Pooling.AverageBackward(y, dx, g);
        }
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 5;
        Assert.True(perStep < 64 * 1024, $"allocated {perStep} bytes per step");
    }

    private static Pool2DGeometry Parse(string config)
    {
        var f = config.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int I(int i) => int.Parse(f[i]);
        return Pool2DGeometry.Create(I(0), I(1), I(2), I(3), I(4), I(5), I(6), I(7), f[8]);
    }
}

/// <summary>Pooling as its definition: every window, every position, double sums.</summary>
internal static class PoolingReference
{
    /// <summary>Calls visit(output index, input index, position in window) for every window position inside the image.</summary>
    private static void ForEach(Pool2DGeometry g, Action<int, int, int> visit)
    {
        for (int b = 0; b < g.Batch; b++)
            for (int oh = 0; oh < g.OutHeight; oh++)
                for (int ow = 0; ow < g.OutWidth; ow++)
                    for (int c = 0; c < g.Channels; c++)
                    {
                        int output = ((b * g.OutHeight + oh) * g.OutWidth + ow) * g.Channels + c, position = 0;
                        for (int i = 0; i < g.PoolHeight; i++)
                            for (int j = 0; j < g.PoolWidth; j++)
                            {
                                int ih = oh * g.StrideH - g.PadTop + i, iw = ow * g.StrideW - g.PadLeft + j;
                                if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                                visit(output, ((b * g.InHeight + ih) * g.InWidth + iw) * g.Channels + c, position++);
                            }
                    }
    }

    public static (float[] Values, int[] Indices) Max(float[] x, Pool2DGeometry g)
    {
        var y = new float[g.OutputLength];
        var at = new int[g.OutputLength];
        ForEach(g, (o, i, position) =>
        {
            if (position == 0 || x[i] > y[o]) (y[o], at[o]) = (x[i], i);
        });
        return (y, at);
    }

    public static float[] Scatter(float[] dy, int[] indices, int inputLength)
    {
        var dx = new double[inputLength];
        for (int o = 0; o < dy.Length; o++) dx[indices[o]] += dy[o];
        return dx.Select(v => (float)v).ToArray();
    }

    public static float[] Average(float[] x, Pool2DGeometry g)
    {
        var sum = new double[g.OutputLength];
        var count = new int[g.OutputLength];
        ForEach(g, (o, i, _) => { sum[o] += x[i]; count[o]++; });
        return sum.Select((s, o) => (float)(s / count[o])).ToArray();
    }

    public static float[] AverageGradient(float[] dy, Pool2DGeometry g)
    {
        var count = new int[g.OutputLength];
        ForEach(g, (o, _, _) => count[o]++);
        var dx = new double[g.InputLength];
        ForEach(g, (o, i, _) => dx[i] += (double)dy[o] / count[o]);
        return dx.Select(v => (float)v).ToArray();
    }
}
