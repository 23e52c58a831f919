using System.Globalization;
using System.Text;

namespace Nerva.Metrics;

/// <summary>
/// A text table of per-class precision, recall, F1 and support, with accuracy and macro and
/// weighted averages, laid out exactly as scikit-learn's classification_report.
/// </summary>
public static class ClassificationReport
{
    /// <summary>The report for targets and predictions (class indices, one-hot rows, scores or probabilities).</summary>
    /// <param name="yTrue">Class indices [n] or one-hot rows [n, classes].</param>
    /// <param name="yPred">Class indices [n], scores [n, classes], or probabilities [n] (above 0.5 counts as class 1).</param>
    /// <param name="classNames">One name per class; without it, rows are named by index and only classes seen appear.</param>
    /// <param name="digits">Digits after the decimal point.</param>
    public static string Build(Tensor yTrue, Tensor yPred, IReadOnlyList<string>? classNames = null, int digits = 2) =>
        Build(ConfusionMatrix.Compute(yTrue, yPred, classNames?.Count), classNames, digits);

    /// <summary>The report for a confusion matrix whose rows are actual classes and columns predicted ones.</summary>
    /// <param name="confusionMatrix">A square matrix, e.g. from <see cref="ConfusionMatrix.Compute"/>.</param>
    /// <param name="classNames">One name per class; without it, rows are named by index and only classes seen appear.</param>
    /// <param name="digits">Digits after the decimal point.</param>
    public static string Build(int[,] confusionMatrix, IReadOnlyList<string>? classNames = null, int digits = 2)
    {
        int classes = confusionMatrix.GetLength(0);
        if (confusionMatrix.GetLength(1) != classes)
            throw new ArgumentException($"ClassificationReport: expected a square confusion matrix, got [{classes}, {confusionMatrix.GetLength(1)}].", nameof(confusionMatrix));
        if (classNames is not null && classNames.Count != classes)
            throw new ArgumentException($"ClassificationReport: expected {classes} class names, got {classNames.Count}.", nameof(classNames));
        ArgumentOutOfRangeException.ThrowIfNegative(digits);

        var rows = new List<(string Name, double P, double R, double F, long Support)>();
        long total = 0, correct = 0;
        for (int c = 0; c < classes; c++)
        {
            long tp = confusionMatrix[c, c], predicted = 0, actual = 0;
            for (int k = 0; k < classes; k++) { predicted += confusionMatrix[k, c]; actual += confusionMatrix[c, k]; }
            if (classNames is null && predicted == 0 && actual == 0) continue; // scikit-learn lists only labels seen
            double p = predicted == 0 ? 0 : (double)tp / predicted, r = actual == 0 ? 0 : (double)tp / actual;
            rows.Add((classNames?[c] ?? c.ToString(CultureInfo.InvariantCulture), p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), actual));
            total += actual;
            correct += tp;
        }

        // scikit-learn's layout: names right-aligned to the widest, then " " and 10-wide columns.
        int width = Math.Max(digits, "weighted avg".Length);
        foreach (var row in rows) width = Math.Max(width, row.Name.Length);
        var sb = new StringBuilder();
        sb.Append(new string(' ', width)).Append(' ');
        foreach (var header in new[] { "precision", "recall", "f1-score", "support" }) sb.Append(' ').Append(header.PadLeft(9));
        sb.Append("\n\n");
        foreach (var (name, p, r, f, support) in rows) AppendRow(sb, name, width, digits, p, r, f, support);
        sb.Append('\n');

        sb.Append("accuracy".PadLeft(width)).Append(' ').Append(new string(' ', 20));
        sb.Append(' ').Append(Number(total == 0 ? 0 : (double)correct / total, digits)).Append(' ').Append(Count(total));
        sb.Append('\n');
        double Macro(Func<(string, double P, double R, double F, long), double> pick) => rows.Count == 0 ? 0 : rows.Average(pick);
        double Weighted(Func<(string, double P, double R, double F, long Support), double> pick) =>
            total == 0 ? 0 : rows.Sum(r => pick(r) * r.Support) / total;
        AppendRow(sb, "macro avg", width, digits, Macro(r => r.P), Macro(r => r.R), Macro(r => r.F), total);
        AppendRow(sb, "weighted avg", width, digits, Weighted(r => r.P), Weighted(r => r.R), Weighted(r => r.F), total);
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, string name, int width, int digits, double p, double r, double f, long support)
    {
        sb.Append(name.PadLeft(width)).Append(' ');
        foreach (double value in new[] { p, r, f }) sb.Append(' ').Append(Number(value, digits));
        sb.Append(' ').Append(Count(support)).Append('\n');
    }

    private static string Number(double value, int digits) => value.ToString("F" + digits, CultureInfo.InvariantCulture).PadLeft(9);

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture).PadLeft(9);
}
