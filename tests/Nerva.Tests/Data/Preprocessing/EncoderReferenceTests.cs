using Nerva.Data.Preprocessing;
using static Nerva.Tests.Data.SklearnFixture;

namespace Nerva.Tests.Data.Preprocessing;

/// <summary>LabelEncoder and OneHotEncoder against scikit-learn, and their errors.</summary>
public class EncoderReferenceTests
{
    [Theory]
    [InlineData("label_encoder")]
    [InlineData("label_encoder_iris")]
    public void LabelEncoderMatchesSklearn(string name)
    {
        var c = Case(name);
        var labels = Strings(c.GetProperty("labels"));
        var encoder = new LabelEncoder();
        var y = encoder.FitTransform(labels);
        Assert.Equal(Strings(c.GetProperty("classes")), encoder.Classes!);
        Assert.Equal(Floats(c.GetProperty("output")), y.ToArray());
        Assert.Equal(labels, encoder.InverseTransform(y));
    }

    [Fact]
    public void LabelEncoderRejectsUnknownLabelsAndIndices()
    {
        var encoder = new LabelEncoder();
        Assert.Throws<InvalidOperationException>(() => encoder.Transform(["a"]));
        encoder.Fit(["b", "a"]);
        var e = Assert.Throws<ArgumentException>(() => encoder.Transform(["a", "c"]));
        Assert.Contains("\"c\"", e.Message);
        Assert.Throws<ArgumentException>(() => encoder.InverseTransform(Tensor.FromArray([2f])));
        Assert.Throws<ArgumentException>(() => encoder.InverseTransform(Tensor.FromArray([0.5f])));
    }

    [Fact]
    public void LabelEncoderRoundTripsThroughJson()
    {
        var encoder = new LabelEncoder().Fit(["paris", "tokyo", "amsterdam"]);
        var loaded = LabelEncoder.FromJson(encoder.ToJson());
        Assert.Equal(encoder.Classes!, loaded.Classes!);
        Assert.False(LabelEncoder.FromJson(new LabelEncoder().ToJson()).IsFitted);
        Assert.Throws<InvalidDataException>(() => LabelEncoder.FromJson(encoder.ToJson().Replace("amsterdam", "zzz")));
    }

    [Fact]
    public void OneHotEncoderOnStringsMatchesSklearn()
    {
        var c = Case("onehot_strings");
        var train = Rows(c.GetProperty("train"));
        var encoder = new OneHotEncoder(handleUnknown: "ignore");
        var y = encoder.FitTransform(train);
        var categories = c.GetProperty("categories").EnumerateArray().Select(Strings).ToArray();
        Assert.Equal(categories.Length, encoder.StringCategories!.Count);
        for (int j = 0; j < categories.Length; j++) Assert.Equal(categories[j], encoder.StringCategories[j]);
        AssertClose(Matrix(c.GetProperty("trainOutput")), y, "train");
        var testOutput = encoder.Transform(Rows(c.GetProperty("test")));
        AssertClose(Matrix(c.GetProperty("testOutput")), testOutput, "test");

        Assert.Equal(train, encoder.InverseTransformStrings(y));
        // The unknown "purple" (row 1, column 0) comes back as null.
        Assert.Null(encoder.InverseTransformStrings(testOutput)[1][0]);
    }

    [Fact]
    public void OneHotEncoderOnFloatColumnsMatchesSklearn()
    {
        var c = Case("onehot_numeric");
        var train = Matrix(c.GetProperty("train"));
        var encoder = new OneHotEncoder(handleUnknown: "ignore");
        var y = encoder.FitTransform(train);
        var categories = c.GetProperty("categories").EnumerateArray().Select(Floats).ToArray();
        for (int j = 0; j < categories.Length; j++) Assert.Equal(categories[j], encoder.NumericCategories![j]);
        AssertClose(Matrix(c.GetProperty("trainOutput")), y, "train");
        var testOutput = encoder.Transform(Matrix(c.GetProperty("test")));
        AssertClose(Matrix(c.GetProperty("testOutput")), testOutput, "test");
        Assert.Equal(train.ToArray(), encoder.InverseTransform(y).ToArray());
        Assert.True(float.IsNaN(encoder.InverseTransform(testOutput)[1, 1]));
    }

    [Fact]
    public void OneHotEncoderErrorsOnUnknownByDefault()
    {
        var encoder = new OneHotEncoder();
        encoder.Fit([["a", "x"], ["b", "y"]]);
        var e = Assert.Throws<ArgumentException>(() => encoder.Transform([["a", "z"]]));
        Assert.Contains("\"z\"", e.Message);
        Assert.Contains("column 1", e.Message);
        Assert.Throws<ArgumentException>(() => encoder.Transform([["a"]]));
        Assert.Throws<InvalidOperationException>(() => encoder.Transform(Tensor.Zeros(1, 2)));
    }

    [Fact]
    public void OneHotEncoderTreatsNaNAsACategorySortedLast()
    {
        var encoder = new OneHotEncoder();
        var y = encoder.FitTransform(Tensor.FromArray([2f, float.NaN, 1f], 3, 1));
        Assert.True(float.IsNaN(encoder.NumericCategories![0][2]));
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 1f, 1f, 0f, 0f], y.ToArray());
        var loaded = OneHotEncoder.FromJson(encoder.ToJson());
        Assert.Equal(y.ToArray(), loaded.Transform(Tensor.FromArray([2f, float.NaN, 1f], 3, 1)).ToArray());
    }

    private static string[][] Rows(System.Text.Json.JsonElement rows) => rows.EnumerateArray().Select(Strings).ToArray();
}
