namespace Nerva.Data.Preprocessing;

/// <summary>
/// Encodes string labels as class indices 0..n-1, as scikit-learn's LabelEncoder: the classes are
/// the distinct labels sorted by ordinal (code point) order, and a label's index is its class's position.
/// </summary>
/// <example><code>
/// var encoder = new LabelEncoder();
/// Tensor y = encoder.FitTransform(["cat", "dog", "cat"]);   // [0, 1, 0]
/// string[] names = encoder.InverseTransform(y);             // ["cat", "dog", "cat"]
/// </code></example>
/// <remarks>Saved and restored with <see cref="ToJson"/> / <see cref="FromJson"/>, in the envelope of <see cref="ITransformer"/>.</remarks>
public sealed class LabelEncoder
{
    private string[]? classes;
    private Dictionary<string, int>? index;

    /// <summary>Whether <see cref="Fit"/> has run (or state was loaded).</summary>
    public bool IsFitted => classes is not null;

    /// <summary>The sorted distinct labels; position i is the label of class i (null before fitting).</summary>
    public IReadOnlyList<string>? Classes => classes;

    /// <summary>Learns the classes from <paramref name="labels"/> and returns this encoder.</summary>
    public LabelEncoder Fit(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in labels)
            set.Add(label ?? throw new ArgumentException("LabelEncoder.Fit: expected non-null labels, got null."));
        if (set.Count == 0) throw new ArgumentException("LabelEncoder.Fit: expected at least one label, got none.");
        var sorted = set.ToArray();
        // Ordinal order is NumPy's order for str (by code point), so class indices match sklearn.
        Array.Sort(sorted, StringComparer.Ordinal);
        SetClasses(sorted);
        return this;
    }

    /// <summary>The class index of each label, as a 1-D float tensor.</summary>
    public Tensor Transform(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (index is null) throw new InvalidOperationException("LabelEncoder.Transform: the encoder is not fitted; call Fit first.");
        var data = new float[labels.Count];
        for (int i = 0; i < data.Length; i++)
        {
            string label = labels[i];
            if (label is null || !index.TryGetValue(label, out int k))
                throw new ArgumentException($"LabelEncoder.Transform: label \"{label}\" at position {i} was not seen by Fit (known: {Describe(classes!)}).");
            data[i] = k;
        }
        return new Tensor(data, [data.Length]);
    }

    /// <summary>Fits on <paramref name="labels"/> and encodes them.</summary>
    public Tensor FitTransform(IReadOnlyList<string> labels) => Fit(labels).Transform(labels);

    /// <summary>The label of each class index in <paramref name="indices"/> (any shape, read row-major).</summary>
    public string[] InverseTransform(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (classes is null) throw new InvalidOperationException("LabelEncoder.InverseTransform: the encoder is not fitted; call Fit first.");
        var result = new string[indices.Size];
        for (int i = 0; i < result.Length; i++)
        {
            float v = indices.Data[i];
            if (!(v >= 0 && v < classes.Length && v == MathF.Floor(v)))
                throw new ArgumentException($"LabelEncoder.InverseTransform: expected class indices in [0, {classes.Length - 1}], got {v} at position {i}.");
            result[i] = classes[(int)v];
        }
        return result;
    }

    /// <summary>The classes as a JSON document (the envelope of <see cref="ITransformer"/>, with one "feature": the label).</summary>
    public string ToJson() =>
        TransformerJson.Write(nameof(LabelEncoder), new Config(), classes is null ? 0 : 1, classes is null ? null : new State(classes));

    /// <summary>Restores an encoder saved by <see cref="ToJson"/>.</summary>
    public static LabelEncoder FromJson(string json)
    {
        const string type = nameof(LabelEncoder);
        var (_, _, state) = TransformerJson.Read<Config, State>(json, type);
        var encoder = new LabelEncoder();
        if (state is null) return encoder;
        var loaded = state.Classes is { Length: > 0 } c ? c : throw TransformerJson.Invalid(type, "a non-empty \"classes\" array", "none");
        for (int i = 1; i < loaded.Length; i++)
            if (loaded[i] is null || string.CompareOrdinal(loaded[i - 1], loaded[i]) >= 0)
                throw TransformerJson.Invalid(type, "distinct classes in ordinal order", $"\"{loaded[i - 1]}\" before \"{loaded[i]}\"");
        if (loaded[0] is null) throw TransformerJson.Invalid(type, "non-null classes", "null");
        encoder.SetClasses(loaded);
        return encoder;
    }

    private void SetClasses(string[] sorted)
    {
        classes = sorted;
        index = new Dictionary<string, int>(sorted.Length, StringComparer.Ordinal);
        for (int i = 0; i < sorted.Length; i++) index[sorted[i]] = i;
    }

    internal static string Describe<T>(T[] values) =>
        values.Length <= 10 ? string.Join(", ", values) : string.Join(", ", values.Take(10)) + $", ... ({values.Length} in all)";

    private sealed record Config;

    private sealed record State(string[]? Classes);
}
