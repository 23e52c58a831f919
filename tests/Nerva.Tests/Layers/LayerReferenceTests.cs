using System.Text.Json;
using Nerva.Layers;

namespace Nerva.Tests.Layers;

/// <summary>Every layer's forward and backward against PyTorch (tests/reference/make_layers.py).</summary>
public class LayerReferenceTests
{
    private static IEnumerable<JsonElement> Cases => Fixtures.Load("layers.json").GetProperty("cases").EnumerateArray();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static Layer Create(string layer, JsonElement config)
    {
        string Str(string key) => config.GetProperty(key).GetString()!;
        bool Has(string key) => config.TryGetProperty(key, out _);
        int[] Ints(string key) => [.. config.GetProperty(key).EnumerateArray().Select(v => v.GetInt32())];
        int Int(string key) => config.GetProperty(key).GetInt32();
        // A Keras int-or-pair argument: 3 or [3, 2].
        (int, int) Pair(string key) => config.GetProperty(key) is { ValueKind: JsonValueKind.Array } a
            ? (a[0].GetInt32(), a[1].GetInt32()) : (Int(key), Int(key));
        (int, int)? OptionalPair(string key) => config.GetProperty(key).ValueKind == JsonValueKind.Null ? null : Pair(key);
        bool Bool(string key) => config.GetProperty(key).GetBoolean();
        return layer switch
        {
            "Dense" => new Dense(config.GetProperty("units").GetInt32(), Has("activation") ? Str("activation") : null,
                useBias: !Has("use_bias") || config.GetProperty("use_bias").GetBoolean()),
            "LayerNormalization" => new LayerNormalization(config.GetProperty("epsilon").GetSingle()),
            "RepeatVector" => new RepeatVector(config.GetProperty("n").GetInt32()),
            "Permute" => new Permute(Ints("dims")),
            "Flatten" => new Flatten(),
            "Reshape" => new Reshape(Ints("target_shape")),
            "BatchNormalization" => new BatchNormalization(),
            "Conv2D" => new Conv2D(Int("filters"), Int("kernel"), Int("strides"), Str("padding"), dilationRate: Int("dilation"), groups: Int("groups")),
            "MaxPooling2D" => new MaxPooling2D(Int("pool_size"), Int("strides"), Str("padding")),
            "AveragePooling2D" => new AveragePooling2D(Int("pool_size"), Int("strides"), Str("padding")),
            "Conv1D" => new Conv1D(Int("filters"), Int("kernel"), Int("strides"), Str("padding"), dilationRate: Int("dilation"), groups: Int("groups")),
            "GlobalAveragePooling2D" => new GlobalAveragePooling2D(),
            "GlobalMaxPooling2D" => new GlobalMaxPooling2D(),
            "GlobalAveragePooling1D" => new GlobalAveragePooling1D(),
            "GlobalMaxPooling1D" => new GlobalMaxPooling1D(),
            "ZeroPadding2D" => new ZeroPadding2D(Int("top"), Int("bottom"), Int("left"), Int("right")),
            "Cropping2D" => new Cropping2D(Int("top"), Int("bottom"), Int("left"), Int("right")),
            "Conv2DTranspose" => new Conv2DTranspose(Int("filters"), Pair("kernel"), Pair("strides"), Str("padding"), OptionalPair("output_padding"),
                useBias: Bool("use_bias"), dilationRate: Pair("dilation")),
            "DepthwiseConv2D" => new DepthwiseConv2D(Int("kernel"), Int("strides"), Str("padding"), Int("depth_multiplier"),
                useBias: Bool("use_bias"), dilationRate: Int("dilation")),
            "SeparableConv2D" => new SeparableConv2D(Int("filters"), Int("kernel"), Int("strides"), Str("padding"), Int("depth_multiplier"),
                useBias: Bool("use_bias"), dilationRate: Int("dilation")),
            "MaxPooling1D" => new MaxPooling1D(Int("pool_size"), Int("strides"), Str("padding")),
            "AveragePooling1D" => new AveragePooling1D(Int("pool_size"), Int("strides"), Str("padding")),
            "UpSampling2D" => new UpSampling2D(Int("size_h"), Int("size_w")),
            _ => throw new ArgumentException($"no factory for {layer}"),
        };
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.First(x => x.GetProperty("name").GetString() == name);
        var layer = Create(c.GetProperty("layer").GetString()!, c.GetProperty("config"));
        var input = Fixtures.ToTensor(c.GetProperty("input")).RequiresGrad_();
        layer.Build(input.Shape[1..]);
        var weights = c.GetProperty("weights").EnumerateArray().Select(Fixtures.ToTensor).ToArray();
        layer.SetWeights(weights);

        bool training = c.GetProperty("config").TryGetProperty("training", out var t) && t.GetBoolean();
        var output = layer.Forward(input, training);
        Fixtures.AssertClose($"{name} output", c.GetProperty("output"), output);

        (output * Fixtures.ToTensor(c.GetProperty("gradWeight"))).Sum().Backward();
        Fixtures.AssertClose($"{name} input grad", c.GetProperty("inputGrad"), input.Grad!);
        var grads = c.GetProperty("weightGrads").EnumerateArray().ToArray();
        for (int i = 0; i < grads.Length; i++)
            Fixtures.AssertClose($"{name} weight {i} grad", grads[i], layer.Weights[i].Grad!);
        if (c.TryGetProperty("movingAfter", out var moving))
        {
            var after = moving.EnumerateArray().ToArray();
            for (int i = 0; i < after.Length; i++)
                Fixtures.AssertClose($"{name} moving statistic {i}", after[i], layer.NonTrainableWeights[i]);
        }
    }
}
