using System.Text.Json;
using Nerva.Data;
using Nerva.Data.Selection;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Models;

namespace Nerva.Tests.Layers;

/// <summary>Recurrent layers against PyTorch (tests/reference/make_recurrent.py), gradient checks and training.</summary>
[Collection(GlobalRandomStateCollection.Name)]
public class RecurrentLayerTests
{
    private static IEnumerable<JsonElement> Cases => Fixtures.Load("recurrent.json").GetProperty("cases").EnumerateArray();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static Layer Create(string layer, JsonElement config) => layer switch
    {
        "LSTM" => new LSTM(config.GetProperty("units").GetInt32(), config.GetProperty("activation").GetString(),
            config.GetProperty("recurrent_activation").GetString(), config.GetProperty("use_bias").GetBoolean(),
            returnSequences: config.GetProperty("return_sequences").GetBoolean(), goBackwards: config.GetProperty("go_backwards").GetBoolean()),
        "GRU" => new GRU(config.GetProperty("units").GetInt32(), config.GetProperty("activation").GetString(),
            config.GetProperty("recurrent_activation").GetString(), config.GetProperty("use_bias").GetBoolean(),
            resetAfter: config.GetProperty("reset_after").GetBoolean(),
            returnSequences: config.GetProperty("return_sequences").GetBoolean(), goBackwards: config.GetProperty("go_backwards").GetBoolean()),
        "SimpleRNN" => new SimpleRNN(config.GetProperty("units").GetInt32(), config.GetProperty("activation").GetString(),
            config.GetProperty("use_bias").GetBoolean(),
            returnSequences: config.GetProperty("return_sequences").GetBoolean(), goBackwards: config.GetProperty("go_backwards").GetBoolean()),
        _ => throw new ArgumentException($"no factory for {layer}"),
    };

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.First(x => x.GetProperty("name").GetString() == name);
        var layer = Create(c.GetProperty("layer").GetString()!, c.GetProperty("config"));
        var input = Fixtures.ToTensor(c.GetProperty("input")).RequiresGrad_();
        layer.Build(input.Shape[1..]);
        layer.SetWeights(c.GetProperty("weights").EnumerateArray().Select(Fixtures.ToTensor).ToArray());

        var output = layer.Forward(input, training: true);
        Fixtures.AssertClose($"{name} output", c.GetProperty("output"), output);
        (output * Fixtures.ToTensor(c.GetProperty("gradWeight"))).Sum().Backward();
        Fixtures.AssertClose($"{name} input grad", c.GetProperty("inputGrad"), input.Grad!);
        var grads = c.GetProperty("weightGrads").EnumerateArray().ToArray();
        Assert.Equal(grads.Length, layer.Weights.Count);
        for (int i = 0; i < grads.Length; i++)
            Fixtures.AssertClose($"{name} weight {i} grad", grads[i], layer.Weights[i].Grad!);
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, true)]
    [InlineData(false, true, false)]
    public void LstmOpPassesGradientCheck(bool returnSequences, bool goBackwards, bool useBias)
    {
        var x = Tensor.RandomNormal([3, 4, 5], seed: 1);
        var kernel = Tensor.RandomNormal([5, 12], std: 0.5f, seed: 2);
        var recurrent = Tensor.RandomNormal([3, 12], std: 0.5f, seed: 3);
        var bias = Tensor.RandomNormal([12], std: 0.5f, seed: 4);
        Tensor[] inputs = useBias ? [x, kernel, recurrent, bias] : [x, kernel, recurrent];
        var check = GradientCheck.Run(
            t => Tensor.Lstm(t[0], t[1], t[2], useBias ? t[3] : null, returnSequences, goBackwards), inputs);
        Assert.True(check.Passed, check.Message);
    }

    [Theory]
    [InlineData("LSTM", 4)]
    [InlineData("GRU", 3)]
    [InlineData("SimpleRNN", 1)]
    public void OpsPassGradientChecksAcrossTheVectorWidth(string op, int gates)
    {
        // 17 units: one 16-wide vector pass of the cell kernels and a scalar tail, both checked.
        const int units = 17;
        var x = Tensor.RandomNormal([2, 3, 2], seed: 41);
        var kernel = Tensor.RandomNormal([2, gates * units], std: 0.5f, seed: 42);
        var recurrent = Tensor.RandomNormal([units, gates * units], std: 0.25f, seed: 43);
        var bias = Tensor.RandomNormal(op == "GRU" ? [2, gates * units] : [gates * units], std: 0.5f, seed: 44);
        var check = GradientCheck.Run(t => op switch
        {
            "LSTM" => Tensor.Lstm(t[0], t[1], t[2], t[3], returnSequences: true, goBackwards: false),
            "GRU" => Tensor.Gru(t[0], t[1], t[2], t[3], returnSequences: true, goBackwards: true),
            _ => Tensor.SimpleRnn(t[0], t[1], t[2], t[3], returnSequences: true, goBackwards: false),
        }, [x, kernel, recurrent, bias]);
        Assert.True(check.Passed, check.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void FusedLstmMatchesTheUnrolledSteps(bool returnSequences, bool goBackwards)
    {
        // The same activations under other names take the unrolled path: both must agree, values and gradients.
        var tanh = new ActivationFunction("tanh_unrolled", t => t.Tanh());
        var sigmoid = new ActivationFunction("sigmoid_unrolled", t => t.Sigmoid());
        var fused = new LSTM(37, returnSequences: returnSequences, goBackwards: goBackwards);
        var unrolled = new LSTM(37, tanh, sigmoid, returnSequences: returnSequences, goBackwards: goBackwards);
        AssertFusedMatchesUnrolled(fused, unrolled, 37, returnSequences);
    }

    [Theory]
    [InlineData(false, false, true, false)]
    [InlineData(true, false, true, false)]
    [InlineData(true, true, true, false)]
    [InlineData(false, true, false, false)]
    [InlineData(true, false, true, true)]
    [InlineData(false, true, false, true)]
    public void SimpleRnnOpPassesGradientCheck(bool returnSequences, bool goBackwards, bool useBias, bool relu)
    {
        // Finite differences across relu's kink at 0 match no gradient, so these draws keep the
        // pre-activations away from it.
        var x = Tensor.RandomNormal([3, 4, 5], seed: 31);
        var kernel = Tensor.RandomNormal([5, 6], std: 0.5f, seed: 32);
        var recurrent = Tensor.RandomNormal([6, 6], std: 0.4f, seed: 33);
        var bias = Tensor.RandomNormal([6], std: 0.5f, seed: 34);
        Tensor[] inputs = useBias ? [x, kernel, recurrent, bias] : [x, kernel, recurrent];
        var check = GradientCheck.Run(
            t => Tensor.SimpleRnn(t[0], t[1], t[2], useBias ? t[3] : null, returnSequences, goBackwards, relu), inputs);
        Assert.True(check.Passed, check.Message);
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, true)]
    [InlineData(false, true, false)]
    public void GruOpPassesGradientCheck(bool returnSequences, bool goBackwards, bool useBias)
    {
        var x = Tensor.RandomNormal([3, 4, 5], seed: 21);
        var kernel = Tensor.RandomNormal([5, 9], std: 0.5f, seed: 22);
        var recurrent = Tensor.RandomNormal([3, 9], std: 0.5f, seed: 23);
        var bias = Tensor.RandomNormal([2, 9], std: 0.5f, seed: 24);
        Tensor[] inputs = useBias ? [x, kernel, recurrent, bias] : [x, kernel, recurrent];
        var check = GradientCheck.Run(
            t => Tensor.Gru(t[0], t[1], t[2], useBias ? t[3] : null, returnSequences, goBackwards), inputs);
        Assert.True(check.Passed, check.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void FusedGruMatchesTheUnrolledSteps(bool returnSequences, bool goBackwards)
    {
        var tanh = new ActivationFunction("tanh_unrolled", t => t.Tanh());
        var sigmoid = new ActivationFunction("sigmoid_unrolled", t => t.Sigmoid());
        // A non-zero bias, so that both of its rows take part.
        var fused = new GRU(37, returnSequences: returnSequences, goBackwards: goBackwards, biasInitializer: new RandomNormal(0f, 0.5f));
        var unrolled = new GRU(37, tanh, sigmoid, returnSequences: returnSequences, goBackwards: goBackwards);
        AssertFusedMatchesUnrolled(fused, unrolled, 37, returnSequences);
    }

    [Theory]
    [InlineData("tanh", false, false)]
    [InlineData("tanh", true, true)]
    [InlineData("relu", true, false)]
    public void FusedSimpleRnnMatchesTheUnrolledSteps(string activation, bool returnSequences, bool goBackwards)
    {
        var same = new ActivationFunction(activation + "_unrolled", Activations.Get(activation).Apply);
        var fused = new SimpleRNN(37, activation, returnSequences: returnSequences, goBackwards: goBackwards, biasInitializer: new RandomNormal(0f, 0.5f));
        var unrolled = new SimpleRNN(37, same, returnSequences: returnSequences, goBackwards: goBackwards);
        AssertFusedMatchesUnrolled(fused, unrolled, 37, returnSequences);
    }

    [Fact]
    public void FusedLayersSplitIntoBatchShares_MatchTheUnrolledSteps()
    {
        // Batches large enough that the fused ops run each half of the batch on its own core through the
        // whole sequence (batch × gates × units ≥ 1M multiply-adds per step), bias gradients included.
        var tanh = new ActivationFunction("tanh_unrolled", t => t.Tanh());
        var sigmoid = new ActivationFunction("sigmoid_unrolled", t => t.Sigmoid());
        var init = new RandomNormal(0f, 0.3f);
        AssertFusedMatchesUnrolled(new LSTM(128, returnSequences: true, biasInitializer: init),
            new LSTM(128, tanh, sigmoid, returnSequences: true), 128, returnSequences: true, batch: 16, steps: 4);
        AssertFusedMatchesUnrolled(new GRU(128, biasInitializer: init), new GRU(128, tanh, sigmoid), 128, returnSequences: false, batch: 24, steps: 4);
        AssertFusedMatchesUnrolled(new SimpleRNN(128, biasInitializer: init), new SimpleRNN(128, tanh), 128, returnSequences: false, batch: 64, steps: 4);
    }

    /// <summary>Builds both layers for [batch, steps, 6], gives the unrolled one the fused one's weights and compares values and gradients.</summary>
    private static void AssertFusedMatchesUnrolled(Layer fused, Layer unrolled, int units, bool returnSequences, int batch = 20, int steps = 9)
    {
        fused.Build(steps, 6);
        unrolled.Build(steps, 6);
        unrolled.SetWeights([.. fused.Weights]);
        var x1 = Tensor.RandomNormal([batch, steps, 6], seed: 5).RequiresGrad_();
        var x2 = x1.Detach().RequiresGrad_();
        var w = Tensor.RandomNormal(returnSequences ? [batch, steps, units] : [batch, units], seed: 6);
        var y1 = fused.Forward(x1, training: true);
        var y2 = unrolled.Forward(x2, training: true);
        AssertClose(y2, y1, "output");
        (y1 * w).Sum().Backward();
        (y2 * w).Sum().Backward();
        AssertClose(x2.Grad!, x1.Grad!, "input gradient");
        for (int i = 0; i < fused.Weights.Count; i++) AssertClose(unrolled.Weights[i].Grad!, fused.Weights[i].Grad!, $"weight {i} gradient");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        float[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4f + 1e-4f * Math.Abs(e[i]), $"{what}[{i}]: {a[i]} vs {e[i]}");
    }

    [Fact]
    public void LstmShapesWeightsAndInitialisationFollowKeras()
    {
        var layer = new LSTM(8, returnSequences: true);
        var y = layer.Forward(Tensor.Zeros(2, 5, 3));
        Assert.Equal([2, 5, 8], y.Shape);
        Assert.Equal([3, 32], layer.Kernel!.Shape);
        Assert.Equal([8, 32], layer.RecurrentKernel!.Shape);
        Assert.Equal([32], layer.Bias!.Shape);
        Assert.Equal([layer.Kernel, layer.RecurrentKernel, layer.Bias], layer.Weights);
        // unit_forget_bias: the forget gate's bias starts at 1, the others at the initializer's 0.
        var bias = layer.Bias!.ToArray();
        Assert.All(bias[..8], v => Assert.Equal(0f, v));
        Assert.All(bias[8..16], v => Assert.Equal(1f, v));
        Assert.All(bias[16..], v => Assert.Equal(0f, v));
        // Orthogonal recurrent kernel: U·Uᵀ = I for [8, 32].
        var u = layer.RecurrentKernel!;
        var gram = u.MatMul(u.T).ToArray();
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                Assert.Equal(i == j ? 1f : 0f, gram[i * 8 + j], 4);
        // Any number of steps once built; the feature count is fixed.
        Assert.Equal([2, 9, 8], layer.Forward(Tensor.Zeros(2, 9, 3)).Shape);
        Assert.Equal([4, 8], new LSTM(8).Forward(Tensor.Zeros(4, 3, 2)).Shape);
        Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros(2, 5, 4)));
        Assert.Throws<ArgumentException>(() => new LSTM(0));
        Assert.Throws<ArgumentException>(() => new LSTM(4).Forward(Tensor.Zeros(2, 3)));
    }

    [Fact]
    public void GruShapesWeightsAndInitialisationFollowKeras()
    {
        var layer = new GRU(8, returnSequences: true);
        var y = layer.Forward(Tensor.Zeros(2, 5, 3));
        Assert.Equal([2, 5, 8], y.Shape);
        Assert.Equal([3, 24], layer.Kernel!.Shape);
        Assert.Equal([8, 24], layer.RecurrentKernel!.Shape);
        Assert.Equal([2, 24], layer.Bias!.Shape);
        Assert.Equal([layer.Kernel, layer.RecurrentKernel, layer.Bias], layer.Weights);
        Assert.All(layer.Bias!.ToArray(), v => Assert.Equal(0f, v));
        AssertOrthogonalRows(layer.RecurrentKernel!);
        Assert.Equal([2, 9, 8], layer.Forward(Tensor.Zeros(2, 9, 3)).Shape);
        Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros(2, 5, 4)));

        // reset_after=False: one bias [3u] on the input part.
        var before = new GRU(5, resetAfter: false);
        Assert.Equal([4, 5], before.Forward(Tensor.Zeros(4, 3, 2)).Shape);
        Assert.Equal([15], before.Bias!.Shape);
        var noBias = new GRU(5, useBias: false);
        noBias.Build(3, 2);
        Assert.Null(noBias.Bias);
        Assert.Equal(2, noBias.Weights.Count);
        Assert.Throws<ArgumentException>(() => new GRU(0));
        Assert.Throws<ArgumentException>(() => new GRU(4).Forward(Tensor.Zeros(2, 3)));
        Assert.Throws<ArgumentException>(() => new GRU(4).Forward(Tensor.Zeros(2, 0, 3)));
    }

    [Fact]
    public void SimpleRnnShapesWeightsAndInitialisationFollowKeras()
    {
        var layer = new SimpleRNN(8);
        var y = layer.Forward(Tensor.Zeros(2, 5, 3));
        Assert.Equal([2, 8], y.Shape);
        Assert.Equal([3, 8], layer.Kernel!.Shape);
        Assert.Equal([8, 8], layer.RecurrentKernel!.Shape);
        Assert.Equal([8], layer.Bias!.Shape);
        Assert.Equal([layer.Kernel, layer.RecurrentKernel, layer.Bias], layer.Weights);
        AssertOrthogonalRows(layer.RecurrentKernel!);
        Assert.Equal([2, 8], layer.Forward(Tensor.Zeros(2, 1, 3)).Shape);
        Assert.Equal([4, 6, 8], new SimpleRNN(8, returnSequences: true).Forward(Tensor.Zeros(4, 6, 2)).Shape);
        Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros(2, 5, 4)));
        Assert.Throws<ArgumentException>(() => new SimpleRNN(-1));
        Assert.Throws<ArgumentException>(() => new SimpleRNN(4).Forward(Tensor.Zeros(2, 3)));
    }

    [Fact]
    public void RecurrentConfigsRebuildTheSameLayers()
    {
        // The config keys must name the constructor's parameters, or a saved model reloads with defaults:
        // every argument here differs from its default, and the rebuilt layer must write the same JSON.
        Layer[] layers =
        [
            new GRU(7, "relu", "hard_sigmoid", useBias: false, kernelInitializer: new HeNormal(), recurrentInitializer: new GlorotNormal(),
                biasInitializer: new Ones(), resetAfter: false, returnSequences: true, goBackwards: true,
                kernelRegularizer: new Nerva.Regularizers.L2(0.1f), recurrentRegularizer: new Nerva.Regularizers.L1(0.2f),
                biasRegularizer: new Nerva.Regularizers.L2(0.3f), name: "g"),
            new SimpleRNN(5, "sigmoid", useBias: false, kernelInitializer: new LecunNormal(), recurrentInitializer: new HeUniform(),
                biasInitializer: new Ones(), returnSequences: true, goBackwards: true, kernelRegularizer: new Nerva.Regularizers.L1(0.1f),
                recurrentRegularizer: new Nerva.Regularizers.L2(0.2f), biasRegularizer: new Nerva.Regularizers.L1(0.3f), name: "s"),
            new LSTM(3, "relu", "hard_sigmoid", useBias: false, kernelInitializer: new HeNormal(), recurrentInitializer: new GlorotUniform(),
                biasInitializer: new Ones(), unitForgetBias: false, returnSequences: true, goBackwards: true,
                kernelRegularizer: new Nerva.Regularizers.L2(0.1f), recurrentRegularizer: new Nerva.Regularizers.L1(0.2f),
                biasRegularizer: new Nerva.Regularizers.L2(0.3f), name: "l"),
        ];
        foreach (var layer in layers)
        {
            var json = Nerva.Models.LayerConfig.ToJson(layer);
            var copy = Nerva.Models.LayerConfig.FromJson(json, "test");
            Assert.Equal(layer.GetType(), copy.GetType());
            Assert.Equal(json.ToJsonString(), Nerva.Models.LayerConfig.ToJson(copy).ToJsonString());
            // Every argument shows in the JSON: the same layer with default arguments writes a different one.
            Layer defaults = layer switch { GRU => new GRU(7, name: "g"), SimpleRNN => new SimpleRNN(5, name: "s"), _ => new LSTM(3, name: "l") };
            Assert.NotEqual(json.ToJsonString(), Nerva.Models.LayerConfig.ToJson(defaults).ToJsonString());
        }
    }

    [Fact]
    public void SequentialModelsTakeAnyNumberOfSteps()
    {
        // As Keras's Input(shape=(None, features)): trained on 8 steps, the model runs on 5 and 12.
        var model = new Sequential(new LSTM(6, returnSequences: true), new GRU(5), new Dense(2));
        model.Compile("adam", "mse");
        model.Fit(Tensor.RandomNormal([16, 8, 3], seed: 1), Tensor.RandomNormal([16, 2], seed: 2), epochs: 1, batchSize: 8, verbose: 0);
        Assert.Equal([4, 2], model.Predict(Tensor.RandomNormal([4, 5, 3], seed: 3)).Shape);
        Assert.Equal([4, 2], model.Predict(Tensor.RandomNormal([4, 12, 3], seed: 4)).Shape);
        model.Evaluate(Tensor.RandomNormal([4, 12, 3], seed: 5), Tensor.RandomNormal([4, 2], seed: 6));
        var error = Assert.Throws<ArgumentException>(() => model.Predict(Tensor.RandomNormal([4, 5, 4], seed: 7)));
        Assert.Contains("[batch, steps, 3]", error.Message);
    }

    private static void AssertOrthogonalRows(Tensor u)
    {
        int n = u.Shape[0];
        var gram = u.MatMul(u.T).ToArray();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(i == j ? 1f : 0f, gram[i * n + j], 4);
    }

    [Fact]
    public void LstmLearnsDigitsReadRowByRowAndSavesItsConfig()
    {
        // Each 8×8 digit read as 8 steps of 8 pixels: the class needs the whole sequence.
        RandomState.SetSeed(3);
        var (x, y) = Datasets.LoadDigits();
        var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split((x / 16f).Reshape(-1, 8, 8), y, testSize: 0.2, seed: 3, stratify: y);
        var model = new Sequential(new LSTM(32), new Dense(10, "softmax"));
        model.Compile("adam", "sparse_categorical_crossentropy", "accuracy");
        model.Fit(xTrain, yTrain, epochs: 15, batchSize: 32, verbose: 0, seed: 1);
        float accuracy = model.Evaluate(xTest, yTest)["accuracy"];
        Assert.True(accuracy > 0.85f, $"test accuracy {accuracy}");

        var path = Path.Combine(Path.GetTempPath(), $"nerva-lstm-{Guid.NewGuid():N}.nerva");
        try
        {
            model.Save(path);
            var loaded = Model.Load(path);
            Assert.Equal(model.Predict(xTest).ToArray(), loaded.Predict(xTest).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("GRU")]
    [InlineData("SimpleRNN")]
    public void GruAndSimpleRnnLearnDigitsReadRowByRowAndSaveTheirConfig(string kind)
    {
        RandomState.SetSeed(3);
        var (x, y) = Datasets.LoadDigits();
        var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split((x / 16f).Reshape(-1, 8, 8), y, testSize: 0.2, seed: 3, stratify: y);
        Layer recurrent = kind == "GRU" ? new GRU(32) : new SimpleRNN(32);
        var model = new Sequential(recurrent, new Dense(10, "softmax"));
        model.Compile("adam", "sparse_categorical_crossentropy", "accuracy");
        model.Fit(xTrain, yTrain, epochs: 15, batchSize: 32, verbose: 0, seed: 1);
        float accuracy = model.Evaluate(xTest, yTest)["accuracy"];
        Assert.True(accuracy > 0.85f, $"{kind} test accuracy {accuracy}");

        var path = Path.Combine(Path.GetTempPath(), $"nerva-{kind}-{Guid.NewGuid():N}.nerva");
        try
        {
            model.Save(path);
            var loaded = Model.Load(path);
            Assert.Equal(model.Predict(xTest).ToArray(), loaded.Predict(xTest).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
