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

    /// <summary>A tensor from {"shape": [...], "data": [...]}.</summary>
    public static Tensor ToTensor(JsonElement t) =>
        Tensor.FromArray([.. t.GetProperty("data").EnumerateArray().Select(v => v.GetSingle())], [.. t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32())]);

    /// <summary>Asserts equal shapes and values within atol + rtol·|expected|, naming the first differing element.</summary>
    public static void AssertClose(string what, JsonElement expected, Tensor actual, float atol = 1e-4f, float rtol = 1e-4f)
    {
        var want = ToTensor(expected);
        Assert.True(want.Shape.SequenceEqual(actual.Shape), $"{what}: shape {string.Join(",", actual.Shape)} != expected {string.Join(",", want.Shape)}");
        var a = actual.ToArray();
        var e = want.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(a[i] - e[i]) <= atol + rtol * Math.Abs(e[i]), $"{what}: element {i} is {a[i]}, expected {e[i]}");
    }
}
