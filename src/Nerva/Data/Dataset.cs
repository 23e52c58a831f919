namespace Nerva.Data;

/// <summary>
/// A collection of (features, label) samples addressable by index, as PyTorch's map-style
/// Dataset. <see cref="DataLoader"/> turns one into shuffled batches.
/// </summary>
public abstract class Dataset
{
    /// <summary>The number of samples.</summary>
    public abstract int Count { get; }

    /// <summary>Sample <paramref name="index"/>: its features and its label (shapes without the batch dimension).</summary>
    public abstract (Tensor Features, Tensor Label) Get(int index);

    /// <summary>
    /// The samples at <paramref name="indices"/> stacked into a batch. The default stacks
    /// <see cref="Get"/> results; in-memory datasets override it with a row copy.
    /// </summary>
    public virtual (Tensor Features, Tensor Labels) GetBatch(ReadOnlySpan<int> indices)
    {
        var features = new Tensor[indices.Length];
        var labels = new Tensor[indices.Length];
        for (int i = 0; i < indices.Length; i++) (features[i], labels[i]) = Get(indices[i]);
        return (StackSamples(features), StackSamples(labels));
    }

    /// <summary>Stacks same-shape samples along a new first dimension, without recording gradients.</summary>
    internal static Tensor StackSamples(Tensor[] samples)
    {
        if (samples.Length == 0) throw new ArgumentException("Dataset: expected at least one sample in a batch, got none.");
        var shape = samples[0].Dims;
        int size = samples[0].Size;
        var data = new float[samples.Length * size];
        for (int i = 0; i < samples.Length; i++)
        {
            if (!samples[i].Dims.AsSpan().SequenceEqual(shape))
                throw ShapeUtil.Error("Dataset", $"every sample of shape {ShapeUtil.Format(shape)}", ShapeUtil.Format(samples[i].Dims));
            samples[i].Data.CopyTo(data, i * size);
        }
        return new Tensor(data, [samples.Length, .. shape]);
    }
}
