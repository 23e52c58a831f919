namespace Nerva.Metrics;

/// <summary>
/// The exact area under the ROC curve for binary targets (scikit-learn's roc_auc_score): the
/// scores seen are kept and ranked at <see cref="Result"/>, so no thresholds are approximated.
/// </summary>
/// <remarks>
/// Scores may be [n], [n, 1], or [n, 2] (the second column is the positive class). The area is
/// the trapezoidal sum over distinct scores taken in descending order, which counts tied
/// positive–negative pairs as half (the Mann–Whitney U statistic), with sample weights.
/// Before both classes have been seen the result is 0, as Keras reports.
/// </remarks>
/// <param name="name">The name in logs; "auc" by default.</param>
public sealed class Auc(string? name = null) : Metric
{
    private readonly List<float> scores = [], weights = [];
    private readonly List<bool> positives = [];

    /// <inheritdoc/>
    public override string Name { get; } = name ?? "auc";

    /// <inheritdoc/>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        if (yPred.Rank >= 2 && yPred.Dims[^1] > 2)
            throw ShapeUtil.Error(Name, "binary scores [n], [n, 1] or [n, 2]", ShapeUtil.Format(yPred.Dims));
        var score = yPred.Rank >= 2 && yPred.Dims[^1] == 2 ? yPred.Detach().Narrow(-1, 1, 1).ToArray() : yPred.ToArray();
        var labels = Indices(Classes(yTrue), Name, limit: 2);
        if (labels.Length != score.Length)
            throw ShapeUtil.Error(Name, $"one 0/1 target per score ({score.Length}, scores {ShapeUtil.Format(yPred.Dims)})", ShapeUtil.Format(yTrue.Dims));
        var w = Weights(sampleWeight, score.Length, Name);
        scores.AddRange(score);
        weights.AddRange(w);
        foreach (int label in labels) positives.Add(label == 1);
    }

    /// <inheritdoc/>
    public override float Result()
    {
        var order = new int[scores.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = scores.ToArray();
        Array.Sort(keys, order);
        double tp = 0, fp = 0, area = 0;
        // Walk from the highest score down; each group of equal scores adds a trapezoid of width
        // Δfp between heights tp and tp + Δtp.
        for (int end = order.Length; end > 0;)
        {
            int start = end - 1;
            while (start > 0 && keys[start - 1] == keys[end - 1]) start--;
            double dtp = 0, dfp = 0;
            for (int k = start; k < end; k++)
            {
                int i = order[k];
                if (positives[i]) dtp += weights[i]; else dfp += weights[i];
            }
            area += dfp * (tp + dtp / 2);
            tp += dtp;
            fp += dfp;
            end = start;
        }
        return tp == 0 || fp == 0 ? 0f : (float)(area / (tp * fp));
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        scores.Clear();
        weights.Clear();
        positives.Clear();
    }
}
