using Nerva.Kernels;

namespace Nerva.Tests.Kernels;

public class ConvolutionTests
{
    // "batch h w cin filters kh kw strideH strideW padding dilation groups"
    public static readonly TheoryData<string> Configs = new()
    {
        "1 7 9 3 5 1 1 1 1 valid 1 1",   // pointwise: a plain GEMM
        "3 7 9 3 5 1 1 2 2 valid 1 1",   // 1×1 but strided: im2col
        "1 7 9 1 7 2 2 1 1 valid 1 1",
        "3 7 9 3 7 3 3 1 1 valid 1 1",
        "3 7 9 3 7 3 3 1 1 same 1 1",
        "1 7 9 5 3 3 3 2 2 same 1 1",
        "3 8 8 5 3 3 3 2 2 same 1 1",    // even size, stride 2: TF's bottom/right padding
        "1 7 9 2 17 4 4 1 1 same 1 1",   // even kernel: asymmetric padding
        "3 9 7 3 4 5 5 1 2 same 1 1",
        "1 9 11 3 4 5 5 2 1 valid 1 1",
        "1 7 9 3 2 1 3 1 1 same 1 1",
        "3 7 9 3 2 3 1 2 1 valid 1 1",
        "1 9 9 3 4 3 3 1 1 valid 2 1",   // dilation 2
        "3 9 10 2 3 3 2 1 2 same 2 1",
        "2 11 12 5 6 3 3 1 2 same 2 1",   // dilated, deep patches: packed path, one run per tap
        "2 11 12 5 6 3 3 2 1 valid 2,1 1", // dilated along the height only
        "1 9 9 2 3 3 3 1 1 same 1,2 1",
        "1 7 9 4 6 3 3 1 1 same 1 2",    // groups 2
        "3 7 9 6 9 3 3 2 2 valid 1 3",
        "1 7 9 5 5 3 3 1 1 same 1 5",    // depthwise
        "3 7 9 17 17 5 5 2 2 same 1 17",
        "3 7 9 3 6 3 3 1 1 same 2 3",    // depthwise, multiplier 2, dilation 2
        "1 7 9 20 20 1 1 1 1 valid 1 20", // 1×1 depthwise
        "3 9 9 2 70 3 3 1 1 same 1 1",   // shallow patches (small-GEMM path), filters past 64 with a tail
        "1 6 5 1 5 3 3 1 1 valid 1 1",
        // Large enough to split across threads, some with several chunks per part.
        "3 20 20 17 33 3 3 1 1 same 1 1",
        "3 20 20 3 33 3 3 1 1 same 1 1",
        "2 28 28 1 32 3 3 1 1 valid 1 1",  // the MNIST CNN's first layer
        "3 12 12 64 24 5 5 1 1 same 1 1",
        "2 28 28 16 16 3 3 1 1 same 1 1",  // ≤ 16 filters with deep patches: the unpacked (shallow) path
        "2 14 15 16 13 3 3 2 2 same 1 1",  // the same with a masked last vector, strided
        "4 11 13 130 20 1 1 1 1 valid 1 1",
        "3 16 16 32 40 3 3 1 1 same 1 2",
        "3 20 20 128 128 3 3 1 1 same 1 128",
        "1 40 40 20 36 3 3 1 1 same 1 1",  // batch 1, large: one threaded GEMM, serial col2im
        "2 300 300 3 4 3 3 1 1 same 1 1", // shallow and padded: one image per padded chunk
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void AllPasses_MatchReference(string config)
    {
        var g = Parse(config);
        int filters = g.OutChannels;
        var random = new Random(Seed(config));
        var x = RandomArray(random, g.InputLength);
        var kernel = RandomArray(random, g.KernelLength);
        var bias = RandomArray(random, filters);
        var dy = RandomArray(random, g.OutputLength);

        var y = new float[g.OutputLength];
        Convolution.Forward(x, kernel, bias, y, g);
        AssertClose(ConvolutionReference.Forward(x, kernel, bias, g), y, "forward");

        var dx = new float[g.InputLength];
        Convolution.BackwardInput(dy, kernel, dx, g);
        AssertClose(ConvolutionReference.BackwardInput(dy, kernel, g), dx, "input gradient");

        var dw = new float[g.KernelLength];
        var db = new float[filters];
        Convolution.BackwardKernel(x, dy, dw, db, g);
        AssertClose(ConvolutionReference.BackwardKernel(x, dy, g), dw, "kernel gradient");
        AssertClose(ConvolutionReference.BiasGradient(dy, filters), db, "bias gradient");

        // accumulate adds onto what is there.
        var expectedTwice = dx.Select(v => 2 * v).ToArray();
        Convolution.BackwardInput(dy, kernel, dx, g, accumulate: true);
        AssertClose(expectedTwice, dx, "accumulated input gradient");
        expectedTwice = dw.Select(v => 2 * v).ToArray();
        var dbTwice = db.Select(v => 2 * v).ToArray();
        Convolution.BackwardKernel(x, dy, dw, db, g, accumulate: true);
        AssertClose(expectedTwice, dw, "accumulated kernel gradient");
        AssertClose(dbTwice, db, "accumulated bias gradient");
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void BackwardPasses_AreAdjointsOfForward(string config)
    {
        // <conv(x; w), y> = <x, BackwardInput(y; w)> = <w, BackwardKernel(x, y)>: the identities that
        // define the gradients, checked without any reference implementation.
        var g = Parse(config);
        var random = new Random(Seed(config) + 1);
        var x = RandomArray(random, g.InputLength);
        var kernel = RandomArray(random, g.KernelLength);
        var y = RandomArray(random, g.OutputLength);
        var forward = new float[g.OutputLength];
        Convolution.Forward(x, kernel, forward, g);
        var dx = new float[g.InputLength];
        Convolution.BackwardInput(y, kernel, dx, g);
        var dw = new float[g.KernelLength];
        Convolution.BackwardKernel(x, y, dw, g);
        double lhs = Dot(forward, y), viaInput = Dot(x, dx), viaKernel = Dot(kernel, dw);
        double scale = Math.Sqrt(g.OutputLength * (double)g.PatchSize);
        Assert.True(Math.Abs(lhs - viaInput) <= 1e-4 * scale, $"<Fx, y> = {lhs}, <x, Bᵀy> = {viaInput}");
        Assert.True(Math.Abs(lhs - viaKernel) <= 1e-4 * scale, $"<Fx, y> = {lhs}, <w, dW> = {viaKernel}");
    }

    [Theory]
    [InlineData(28, 3, 1, "valid", 26, 0)]
    [InlineData(28, 3, 1, "same", 28, 1)]
    [InlineData(7, 3, 2, "same", 4, 1)]
    [InlineData(8, 3, 2, "same", 4, 0)]   // total padding 1 goes to the bottom (TensorFlow)
    [InlineData(8, 4, 1, "same", 8, 1)]   // total 3: 1 top, 2 bottom
    [InlineData(9, 5, 3, "valid", 2, 0)]
    [InlineData(2, 5, 1, "same", 2, 2)]
    public void Create_SizesLikeKeras(int input, int kernel, int stride, string padding, int expectedOut, int expectedPad)
    {
        var g = Conv2DGeometry.Create(2, input, input + 1, 3, 4, kernel, kernel, stride, stride, padding);
        Assert.Equal(expectedOut, g.OutHeight);
        Assert.Equal(expectedPad, g.PadTop);
    }

    [Fact]
    public void Create_DilatedSameAndCausal1D()
    {
        var g = Conv2DGeometry.Create(1, 10, 10, 1, 1, 3, 3, padding: "same", dilationH: 2, dilationW: 2);
        Assert.Equal((10, 2, 10, 2), (g.OutHeight, g.PadTop, g.OutWidth, g.PadLeft));
        var causal = Conv2DGeometry.Create1D(2, 10, 3, 4, kernelSize: 3, padding: "causal", dilation: 2);
        Assert.Equal((1, 10, 0, 4), (causal.OutHeight, causal.OutWidth, causal.PadTop, causal.PadLeft));
        // Causal: output t sees inputs t−4, t−2, t only.
        var x = new float[2 * 10 * 3];
        x[(1 * 10 + 6) * 3 + 1] = 1; // batch 1, time 6, channel 1
        var kernel = Enumerable.Range(0, causal.KernelLength).Select(i => (float)(i + 1)).ToArray();
        var y = new float[causal.OutputLength];
        Convolution.Forward(x, kernel, y, causal);
        for (int t = 0; t < 10; t++)
        {
            int tap = t == 6 ? 2 : t == 8 ? 1 : t == 10 ? 0 : -1;
            float expected = tap < 0 ? 0 : kernel[(tap * 3 + 1) * 4 + 0];
            Assert.Equal(expected, y[(1 * 10 + t) * 4 + 0]);
        }
    }

    [Theory]
    [InlineData(5, 3, 2, "valid", 11)]
    [InlineData(5, 3, 2, "same", 10)]
    [InlineData(5, 2, 3, "valid", 15)]
    [InlineData(4, 4, 2, "same", 8)]
    public void CreateTranspose_SizesLikeKerasAndMapsBack(int input, int kernel, int stride, string padding, int expected)
    {
        var g = Conv2DGeometry.CreateTranspose(2, input, input, 3, 5, kernel, kernel, stride, stride, padding);
        Assert.Equal((expected, expected, 5, 3), (g.InHeight, g.InWidth, g.InChannels, g.OutChannels));
        Assert.Equal((input, input), (g.OutHeight, g.OutWidth));
        // The transposed forward pass is BackwardInput: [2, input, input, 3] → [2, expected, expected, 5].
        var random = new Random(3);
        var x = RandomArray(random, g.OutputLength);
        var w = RandomArray(random, g.KernelLength);
        var y = new float[g.InputLength];
        Convolution.BackwardInput(x, w, y, g);
        AssertClose(ConvolutionReference.BackwardInput(x, w, g), y, "transposed forward");
    }

    [Fact]
    public void BiasGradient_AndAddBias_LargeAndThreaded()
    {
        var random = new Random(5);
        var dy = RandomArray(random, 4099 * 37);
        var db = new float[37];
        Convolution.BiasGradient(dy, db);
        AssertClose(ConvolutionReference.BiasGradient(dy, 37), db, "bias gradient");
        var y = new float[dy.Length];
        Convolution.AddBias(y, db);
        for (int i = 0; i < y.Length; i++) Assert.Equal(db[i % 37], y[i]);
    }

    [Fact]
    public void WrongLengths_ThrowWithTheExpectedShape()
    {
        var g = Conv2DGeometry.Create(2, 5, 5, 3, 4, 3, 3);
        var e = Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[g.InputLength - 1], new float[g.KernelLength], new float[g.OutputLength], g));
        Assert.Contains("[2, 5, 5, 3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[g.InputLength], new float[g.KernelLength], new float[3], new float[g.OutputLength], g));
        Assert.Contains("bias", e.Message);
        Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(1, 5, 5, 3, 4, 3, 3, groups: 2));
        Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(1, 2, 2, 3, 4, 3, 3));
        Assert.Throws<ArgumentException>(() => Conv2DGeometry.Create(1, 5, 5, 3, 4, 3, 3, padding: "full"));
    }

    [Fact]
    public void ConcurrentCallers_EachGetTheirOwnResult()
    {
        // Callers that find the worker pool busy run their parts one after another; results must not change.
        var g = Conv2DGeometry.Create(4, 13, 13, 32, 40, 3, 3, padding: "same");
        var random = new Random(11);
        var w = RandomArray(random, g.KernelLength);
        var inputs = Enumerable.Range(0, 6).Select(_ => RandomArray(random, g.InputLength)).ToArray();
        var expected = inputs.Select(x =>
        {
            var y = new float[g.OutputLength];
            Convolution.Forward(x, w, y, g);
            var dw = new float[g.KernelLength];
            Convolution.BackwardKernel(x, y, dw, g);
            return (y, dw);
        }).ToArray();
        var actual = new (float[] Y, float[] Dw)[inputs.Length];
        Parallel.For(0, inputs.Length, i =>
        {
            var y = new float[g.OutputLength];
            Convolution.Forward(inputs[i], w, y, g);
            var dw = new float[g.KernelLength];
            Convolution.BackwardKernel(inputs[i], y, dw, g);
            actual[i] = (y, dw);
        });
        for (int i = 0; i < inputs.Length; i++)
        {
            AssertClose(expected[i].y, actual[i].Y, $"caller {i} forward");
            AssertClose(expected[i].dw, actual[i].Dw, $"caller {i} kernel gradient");
        }
    }

    [Fact]
    public void ForwardAndBackward_AfterWarmUp_AllocateAlmostNothing()
    {
        // The MNIST CNN's second convolution at batch 64: threaded, chunked, pooled scratch.
        var g = Conv2DGeometry.Create(64, 13, 13, 32, 64, 3, 3);
        var random = new Random(9);
        var (x, w, b) = (RandomArray(random, g.InputLength), RandomArray(random, g.KernelLength), RandomArray(random, 64));
        var (y, dx, dw, db) = (new float[g.OutputLength], new float[g.InputLength], new float[g.KernelLength], new float[64]);
        void Step()
        {
            Convolution.Forward(x, w, b, y, g);
            Convolution.BackwardInput(y, w, dx, g);
            Convolution.BackwardKernel(x, y, dw, db, g);
        }
        for (int i = 0; i < 3; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Step();
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 5;
        Assert.True(perStep < 64 * 1024, $"allocated {perStep} bytes per forward + backward");
    }

    /// <summary>A stable seed (string.GetHashCode changes from run to run).</summary>
    internal static int Seed(string text) => text.Aggregate(17, (hash, ch) => unchecked(hash * 31 + ch));

    private static Conv2DGeometry Parse(string config)
    {
        var f = config.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int I(int i) => int.Parse(f[i]);
        // Dilation is "d" or "dh,dw".
        var dilation = f[10].Split(',').Select(int.Parse).ToArray();
        return Conv2DGeometry.Create(I(0), I(1), I(2), I(3), I(4), I(5), I(6), I(7), I(8), f[9], dilation[0], dilation[^1], I(11));
    }

    internal static float[] RandomArray(Random random, int length)
    {
        var a = new float[length];
        for (int i = 0; i < length; i++) a[i] = random.NextSingle() * 2 - 1;
        return a;
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    internal static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i]))))
                Assert.Fail($"{what}: element {i} expected {expected[i]}, got {actual[i]}");
    }
}

/// <summary>The convolution written as its definition: nested loops, double accumulation, no tricks.</summary>
internal static class ConvolutionReference
{
    /// <summary>Calls visit(input index, kernel index, output index) for every multiply of the convolution.</summary>
    private static void ForEachProduct(in Conv2DGeometry g, Action<int, int, int> visit)
    {
        int cg = g.InGroupChannels, fg = g.OutGroupChannels;
        for (int b = 0; b < g.Batch; b++)
            for (int oh = 0; oh < g.OutHeight; oh++)
                for (int ow = 0; ow < g.OutWidth; ow++)
                    for (int f = 0; f < g.OutChannels; f++)
                        for (int i = 0; i < g.KernelHeight; i++)
                            for (int j = 0; j < g.KernelWidth; j++)
                                for (int c = 0; c < cg; c++)
                                {
                                    int ih = oh * g.StrideH - g.PadTop + i * g.DilationH;
                                    int iw = ow * g.StrideW - g.PadLeft + j * g.DilationW;
                                    if (ih < 0 || ih >= g.InHeight || iw < 0 || iw >= g.InWidth) continue;
                                    int input = ((b * g.InHeight + ih) * g.InWidth + iw) * g.InChannels + f / fg * cg + c;
                                    int kernel = ((i * g.KernelWidth + j) * cg + c) * g.OutChannels + f;
                                    int output = ((b * g.OutHeight + oh) * g.OutWidth + ow) * g.OutChannels + f;
                                    visit(input, kernel, output);
                                }
    }

    public static float[] Forward(float[] x, float[] w, float[] bias, Conv2DGeometry g)
    {
        var y = new double[g.OutputLength];
        for (int o = 0; o < y.Length; o++) y[o] = bias[o % g.OutChannels];
        ForEachProduct(g, (i, k, o) => y[o] += (double)x[i] * w[k]);
        return y.Select(v => (float)v).ToArray();
    }

    public static float[] BackwardInput(float[] dy, float[] w, Conv2DGeometry g)
    {
        var dx = new double[g.InputLength];
        ForEachProduct(g, (i, k, o) => dx[i] += (double)dy[o] * w[k]);
        return dx.Select(v => (float)v).ToArray();
    }

    public static float[] BackwardKernel(float[] x, float[] dy, Conv2DGeometry g)
    {
        var dw = new double[g.KernelLength];
        ForEachProduct(g, (i, k, o) => dw[k] += (double)x[i] * dy[o]);
        return dw.Select(v => (float)v).ToArray();
    }

    public static float[] BiasGradient(float[] dy, int channels)
    {
        var db = new double[channels];
        for (int i = 0; i < dy.Length; i++) db[i % channels] += dy[i];
        return db.Select(v => (float)v).ToArray();
    }
}
