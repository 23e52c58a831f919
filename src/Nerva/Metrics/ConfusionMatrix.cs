namespace Nerva.Metrics;

/// <summary>Counts of (actual, predicted) class pairs, as scikit-learn's confusion_matrix: rows are actual classes.</summary>
public static class ConfusionMatrix
{
    /// <summary>
    /// The matrix for targets (indices or one-hot) and predictions (indices, scores [n, classes], or
    /// probabilities [n] / [n, 1] thresholded at 0.5).
    /// </summary>
    public static int[,] Compute(Tensor yTrue, Tensor yPred, int? numClasses = null)
    {
        var actual = Metric.Classes(yTrue);
        var predicted = PredictedClasses(yPred, 0.5f);
        if (actual.Length != predicted.Length) throw ShapeUtil.Error("ConfusionMatrix", $"{predicted.Length} targets", actual.Length.ToString());
        int classes = numClasses ?? (int)Math.Max(actual.DefaultIfEmpty().Max(), predicted.DefaultIfEmpty().Max()) + 1;
        var matrix = new int[classes, classes];
        for (int i = 0; i < actual.Length; i++) matrix[(int)actual[i], (int)predicted[i]]++;
        return matrix;
    }

    /// <summary>Predicted classes: argmax of score rows, or a threshold on single probabilities.</summary>
    internal static float[] PredictedClasses(Tensor yPred, float threshold) =>
        yPred.Rank >= 2 && yPred.Dims[^1] > 1 ? yPred.ArgMax(-1).ToArray() : [.. yPred.ToArray().Select(p => p > threshold ? 1f : 0f)];
}
