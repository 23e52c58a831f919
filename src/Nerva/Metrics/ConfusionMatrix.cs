namespace Nerva.Metrics;

/// <summary>Counts of (actual, predicted) class pairs, as scikit-learn's confusion_matrix: rows are actual classes, columns predicted.</summary>
public static class ConfusionMatrix
{
    /// <summary>The matrix for targets and predictions, each as class indices [n] or as score / one-hot rows [n, classes] (argmax).</summary>
    /// <param name="yTrue">Class indices [n] (or [n, 1]) or one-hot rows [n, classes].</param>
    /// <param name="yPred">Class indices [n], scores [n, classes], or probabilities [n] / [n, 1] (above 0.5 counts as class 1).</param>
    /// <param name="numClasses">The matrix size; by default the largest class seen plus one.</param>
    /// <exception cref="ArgumentException">The lengths differ, or a class is not a whole number in [0, numClasses).</exception>
    public static int[,] Compute(Tensor yTrue, Tensor yPred, int? numClasses = null)
    {
        if (numClasses is <= 0) throw new ArgumentException($"ConfusionMatrix: expected a positive number of classes, got {numClasses}.", nameof(numClasses));
        var actual = Metric.Indices(Metric.Classes(yTrue), "ConfusionMatrix", numClasses);
        var predicted = Metric.Indices(PredictedClasses(yPred, 0.5f), "ConfusionMatrix", numClasses);
        if (actual.Length != predicted.Length)
            throw ShapeUtil.Error("ConfusionMatrix", $"one target per prediction ({predicted.Length}, predictions {ShapeUtil.Format(yPred.Dims)})", ShapeUtil.Format(yTrue.Dims));
        int classes = numClasses ?? 0;
        for (int i = 0; i < actual.Length; i++) classes = Math.Max(classes, Math.Max(actual[i], predicted[i]) + 1);
        var matrix = new int[classes, classes];
        for (int i = 0; i < actual.Length; i++) matrix[actual[i], predicted[i]]++;
        return matrix;
    }

    /// <summary>
    /// Predicted classes: argmax of score rows; otherwise the values themselves when all are whole
    /// numbers (class indices), else 1 where a probability exceeds <paramref name="threshold"/>.
    /// </summary>
    internal static float[] PredictedClasses(Tensor yPred, float threshold)
    {
        if (yPred.Rank >= 2 && yPred.Dims[^1] > 1) return yPred.ArgMax(-1).ToArray();
        var values = yPred.ToArray();
        bool indices = true;
        foreach (float v in values)
            if (v != MathF.Floor(v)) { indices = false; break; }
        if (indices) return values;
        for (int i = 0; i < values.Length; i++) values[i] = values[i] > threshold ? 1f : 0f;
        return values;
    }
}
