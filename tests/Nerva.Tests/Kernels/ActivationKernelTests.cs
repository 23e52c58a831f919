using System.Runtime.Intrinsics;
using Nerva.Kernels;

namespace Nerva.Tests.Kernels;

/// <summary>The fast exponential behind the sigmoid and tanh kernels, against double-precision math.</summary>
public class ActivationKernelTests
{
    [Fact]
    public void Exp_IsWithinTwoUlpOverTheFloatRange()
    {
        var random = new Random(7);
        var x = new float[16];
        double worst = 0;
        for (int round = 0; round < 20_000; round++)
        {
            for (int l = 0; l < 16; l++) x[l] = round == 0 ? l - 8 : (float)(random.NextDouble() * 175 - 87);
            var e = ActivationKernels.Exp(Vector512.Create(x));
            for (int l = 0; l < 16; l++)
                worst = Math.Max(worst, Math.Abs(e[l] - Math.Exp(x[l])) / Math.Exp(x[l]));
        }
        Assert.True(worst <= 2.4e-7, $"largest relative error {worst:E3}");
    }

    [Fact]
    public void Exp_SaturatesInsteadOfOverflowing_AndKeepsNaN()
    {
        var e = ActivationKernels.Exp(Vector512.Create([-1000f, -88f, 88f, 1000f, float.NaN, 0f, 1f, -1f, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.InRange(e[0], 0f, 1.2e-38f);
        Assert.InRange(e[1], 0f, 1.2e-38f);
        Assert.InRange(e[2], 1.6e38f, float.MaxValue);
        Assert.Equal(e[2], e[3]);
        Assert.True(float.IsNaN(e[4]));
        Assert.Equal(1f, e[5]);
        Assert.Equal(MathF.E, e[6], 6);
        Assert.Equal(1 / MathF.E, e[7], 6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(37)]   // two vectors and a tail
    [InlineData(1000)]
    public void Sigmoid_MatchesDoublePrecision(int length)
    {
        var random = new Random(length);
        var x = new float[length];
        for (int i = 0; i < length; i++)
            x[i] = i switch { 0 => -100f, 1 => 100f, 2 => 1e-8f, 3 => -30f, _ => (float)(random.NextDouble() * 40 - 20) };
        var y = new float[length];
        ActivationKernels.Sigmoid(x, y);
        for (int i = 0; i < length; i++)
        {
            double expected = 1 / (1 + Math.Exp(-(double)x[i]));
            double error = Math.Abs(y[i] - expected);
            Assert.True(error <= 1e-7 && error <= 3e-7 * expected + 1e-37, $"sigmoid({x[i]}) = {y[i]}, expected {expected}");
        }
    }

    [Fact]
    public void Sigmoid_InPlace_GivesTheSameValues()
    {
        var x = Enumerable.Range(0, 50).Select(i => i / 5f - 5f).ToArray();
        var expected = new float[50];
        ActivationKernels.Sigmoid(x, expected);
        ActivationKernels.Sigmoid(x, x);
        Assert.Equal(expected, x);
    }

    [Fact]
    public void Tanh_IsWithinItsAbsoluteErrorBound()
    {
        var x = Enumerable.Range(0, 4096).Select(i => (i - 2048) / 100f).ToArray();
        for (int i = 0; i < x.Length; i += 16)
        {
            var t = ActivationKernels.Tanh(Vector512.Create(x.AsSpan(i)));
            for (int l = 0; l < 16; l++)
                Assert.True(Math.Abs(t[l] - Math.Tanh(x[i + l])) <= 2e-7, $"tanh({x[i + l]}) = {t[l]}");
        }
    }
}
