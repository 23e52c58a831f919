using Nerva.Data;
using Nerva.Data.Selection;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Models;

namespace Nerva.Tests.Models;

/// <summary>A tiny CNN on the bundled 8x8 digits: quick, seeded, and it must really learn.</summary>
[Collection(GlobalRandomStateCollection.Name)]
public class CnnTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nerva-cnn-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void SmallConvNetLearnsDigitsAndSurvivesSaveLoad()
    {
        RandomState.SetSeed(5);
        var (x, y) = Datasets.LoadDigits(asImages: true);
        var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(x / 16f, y, testSize: 0.2, seed: 5, stratify: y);
        var model = new Sequential(
            new Conv2D(16, 3, padding: "same", activation: "relu"),
            new BatchNormalization(),
            new MaxPooling2D(2),
            new Conv2D(16, 3, padding: "same", activation: "relu"),
            new GlobalAveragePooling2D(),
            new Dense(10, "softmax"));
        model.Compile("adam", "sparse_categorical_crossentropy", "accuracy");
        model.Fit(xTrain, yTrain, epochs: 8, batchSize: 32, verbose: 0, seed: 1);
        float accuracy = model.Evaluate(xTest, yTest)["accuracy"];
        Assert.True(accuracy > 0.85f, $"test accuracy {accuracy}");

        var path = Path.Combine(directory, "cnn.nerva");
        model.Save(path);
        Assert.Equal(model.Predict(xTest).ToArray(), Model.Load(path).Predict(xTest).ToArray());
        Assert.Contains("(None, 8, 8, 16)", model.Summary());
    }

    [Fact]
    public void ConvolutionErrorsNameTheShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros(1, 5, 5, 3).Conv2D(Tensor.Zeros(3, 3, 2, 4)));
        Assert.Contains("Conv2D", error.Message);
        Assert.Contains("[3, 3, 2, 4]", error.Message);
        Assert.Throws<ArgumentException>(() => new Conv2D(4, 3, padding: "full"));
        var conv = new Conv2D(2, 3);
        conv.Forward(Tensor.Zeros(1, 5, 5, 3));
        Assert.Contains("[1, 5, 5, 4]", Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros(1, 5, 5, 4))).Message);
    }
}
