using System.Globalization;

namespace Nerva.Callbacks;

/// <summary>Writes one CSV row per epoch (epoch, then each logged value in name order) to a file.</summary>
public sealed class CsvLogger(string path, bool append = false, char separator = ',') : Callback
{
    private string[]? columns;

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        columns = null;
        if (!append && File.Exists(path)) File.Delete(path);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        bool header = columns is null && (!File.Exists(path) || new FileInfo(path).Length == 0);
        columns ??= [.. logs.Keys.Order(StringComparer.Ordinal)];
        using var writer = File.AppendText(path);
        if (header) writer.WriteLine(string.Join(separator, ["epoch", .. columns]));
        writer.WriteLine(string.Join(separator, [epoch.ToString(CultureInfo.InvariantCulture),
            .. columns.Select(c => logs.TryGetValue(c, out var v) ? v.ToString("G9", CultureInfo.InvariantCulture) : "")]));
    }
}
