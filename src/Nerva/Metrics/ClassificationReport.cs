using System.Globalization;
using System.Text;

namespace Nerva.Metrics;

/// <summary>A text table of per-class precision, recall, F1 and support, with accuracy and macro/weighted averages (scikit-learn's classification_report).</summary>
public static class ClassificationReport
{
    /// <summary>The report for targets and predictions (indices, scores or probabilities), with optional class names.</summary>
    public static string Build(Tensor yTrue, Tensor yPred, IReadOnlyList<string>? classNames = null)
    {
        var matrix = ConfusionMatrix.Compute(yTrue, yPred, classNames?.Count);
        int classes = matrix.GetLength(0);
        long total = 0, correct = 0;
        var rows = new List<(string Name, double P, double R, double F, long Support)>();
        for (int c = 0; c < classes; c++)
        {
            long tp = matrix[c, c], predicted = 0, actual = 0;
            for (int k = 0; k < classes; k++) { predicted += matrix[k, c]; actual += matrix[c, k]; }
            double p = predicted == 0 ? 0 : (double)tp / predicted, r = actual == 0 ? 0 : (double)tp / actual;
            rows.Add((classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture), p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), actual));
            total += actual;
            correct += tp;
        }
        int width = Math.Max(12, rows.Max(r => r.Name.Length));
        var sb = new StringBuilder();
        sb.AppendLine($"{"",-12}{"precision",10}{"recall",10}{"f1-score",10}{"support",10}".PadLeft(width + 40));
        sb.AppendLine();
        foreach (var (name, p, r, f, support) in rows) sb.AppendLine(Row(name, width, p, r, f, support));
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"accuracy".PadLeft(width)}{"",10}{"",10}{(total == 0 ? 0 : (double)correct / total),10:F2}{total,10}"));
        sb.AppendLine(Row("macro avg", width, rows.Average(r => r.P), rows.Average(r => r.R), rows.Average(r => r.F), total));
        double Weighted(Func<(string, double P, double R, double F, long Support), double> pick) =>
            total == 0 ? 0 : rows.Sum(r => pick(r) * r.Support) / total;
        sb.AppendLine(Row("weighted avg", width, Weighted(r => r.P), Weighted(r => r.R), Weighted(r => r.F), total));
        return sb.ToString();
    }

    private static string Row(string name, int width, double p, double r, double f, long support) =>
        string.Create(CultureInfo.InvariantCulture, $"{name.PadLeft(width)}{p,10:F2}{r,10:F2}{f,10:F2}{support,10}");
}
