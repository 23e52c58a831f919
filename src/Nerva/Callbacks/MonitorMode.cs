namespace Nerva.Callbacks;

/// <summary>Which direction of a monitored quantity counts as better; "auto" infers it from the name as Keras does.</summary>
internal static class MonitorMode
{
    /// <summary>True when larger values are better: mode "max", or "auto" with an accuracy/AUC-like name.</summary>
    public static bool HigherIsBetter(string mode, string monitor) => mode switch
    {
        "max" => true,
        "min" => false,
        "auto" => monitor.Contains("acc") || monitor.Contains("auc") || monitor.Contains("precision") || monitor.Contains("recall") || monitor.Contains("f1") || monitor.EndsWith("r2"),
        _ => throw new ArgumentException($"expected mode 'auto', 'min' or 'max', got '{mode}'."),
    };

    /// <summary>The monitored value from the logs, with a clear error when it was never logged.</summary>
    public static float Read(IReadOnlyDictionary<string, float> logs, string monitor, string callback) =>
        logs.TryGetValue(monitor, out var value) ? value
        : throw new InvalidOperationException($"{callback}: '{monitor}' is not in the logs ({string.Join(", ", logs.Keys)}); validation values need validation data.");
}
