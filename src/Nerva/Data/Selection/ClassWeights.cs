namespace Nerva.Data.Selection;

/// <summary>
/// Weights that balance imbalanced classes, as scikit-learn's compute_class_weight("balanced"):
/// weight[c] = n_samples / (n_classes * count[c]), so every class contributes the same total weight.
/// </summary>
/// <example><code>
/// var weights = ClassWeights.Compute("balanced", yTrain);   // {0: 0.615, 1: 0.615, 2: 1.54, ...}
/// </code></example>
public static class ClassWeights
{
    /// <summary>The weight of each class present in <paramref name="labels"/> (whole numbers, shape [n] or [n, 1]), keyed by class.</summary>
    /// <param name="mode">"balanced" (the only mode; others are sklearn's explicit dictionaries, which need no computing).</param>
    /// <param name="labels">One class label per sample.</param>
    public static IReadOnlyDictionary<int, float> Compute(string mode, Tensor labels)
    {
        var (classes, weights) = Balanced(mode, labels, "ClassWeights.Compute", out _);
        var result = new SortedDictionary<int, float>();
        for (int k = 0; k < classes.Length; k++) result[ToClass(classes[k])] = weights[k];
        return result;
    }

    /// <summary>Each sample's class weight, shape [n], as scikit-learn's compute_sample_weight("balanced").</summary>
    /// <param name="mode">"balanced".</param>
    /// <param name="labels">One class label per sample.</param>
    public static Tensor ComputeSampleWeights(string mode, Tensor labels)
    {
        var (_, weights) = Balanced(mode, labels, "ClassWeights.ComputeSampleWeights", out var codes);
        var data = new float[codes.Length];
        for (int i = 0; i < data.Length; i++) data[i] = weights[codes[i]];
        return Tensor.FromArray(data, data.Length);
    }

    private static (float[] Classes, float[] Weights) Balanced(string mode, Tensor labels, string op, out int[] codes)
    {
        if (mode != "balanced") throw new ArgumentException($"{op}: expected mode \"balanced\", got \"{mode}\".", nameof(mode));
        var (classes, c) = LabelClasses.Encode(labels, op);
        if (c.Length == 0) throw new ArgumentException($"{op}: expected at least one label, got none.", nameof(labels));
        foreach (float k in classes) ToClass(k, op);
        var counts = LabelClasses.Counts(c, classes.Length);
        var weights = new float[classes.Length];
        for (int k = 0; k < classes.Length; k++) weights[k] = (float)((double)c.Length / (classes.Length * (double)counts[k]));
        codes = c;
        return (classes, weights);
    }

    private static int ToClass(float label, string op = "ClassWeights") =>
        label == MathF.Round(label) && Math.Abs(label) <= int.MaxValue / 2
            ? (int)label
            : throw new ArgumentException($"{op}: expected whole-number class labels, got {label}.");
}
