using System.Text.Json;

namespace Nerva.Tests;

/// <summary>Reads the committed reference fixtures (tests/reference/*.py) and compares tensors with them.</summary>
internal static class Fixtures
{
    /// <summary>The root element of fixtures/<paramref name="file"/>, parsed once per file.</summary>
    public static JsonElement Load(string file)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(file, out var root)) return root;
            var path = Path.Combine(AppContext.BaseDirectory, "fixtures", file);
            if (!File.Exists(path)) throw new FileNotFoundException($"Reference fixture missing: {path} (regenerate with tests/reference/*.py)");
            return Cache[file] = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        }
    }

    private static readonly Dictionary<string, JsonElement> Cache = [];

    /// <summary>A tensor from {"shape": [...], "data": [...]} (rank 0 included).</summary>
    public static Tensor ToTensor(JsonElement t)
    {
        int[] shape = [.. t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32())];
        float[] data = [.. t.GetProperty("data").EnumerateArray().Select(v => v.GetSingle())];
        return shape.Length == 0 ? Tensor.Scalar(data[0]) : Tensor.FromArray(data, shape);
    }

    /// <summary>
    /// Asserts equal shapes and every value within atol + rtol·|expected| (NaN fails), listing the
    /// first differing elements and the worst one.
    /// </summary>
    public static void AssertClose(string what, JsonElement expected, Tensor actual, float atol = 1e-4f, float rtol = 1e-4f)
    {
        var want = ToTensor(expected);
        Assert.True(want.Shape.SequenceEqual(actual.Shape), $"{what}: shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", want.Shape)}]");
        float[] got = actual.ToArray(), wanted = want.ToArray();
        int bad = 0, worst = -1;
        double worstExcess = 0;
        var details = new System.Text.StringBuilder();
        for (int i = 0; i < wanted.Length; i++)
        {
            double diff = Math.Abs((double)got[i] - wanted[i]), allowed = atol + rtol * Math.Abs(wanted[i]);
            if (diff <= allowed) continue;
            if (bad++ < 8) details.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  [{i}] got {got[i]:G9}, expected {wanted[i]:G9}");
            double excess = double.IsNaN(diff) ? double.PositiveInfinity : diff / allowed;
            if (worst < 0 || excess > worstExcess) (worst, worstExcess) = (i, excess);
        }
        if (bad > 0)
            Assert.Fail($"{what}: {bad} of {wanted.Length} values off (tolerance {atol} abs + {rtol} rel), worst at [{worst}]: got {got[worst]:G9}, expected {wanted[worst]:G9}{details}");
    }
}
