using System.Text.Json;

namespace Nerva.Tests.Data;

/// <summary>
/// The scikit-learn reference cases in reference/fixtures/sklearn.json, made by
/// tests/reference/make_sklearn.py (run it with /usr/bin/python3 to regenerate); no Python needed here.
/// </summary>
internal static class SklearnFixture
{
    /// <summary>|actual - expected| &lt;= tol + tol * |expected|: 1e-5 relative, with the same absolute floor near zero.</summary>
    public const float Tolerance = 1e-5f;

    private static readonly Lazy<JsonElement> Root = new(Load);

    private static JsonElement Load()
    {
        // The csproj copies reference/fixtures/** to the output, as fixtures/ (Link) or keeping its folder.
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "fixtures", "sklearn.json"),
            Path.Combine(AppContext.BaseDirectory, "reference", "fixtures", "sklearn.json"),
        ];
        string path = candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"Reference fixture missing: {candidates[0]} (regenerate with /usr/bin/python3 tests/reference/make_sklearn.py)", candidates[0]);
        // The document lives as long as the process, so its elements stay valid.
        return JsonDocument.Parse(File.ReadAllBytes(path)).RootElement;
    }

    public static JsonElement Case(string name) => Root.Value.GetProperty("cases").GetProperty(name);

    /// <summary>The names of the cases whose name starts with <paramref name="prefix"/>, as xUnit theory data.</summary>
    public static TheoryData<string> CaseNames(string prefix)
    {
        var data = new TheoryData<string>();
        foreach (var c in Root.Value.GetProperty("cases").EnumerateObject())
            if (c.Name.StartsWith(prefix, StringComparison.Ordinal)) data.Add(c.Name);
        return data;
    }

    /// <summary>A matrix given inline ({"shape", "data"}) or by the name of a shared dataset.</summary>
    public static Tensor Matrix(JsonElement m)
    {
        if (m.ValueKind == JsonValueKind.String) m = Root.Value.GetProperty("data").GetProperty(m.GetString()!);
        var shape = m.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return Tensor.FromArray(Floats(m.GetProperty("data")), shape);
    }

    /// <summary>Floats, with null read as NaN (JSON has no NaN).</summary>
    public static float[] Floats(JsonElement array) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? float.NaN : e.GetSingle()).ToArray();

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, string what, float tol = Tolerance)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: expected {expected.Count} values, got {actual.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            float e = expected[i], a = actual[i];
            bool ok = float.IsNaN(e) ? float.IsNaN(a) : Math.Abs(a - e) <= tol + tol * Math.Abs(e);
            Assert.True(ok, $"{what}[{i}]: expected {e:R}, got {a:R}");
        }
    }

    public static void AssertClose(Tensor expected, Tensor actual, string what, float tol = Tolerance)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        AssertClose(expected.ToArray(), actual.ToArray(), what, tol);
    }
}
