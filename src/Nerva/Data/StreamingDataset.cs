namespace Nerva.Data;

/// <summary>
/// Samples produced by an enumeration, for data that does not fit in memory (PyTorch's
/// IterableDataset): the source is enumerated afresh each epoch and read in order.
/// </summary>
public sealed class StreamingDataset
{
    private readonly Func<IEnumerable<(Tensor Features, Tensor Label)>> source;

    /// <summary>Wraps a function that starts a new enumeration of the samples, e.g. one that reads a file line by line.</summary>
    public StreamingDataset(Func<IEnumerable<(Tensor Features, Tensor Label)>> source) =>
        this.source = source ?? throw new ArgumentNullException(nameof(source));

    /// <summary>A new pass over the samples.</summary>
    public IEnumerable<(Tensor Features, Tensor Label)> Enumerate() => source();
}
