using Nerva.Data.Preprocessing;

namespace Nerva.Tests.Data.Preprocessing;

/// <summary>
/// What every tensor transformer promises, checked for all of them from one table: state survives
/// JSON, unfitted use and wrong shapes fail with the transformer's name, corrupt JSON is InvalidDataException.
/// </summary>
public class TransformerContractTests
{
    private static readonly Dictionary<string, (Func<Transformer> Create, Func<string, Transformer> Load)> Table = new()
    {
        ["StandardScaler"] = (() => new StandardScaler(), StandardScaler.FromJson),
        ["StandardScalerNoMean"] = (() => new StandardScaler(withMean: false), StandardScaler.FromJson),
        ["MinMaxScaler"] = (() => new MinMaxScaler(-1f, 1f, clip: true), MinMaxScaler.FromJson),
        ["RobustScaler"] = (() => new RobustScaler(quantileMin: 10, quantileMax: 90), RobustScaler.FromJson),
        ["Normalizer"] = (() => new Normalizer("l1"), Normalizer.FromJson),
        ["SimpleImputer"] = (() => new SimpleImputer("most_frequent"), SimpleImputer.FromJson),
        ["OneHotEncoder"] = (() => new OneHotEncoder("ignore"), OneHotEncoder.FromJson),
    };

    public static TheoryData<string> Names => new(Table.Keys);

    // Whole numbers with a NaN, so that the imputer and the one-hot encoder have something to do.
    private static readonly Tensor Train = Tensor.FromArray(
        [1f, 2f, 3f, 4f, float.NaN, 6f, 1f, 8f, 9f, 4f, 2f, 3f, 1f, 2f, 6f], 5, 3);

    private static readonly Tensor Test = Tensor.FromArray([4f, 2f, 9f, 1f, 8f, 3f], 2, 3);

    [Theory]
    [MemberData(nameof(Names))]
    public void FittedStateRoundTripsThroughJson(string name)
    {
        var (create, load) = Table[name];
        var t = create();
        t.Fit(Train);
        string json = t.ToJson();
        var loaded = load(json);
        Assert.True(loaded.IsFitted);
        Assert.Equal(3, loaded.FeatureCount);
        Assert.Equal(json, loaded.ToJson());
        Assert.Equal(t.Transform(Test).ToArray(), loaded.Transform(Test).ToArray());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void UnfittedStateRoundTripsAndRefusesToTransform(string name)
    {
        var (create, load) = Table[name];
        var loaded = load(create().ToJson());
        Assert.False(loaded.IsFitted);
        var e = Assert.Throws<InvalidOperationException>(() => loaded.Transform(Test));
        Assert.Contains(loaded.Name, e.Message);
        Assert.Contains("Fit", e.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void WrongShapesNameTheTransformerAndShapes(string name)
    {
        var t = Table[name].Create();
        t.Fit(Train);
        var e = Assert.Throws<ArgumentException>(() => t.Transform(Tensor.Zeros(2, 4)));
        Assert.Contains(t.Name, e.Message);
        Assert.Contains("[2, 4]", e.Message);
        Assert.Contains("3", e.Message);
        e = Assert.Throws<ArgumentException>(() => t.Fit(Tensor.Zeros(6)));
        Assert.Contains("[6]", e.Message);
        Assert.Throws<ArgumentException>(() => t.Fit(Tensor.Zeros(0, 3)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void CorruptJsonIsInvalidData(string name)
    {
        var (create, load) = Table[name];
        var t = create();
        t.Fit(Train);
        string json = t.ToJson();
        Assert.Throws<InvalidDataException>(() => load(json[..(json.Length / 2)]));
        Assert.Throws<InvalidDataException>(() => load("[]"));
        Assert.Throws<InvalidDataException>(() => load(json.Replace($"\"type\":\"{t.Name}\"", "\"type\":\"Other\"")));
        // A feature count that disagrees with the saved statistics.
        if (name != "Normalizer")
            Assert.Throws<InvalidDataException>(() => load(json.Replace("\"featureCount\":3", "\"featureCount\":4")));
    }

    [Fact]
    public void InvalidConfigurationIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new MinMaxScaler(1f, 0f));
        Assert.Throws<ArgumentException>(() => new RobustScaler(quantileMin: 80, quantileMax: 20));
        Assert.Throws<ArgumentException>(() => new Normalizer("l3"));
        Assert.Throws<ArgumentException>(() => new SimpleImputer("mode"));
        Assert.Throws<ArgumentException>(() => new OneHotEncoder("skip"));
        var json = new MinMaxScaler().ToJson().Replace("\"max\":1", "\"max\":-1");
        Assert.Throws<InvalidDataException>(() => MinMaxScaler.FromJson(json));
    }

    [Fact]
    public void InverseTransformIsRefusedWhereUndefined()
    {
        var t = new Normalizer();
        t.Fit(Train);
        Assert.Throws<NotSupportedException>(() => t.InverseTransform(Test));
    }

    [Fact]
    public void TransformDoesNotModifyItsInput()
    {
        var before = Train.ToArray();
        foreach (var (create, _) in Table.Values) create().FitTransform(Train);
        Assert.Equal(before, Train.ToArray());
    }
}
