using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Models;
using Nerva.Regularizers;

namespace Nerva.Tests.Layers;

/// <summary>
/// Conv2DTranspose, DepthwiseConv2D, SeparableConv2D and the 1-D poolings beyond the PyTorch
/// fixtures: Keras's shapes and weight layouts, argument checks, training and save/load.
/// </summary>
[Collection(GlobalRandomStateCollection.Name)]
public class ConvolutionLayerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nerva-conv-layers-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    // (input, kernel, stride, padding, output padding) → Keras's output size
    [InlineData(7, 3, 1, "valid", -1, 9)]
    [InlineData(7, 3, 2, "valid", -1, 15)]
    [InlineData(7, 1, 3, "valid", -1, 21)]
    [InlineData(7, 4, 2, "same", -1, 14)]
    [InlineData(7, 3, 2, "same", 0, 13)]
    [InlineData(7, 3, 2, "same", 1, 14)]
    [InlineData(7, 4, 2, "same", 1, 13)]
    [InlineData(7, 3, 2, "valid", 1, 16)]
    public void Conv2DTransposeHasKerasOutputSizes(int size, int kernel, int stride, string padding, int outputPadding, int expected)
    {
        var layer = new Conv2DTranspose(5, kernel, stride, padding, outputPadding < 0 ? null : outputPadding);
        var y = layer.Forward(Tensor.Ones(2, size, size + 1, 3));
        int width = padding == "valid"
            ? (outputPadding < 0 ? (size + 1) * stride + Math.Max(kernel - stride, 0) : size * stride + kernel + outputPadding)
            : (outputPadding < 0 ? (size + 1) * stride : size * stride + kernel % 2 + outputPadding);
        Assert.Equal([2, expected, width, 5], y.Shape);
        Assert.Equal([kernel, kernel, 5, 3], layer.Weights[0].Shape);
        Assert.Equal([5], layer.Weights[1].Shape);
    }

    [Theory]
    // Sizes past the kernels' threshold for threads, on the packed and the shallow-patch paths.
    [InlineData(2, 12, 11, 16, 24, 4, 2, "same", -1)]
    [InlineData(3, 9, 10, 12, 20, 3, 2, "valid", 1)]
    [InlineData(32, 16, 16, 8, 2, 3, 2, "same", 1)]
    public void Conv2DTransposeMatchesADirectScatterOnLargerShapes(int batch, int h, int w, int c, int filters, int k, int s, string padding, int outputPadding)
    {
        var x = Tensor.RandomNormal([batch, h, w, c], seed: 1).RequiresGrad_();
        var kernel = Tensor.RandomNormal([k, k, filters, c], seed: 2).RequiresGrad_();
        var bias = Tensor.RandomNormal([filters], seed: 3).RequiresGrad_();
        int? op = outputPadding < 0 ? null : outputPadding;
        var y = x.Conv2DTranspose(kernel, bias, s, s, padding, outputPaddingH: op, outputPaddingW: op);
        int outH = y.Shape[1], outW = y.Shape[2];
        var g = Tensor.RandomNormal(y.Shape, seed: 4);
        (y * g).Sum().Backward();

        // Each input pixel (i, j) adds kernel tap (a, b) into output pixel (i·s − pad + a, j·s − pad + b),
        // where pad is the top/left padding of the "same" convolution that maps the output back.
        int Pad(int size, int input) => padding == "same" ? Math.Max((input - 1) * s + k - size, 0) / 2 : 0;
        int padTop = Pad(outH, h), padLeft = Pad(outW, w);
        float[] xs = x.ToArray(), ks = kernel.ToArray(), bs = bias.ToArray(), gs = g.ToArray();
        var want = new double[y.Size];
        var dx = new double[x.Size];
        var dk = new double[kernel.Size];
        var db = new double[filters];
        for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                    for (int f = 0; f < filters; f++)
                    {
                        int o = ((n * outH + oh) * outW + ow) * filters + f;
                        want[o] += bs[f];
                        db[f] += gs[o];
                    }
        for (int n = 0; n < batch; n++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                    for (int a = 0; a < k; a++)
                        for (int b = 0; b < k; b++)
                        {
                            int oh = i * s - padTop + a, ow = j * s - padLeft + b;
                            if (oh < 0 || oh >= outH || ow < 0 || ow >= outW) continue;
                            for (int f = 0; f < filters; f++)
                                for (int ch = 0; ch < c; ch++)
                                {
                                    int xi = ((n * h + i) * w + j) * c + ch, ki = ((a * k + b) * filters + f) * c + ch;
                                    int o = ((n * outH + oh) * outW + ow) * filters + f;
                                    want[o] += xs[xi] * ks[ki];
                                    dx[xi] += gs[o] * ks[ki];
                                    dk[ki] += gs[o] * xs[xi];
                                }
                        }
        AssertClose("output", want, y.ToArray());
        AssertClose("input grad", dx, x.Grad!.ToArray());
        AssertClose("kernel grad", dk, kernel.Grad!.ToArray());
        AssertClose("bias grad", db, bias.Grad!.ToArray());
    }

    private static void AssertClose(string what, double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-3 + 1e-4 * Math.Abs(expected[i]), $"{what}[{i}]: got {actual[i]}, expected {expected[i]}");
    }

    [Fact]
    public void DepthwiseAndSeparableHaveKerasWeights()
    {
        var depthwise = new DepthwiseConv2D(3, padding: "same", depthMultiplier: 2, useBias: true);
        Assert.Equal([2, 6, 5, 8], depthwise.Forward(Tensor.Ones(2, 6, 5, 4)).Shape);
        Assert.Equal(new[] { new[] { 3, 3, 4, 2 }, [8] }, depthwise.Weights.Select(w => w.Shape).ToArray());

        var separable = new SeparableConv2D(7, (3, 2), (2, 1), "valid", depthMultiplier: 3);
        Assert.Equal([2, 2, 4, 7], separable.Forward(Tensor.Ones(2, 6, 5, 4)).Shape);
        Assert.Equal(new[] { new[] { 3, 2, 4, 3 }, [1, 1, 12, 7], [7] }, separable.Weights.Select(w => w.Shape).ToArray());
        Assert.Equal(3 * 2 * 4 * 3 + 12 * 7 + 7, separable.CountParameters());
    }

    [Fact]
    public void DepthwiseChannelOrderIsKeras()
    {
        // Output channel c·m + k is filter k of input channel c: with a 1×1 kernel it is x[c]·w[c, k].
        var layer = new DepthwiseConv2D(1, depthMultiplier: 2, useBias: false);
        layer.Build(1, 1, 3);
        layer.SetWeights(Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 1, 1, 3, 2));
        var y = layer.Forward(Tensor.FromArray([1f, 10f, 100f], 1, 1, 1, 3));
        Assert.Equal([1f, 2f, 30f, 40f, 500f, 600f], y.ToArray());
    }

    [Fact]
    public void Pooling1DMatchesHandComputedWindows()
    {
        var x = Tensor.FromArray([1f, 5f, 2f, 8f, 3f], 1, 5, 1);
        Assert.Equal([5f, 8f], new MaxPooling1D().Forward(x).ToArray());
        Assert.Equal([5f, 8f, 3f], new MaxPooling1D(2, padding: "same").Forward(x).ToArray());
        // "same" averages only the steps inside the sequence: the last window holds 3 alone.
        Assert.Equal([3f, 5f, 3f], new AveragePooling1D(2, padding: "same").Forward(x).ToArray());
        var mean = new AveragePooling1D(3, 2).Forward(x).ToArray();
        Assert.Equal(2, mean.Length);
        Assert.Equal(8f / 3, mean[0], 5);
        Assert.Equal(13f / 3, mean[1], 5);
    }

    [Fact]
    public void BadArgumentsAndShapesFailWithTheLayerName()
    {
        Assert.Throws<ArgumentException>(() => new Conv2DTranspose(2, 3, strides: 2, outputPadding: 2));
        Assert.Throws<ArgumentException>(() => new Conv2DTranspose(2, 3, padding: "causal"));
        Assert.Throws<ArgumentException>(() => new DepthwiseConv2D(3, depthMultiplier: 0));
        Assert.Throws<ArgumentException>(() => new MaxPooling1D(0));
        // An even kernel under "same" with output padding 0 has no convolution that maps back (TensorFlow refuses it too).
        var error = Assert.Throws<ArgumentException>(() => new Conv2DTranspose(2, 4, 2, "same", outputPadding: 0).Forward(Tensor.Ones(1, 3, 3, 1)));
        Assert.Contains("Conv2DTranspose", error.Message);

        var pool = new AveragePooling1D(name: "seq_pool");
        error = Assert.Throws<ArgumentException>(() => pool.Forward(Tensor.Ones(1, 4, 4, 2)));
        Assert.Contains("seq_pool", error.Message);
        var up = new Conv2DTranspose(2, 3, name: "up");
        up.Forward(Tensor.Ones(1, 4, 4, 3));
        error = Assert.Throws<ArgumentException>(() => up.Forward(Tensor.Ones(1, 4, 4, 2)));
        Assert.Contains("up", error.Message);
        // Other image sizes with the same channels are fine, as for Conv2D.
        Assert.Equal([1, 7, 8, 2], up.Forward(Tensor.Ones(1, 5, 6, 3)).Shape);
    }

    private static Sequential Network() => new(
        new DepthwiseConv2D(3, padding: "same", depthMultiplier: 2, activation: "relu", biasInitializer: new Ones(),
            depthwiseRegularizer: new L2(1e-3f)),
        new SeparableConv2D(4, (3, 2), (2, 1), "same", depthMultiplier: 1, activation: "tanh", dilationRate: (1, 2)),
        new Conv2DTranspose(3, (3, 3), (2, 1), "same", outputPadding: (1, 0), activation: "relu", kernelInitializer: new HeNormal()),
        new Conv2DTranspose(2, 3, 2, "valid", useBias: false, kernelRegularizer: new L2(1e-4f)),
        new Reshape([-1, 2]),
        new MaxPooling1D(3, 2, "same"),
        new AveragePooling1D(2, padding: "same"),
        new Flatten(),
        new Dense(3, "softmax"));

    [Fact]
    public void ModelWithTheNewLayersTrainsAndSurvivesSaveLoad()
    {
        RandomState.SetSeed(11);
        var model = Network();
        model.Compile(new Nerva.Optimizers.Adam(learningRate: 0.01f), "sparse_categorical_crossentropy");
        var x = Tensor.RandomNormal([8, 6, 5, 2], seed: 3);
        var y = Tensor.FromArray([0f, 1f, 2f, 0f, 1f, 2f, 0f, 1f], 8);
        var history = model.Fit(x, y, epochs: 30, batchSize: 8, verbose: 0);
        Assert.True(history["loss"][^1] < history["loss"][0], $"loss {history["loss"][0]} → {history["loss"][^1]}");

        var path = Path.Combine(directory, "conv.nerva");
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.Equal(model.Predict(x).ToArray(), loaded.Predict(x).ToArray());
        Assert.Equal(model.Weights.Count, loaded.Weights.Count);
        for (int i = 0; i < model.Weights.Count; i++) Assert.Equal(model.Weights[i].ToArray(), loaded.Weights[i].ToArray());
        // The configuration is rebuilt too, not only the weights.
        var original = ((Sequential)model).Layers;
        var rebuilt = Assert.IsType<Sequential>(loaded).Layers;
        for (int i = 0; i < original.Count; i++)
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(Describe(original[i])), System.Text.Json.JsonSerializer.Serialize(Describe(rebuilt[i])));
        Assert.Equal(model.RegularizationLoss().Item(), loaded.RegularizationLoss().Item(), 6);
        string summary = loaded.Summary();
        foreach (var name in new[] { "depthwise_conv2d", "separable_conv2d", "conv2d_transpose", "max_pooling1d", "average_pooling1d" })
            Assert.Contains(name, summary);
    }

    private static Dictionary<string, string?> Describe(Layer layer) =>
        layer.GetConfig().Where(p => p.Key != "name").ToDictionary(p => p.Key, p => p.Value switch
        {
            int[] ints => string.Join(",", ints),
            Regularizer r => r.Name + System.Text.Json.JsonSerializer.Serialize(r.GetConfig()),
            var v => v?.ToString(),
        });
}
