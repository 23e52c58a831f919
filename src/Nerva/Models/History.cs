namespace Nerva.Models;

/// <summary>What <c>Fit</c> returns: per-epoch values of the loss and metrics, training and validation ("val_" prefixed).</summary>
public sealed class History
{
    private readonly Dictionary<string, List<float>> values = [];

    /// <summary>Each logged quantity by name, one value per epoch.</summary>
    public IReadOnlyDictionary<string, List<float>> Values => values;

    /// <summary>The epochs run (0-based).</summary>
    public List<int> Epochs { get; } = [];

    /// <summary>The values of one quantity, e.g. <c>history["val_loss"]</c>.</summary>
    public IReadOnlyList<float> this[string name] =>
        values.TryGetValue(name, out var list) ? list : throw new KeyNotFoundException($"History: nothing logged as '{name}'; logged: {string.Join(", ", values.Keys)}.");

    internal void Add(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        Epochs.Add(epoch);
        foreach (var (name, value) in logs)
        {
            if (!values.TryGetValue(name, out var list)) values[name] = list = [];
            list.Add(value);
        }
    }
}
