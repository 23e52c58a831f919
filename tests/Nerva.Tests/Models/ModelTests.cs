using Nerva.Callbacks;
using Nerva.Data;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Models;

namespace Nerva.Tests.Models;

[Collection(GlobalRandomStateCollection.Name)]
public class ModelTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nerva-models-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static (Tensor X, Tensor Y) Xor() =>
        (Tensor.FromArray([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], 4, 2), Tensor.FromArray([0f, 1f, 1f, 0f], 4, 1));

    [Fact]
    public void SequentialLearnsXor()
    {
        RandomState.SetSeed(3);
        var (x, y) = Xor();
        var model = new Sequential(new Dense(8, "tanh"), new Dense(1, "sigmoid"));
        model.Compile(new Nerva.Optimizers.Adam(learningRate: 0.05f), "binary_crossentropy", "accuracy");
        var history = model.Fit(x, y, epochs: 300, batchSize: 4, verbose: 0);
        Assert.True(history["loss"][^1] < history["loss"][0] / 5, $"loss {history["loss"][0]} → {history["loss"][^1]}");
        Assert.Equal(1f, model.Evaluate(x, y)["accuracy"]);
        Assert.Equal(y.ToArray(), model.Predict(x).Gt(0.5f).ToArray());
    }

    [Fact]
    public void IrisReachesKerasAccuracy()
    {
        RandomState.SetSeed(42);
        var (x, y) = Datasets.LoadIris();
        var (xTrain, xTest, yTrain, yTest) = Nerva.Data.Selection.TrainTestSplit.Split(x, y, testSize: 0.2, seed: 42, stratify: y);
        var scaler = new Nerva.Data.Preprocessing.StandardScaler();
        xTrain = scaler.FitTransform(xTrain);
        xTest = scaler.Transform(xTest);
        var model = new Sequential(new Dense(10, "relu"), new Dense(3, "softmax"));
        model.Compile("adam", "sparse_categorical_crossentropy", "accuracy");
        var history = model.Fit(xTrain, yTrain, epochs: 100, batchSize: 16, verbose: 0, seed: 1, validationData: (xTest, yTest));
        Assert.True(model.Evaluate(xTest, yTest)["accuracy"] >= 0.93f);
        Assert.Equal(100, history["val_accuracy"].Count);
    }

    [Fact]
    public void SaveAndLoadReproducePredictionsAndTraining()
    {
        RandomState.SetSeed(1);
        var x = Tensor.RandomNormal([32, 5], seed: 1);
        var y = Tensor.FromArray([.. Enumerable.Range(0, 32).Select(i => (float)(i % 3))]);
        var model = new Sequential(new Dense(6, "relu", kernelRegularizer: new Nerva.Regularizers.L2(0.01f)), new LayerNormalization(), new Dense(3, "softmax"));
        model.Compile(new Nerva.Optimizers.Adam(learningRate: 0.01f, beta1: 0.8f, amsgrad: true) { ClipNorm = 1f },
            new Nerva.Losses.SparseCategoricalCrossentropy(fromLogits: false), "accuracy");
        model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        var path = Path.Combine(directory, "model.nerva");
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.Equal(model.Predict(x).ToArray(), loaded.Predict(x).ToArray());
        Assert.Contains("dense", loaded.Summary());
        Assert.False(Assert.IsType<Nerva.Losses.SparseCategoricalCrossentropy>(loaded.Loss).FromLogits);
        var adam = Assert.IsType<Nerva.Optimizers.Adam>(loaded.Optimizer);
        Assert.Equal((0.01f, 0.8f, true, 1f), (adam.LearningRate, adam.Beta1, adam.Amsgrad, adam.ClipNorm!.Value));
        // The optimizer state travels too: one more identical step gives identical weights.
        model.TrainOnBatch(x, y);
        loaded.TrainOnBatch(x, y);
        Assert.Equal(model.Weights[0].ToArray(), loaded.Weights[0].ToArray());
    }

    [Fact]
    public void EveryCoreLayerSurvivesASaveLoadRoundTrip()
    {
        var model = new Sequential(new Reshape([2, 3]), new Permute([2, 1]), new Flatten(), new Dense(4, "selu", useBias: false),
            new Dropout(0.3f), new Activation("tanh"), new RepeatVector(2), new LayerNormalization(epsilon: 1e-5f), new Flatten());
        model.Build(6);
        var path = Path.Combine(directory, "layers.nerva");
        model.Save(path);
        var x = Tensor.RandomNormal([3, 6], seed: 5);
        Assert.Equal(model.Predict(x).ToArray(), Model.Load(path).Predict(x).ToArray());
    }

    [Fact]
    public void LossArgumentsSurviveSaveLoad()
    {
        var model = new Sequential(new Dense(3));
        model.Compile("sgd", new Nerva.Losses.SparseCategoricalCrossentropy(fromLogits: true));
        model.Build(2);
        var path = Path.Combine(directory, "logits.nerva");
        model.Save(path);
        Assert.True(Assert.IsType<Nerva.Losses.SparseCategoricalCrossentropy>(Model.Load(path).Loss).FromLogits);
    }

    [Fact]
    public void CorruptedOrTruncatedFilesAreRejectedWhole()
    {
        var model = new Sequential(new Dense(2));
        model.Build(3);
        var path = Path.Combine(directory, "m.nerva");
        model.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path + ".cut", bytes[..(bytes.Length / 2)]);
        Assert.Throws<InvalidDataException>(() => Model.Load(path + ".cut"));
        File.WriteAllText(path + ".txt", "not a model");
        Assert.Throws<InvalidDataException>(() => Model.Load(path + ".txt"));
        var other = new Sequential(new Dense(4));
        other.Build(3);
        other.SaveWeights(path + ".w");
        Assert.Throws<InvalidDataException>(() => model.LoadWeights(path + ".w"));
    }

    [Fact]
    public void WeightsFileIsSafetensors()
    {
        var model = new Sequential(new Dense(2, name: "out"));
        model.Build(3);
        var path = Path.Combine(directory, "w.safetensors");
        model.SaveWeights(path);
        var bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        var header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.Contains("\"out/kernel\"", header);
        Assert.Contains("\"F32\"", header);
        Assert.Equal(8 + headerLength + (6 + 2) * 4, bytes.Length);
    }

    [Fact]
    public void SummaryListsLayersShapesAndCounts()
    {
        var model = new Sequential(new Dense(10, "relu"), new Dense(3, "softmax"));
        model.Build(4);
        var summary = model.Summary();
        Assert.Contains("(None, 10)", summary);
        Assert.Contains("Total params: 83", summary);
        Assert.Contains("Trainable params: 83", summary);
    }

    [Fact]
    public void EarlyStoppingStopsAndRestoresBestWeights()
    {
        var (x, y) = Xor();
        var model = new Sequential(new Dense(1, "sigmoid"));
        model.Compile(new Nerva.Optimizers.Sgd(learningRate: 0f), "binary_crossentropy");
        var stop = new EarlyStopping(monitor: "loss", patience: 2, restoreBestWeights: true);
        var history = model.Fit(x, y, epochs: 50, verbose: 0, callbacks: [stop]);
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(2, stop.StoppedEpoch);
    }

    [Fact]
    public void CallbacksSeeEveryEpochAndCsvLoggerWritesRows()
    {
        var (x, y) = Xor();
        var model = new Sequential(new Dense(1, "sigmoid"));
        model.Compile("sgd", "mse");
        var csv = Path.Combine(directory, "log.csv");
        int epochs = 0;
        model.Fit(x, y, epochs: 3, verbose: 0, validationSplit: 0.25f,
            callbacks: [new CsvLogger(csv), new LambdaCallback(onEpochEnd: (_, _) => epochs++), new ReduceLROnPlateau(monitor: "val_loss", patience: 1, factor: 0.5f)]);
        Assert.Equal(3, epochs);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("epoch,loss,val_loss", lines[0]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void TerminateOnNaNStops()
    {
        var (x, y) = Xor();
        var model = new Sequential(new Dense(1));
        model.Compile(new Nerva.Optimizers.Sgd(learningRate: 1e30f), "mse");
        var history = model.Fit(x * 1e10f, y, epochs: 20, batchSize: 1, verbose: 0, callbacks: [new TerminateOnNaN()]);
        Assert.True(history.Epochs.Count < 20);
    }

    private sealed class Residual : Model
    {
        private readonly Dense inner = new(4, "relu", inputDim: 4);
        private readonly Dense head = new(1, inputDim: 4);

        public override Tensor Forward(Tensor input, bool training = false) => head.Forward(inner.Forward(input) + input);
    }

    [Fact]
    public void SubclassedModelTrainsWithFit()
    {
        var model = new Residual();
        Assert.Equal(4, model.Parameters.Count);
        model.Compile("adam", "mse");
        var x = Tensor.RandomNormal([64, 4], seed: 1);
        var y = x.Sum(1, keepDim: true);
        var history = model.Fit(x, y, epochs: 30, batchSize: 16, verbose: 0);
        Assert.True(history["loss"][^1] < history["loss"][0]);
    }

    [Fact]
    public void FunctionalModelWithSharedLayerAndResidual()
    {
        var a = new Input(3);
        var b = new Input(3);
        var shared = new Dense(3, "tanh");
        var merged = new Concatenate().Apply(shared.Apply(a), shared.Apply(b));
        var residual = new Add().Apply(new Dense(6).Apply(merged), merged);
        var model = new Model([a, b], [new Dense(1).Apply(residual)]);
        Assert.Equal(6, model.Parameters.Count); // three Dense layers (the shared one once), kernel and bias each
        var output = model.ForwardAll([Tensor.Ones(2, 3), Tensor.Ones(2, 3)]);
        Assert.Equal([2, 1], output[0].Shape);
        var single = new Model(a, new Dense(2, "softmax").Apply(new Dense(5, "relu").Apply(a)));
        single.Compile("adam", "sparse_categorical_crossentropy", "accuracy");
        single.Fit(Tensor.RandomNormal([20, 3], seed: 4), Tensor.Zeros(20), epochs: 2, verbose: 0);
        Assert.Contains("(None, 5)", single.Summary());
    }

    [Fact]
    public void FunctionalModelSavesAndLoads()
    {
        var a = new Input(3);
        var b = new Input(3);
        var shared = new Dense(4, "tanh");
        var merged = new Add().Apply(shared.Apply(a), shared.Apply(b));
        var gated = new Multiply().Apply(merged, new Dense(4, "sigmoid").Apply(merged));
        var model = new Model([a, b], [new Dense(2).Apply(new Concatenate().Apply(gated, merged))]);
        model.Compile("adam", "mse");
        var x1 = Tensor.RandomNormal([5, 3], seed: 1);
        var x2 = Tensor.RandomNormal([5, 3], seed: 2);
        var path = Path.Combine(directory, "functional.nerva");
        model.Save(path);
        var loaded = Model.Load(path);
        Assert.True(loaded.IsFunctional);
        Assert.Equal(model.Parameters.Count, loaded.Parameters.Count);
        Assert.Equal(model.ForwardAll([x1, x2])[0].ToArray(), loaded.ForwardAll([x1, x2])[0].ToArray());
    }

    [Fact]
    public void ActivityRegularizerAddsToTheTrainingLoss()
    {
        var x = Tensor.Ones(4, 2);
        var y = Tensor.Zeros(4, 1);
        Sequential Make(Nerva.Regularizers.Regularizer? activity)
        {
            var dense = new Dense(1, kernelInitializer: new Nerva.Initializers.Ones(), activityRegularizer: activity);
            var m = new Sequential(dense);
            m.Compile(new Nerva.Optimizers.Sgd(learningRate: 0f), "mse");
            return m;
        }
        float plain = Make(null).TrainOnBatch(x, y)["loss"];
        float regularized = Make(new Nerva.Regularizers.L2(0.5f)).TrainOnBatch(x, y)["loss"];
        Assert.Equal(4f, plain, 5); // prediction 2 for every sample
        Assert.Equal(4f + 0.5f * 4 * 4 / 4, regularized, 5); // + l2·Σy²/batch
    }

    [Fact]
    public void ClassWeightsChangeTheLoss()
    {
        var x = Tensor.RandomNormal([8, 2], seed: 1);
        var y = Tensor.FromArray([0f, 0f, 0f, 0f, 0f, 0f, 1f, 1f]);
        var model = new Sequential(new Dense(2, "softmax"));
        model.Compile(new Nerva.Optimizers.Sgd(learningRate: 0f), "sparse_categorical_crossentropy");
        float plain = model.Fit(x, y, verbose: 0, shuffle: false)["loss"][0];
        float weighted = model.Fit(x, y, verbose: 0, shuffle: false, classWeight: new Dictionary<int, float> { [0] = 0f, [1] = 4f })["loss"][0];
        Assert.NotEqual(plain, weighted);
    }

    [Fact]
    public void FitBeforeCompileIsAClearError()
    {
        var model = new Sequential(new Dense(1));
        Assert.Contains("Compile", Assert.Throws<InvalidOperationException>(() => model.Fit(Tensor.Ones(2, 2), Tensor.Ones(2, 1), verbose: 0)).Message);
    }
}
