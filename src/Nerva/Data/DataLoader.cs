using System.Collections;

namespace Nerva.Data;

/// <summary>
/// Turns a dataset into batches, as PyTorch's DataLoader: batch size, shuffling with a new order
/// each epoch (repeatable with a seed), dropping a short last batch, per-sample transforms
/// (augmentation) and preparing the next batch on another thread while the current one is used.
/// </summary>
/// <example><code>
/// foreach (var (x, y) in new DataLoader(new TensorDataset(features, labels), batchSize: 64, shuffle: true, seed: 1))
///     ...
/// </code></example>
public sealed class DataLoader : IEnumerable<(Tensor Features, Tensor Labels)>
{
    private readonly Dataset? dataset;
    private readonly StreamingDataset? stream;
    private readonly bool shuffle;
    private readonly Func<Tensor, Tensor>? transform;
    private readonly Random random;

    /// <summary>Batches over an indexable dataset.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="shuffle">Visit the samples in a new random order each epoch.</param>
    /// <param name="dropLast">Skip the last batch when it is shorter than <paramref name="batchSize"/>.</param>
    /// <param name="seed">Makes the sequence of epoch orders repeatable.</param>
    /// <param name="transform">Applied to each sample's features as the batch is made (e.g. augmentation).</param>
    /// <param name="prefetch">
    /// Prepare the next batch on a background thread. By default only when making a batch is real work
    /// (a transform, or a dataset other than an in-memory <see cref="TensorDataset"/>): gathering rows
    /// of a TensorDataset is a copy of a few hundred kilobytes, and handing it to another thread costs
    /// more than it saves (BENCHMARKS.md, "Memory").
    /// </param>
    /// <param name="reuseBuffers">
    /// Gather the batches of an in-memory <see cref="TensorDataset"/> into the same two arrays each
    /// time, so an epoch allocates no batch-sized memory; each batch is then valid only until the
    /// next one is requested (fine for a training loop, wrong for code that keeps batches).
    /// Ignored with prefetching or a transform.
    /// </param>
    public DataLoader(Dataset dataset, int batchSize = 32, bool shuffle = false, bool dropLast = false, int? seed = null,
        Func<Tensor, Tensor>? transform = null, bool? prefetch = null, bool reuseBuffers = false)
        : this(batchSize, dropLast, seed, transform, prefetch ?? (transform is not null || dataset is not TensorDataset))
    {
        this.dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
        this.shuffle = shuffle;
        this.reuseBuffers = reuseBuffers && !Prefetch && transform is null;
    }

    private readonly bool reuseBuffers;
    private float[]? featureBuffer, labelBuffer;

    /// <summary>Batches over a streamed dataset, read in its own order (no shuffling).</summary>
    public DataLoader(StreamingDataset dataset, int batchSize = 32, bool dropLast = false,
        Func<Tensor, Tensor>? transform = null, bool prefetch = true)
        : this(batchSize, dropLast, null, transform, prefetch)
    {
        stream = dataset ?? throw new ArgumentNullException(nameof(dataset));
    }

    private DataLoader(int batchSize, bool dropLast, int? seed, Func<Tensor, Tensor>? transform, bool prefetch)
    {
        if (batchSize <= 0) throw new ArgumentException($"DataLoader: expected a positive batch size, got {batchSize}.");
        BatchSize = batchSize;
        DropLast = dropLast;
        Prefetch = prefetch;
        this.transform = transform;
        random = seed is int s ? new Random(s) : new Random();
    }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether a short last batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Whether the next batch is prepared on a background thread.</summary>
    public bool Prefetch { get; }

    /// <summary>The number of samples, or -1 for a streamed dataset.</summary>
    public int SampleCount => dataset?.Count ?? -1;

    /// <summary>Batches per epoch, or -1 for a streamed dataset.</summary>
    public int Count => dataset is null ? -1 : DropLast ? dataset.Count / BatchSize : (dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Starts an epoch: a new order when shuffling.</summary>
    public IEnumerator<(Tensor Features, Tensor Labels)> GetEnumerator()
    {
        var batches = dataset is not null ? IndexedBatches(dataset, EpochOrder(dataset.Count)) : StreamedBatches(stream!);
        return (Prefetch ? Prefetched(batches) : batches).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>0..count-1, shuffled (Fisher–Yates) when asked; drawn now so each epoch's order is fixed at its start.</summary>
    private int[] EpochOrder(int count)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        if (shuffle) random.Shuffle(order);
        return order;
    }

    private IEnumerable<(Tensor, Tensor)> IndexedBatches(Dataset data, int[] order)
    {
        for (int start = 0; start < order.Length; start += BatchSize)
        {
            int size = Math.Min(BatchSize, order.Length - start);
            if (size < BatchSize && DropLast) yield break;
            var indices = order.AsMemory(start, size);
            if (reuseBuffers && data is TensorDataset tensors)
            {
                yield return (TensorDataset.RowsInto(tensors.Features, indices.Span, ref featureBuffer),
                    TensorDataset.RowsInto(tensors.Labels, indices.Span, ref labelBuffer));
                continue;
            }
            if (transform is null)
            {
                yield return data.GetBatch(indices.Span);
                continue;
            }
            var features = new Tensor[size];
            var labels = new Tensor[size];
            for (int i = 0; i < size; i++)
            {
                var (x, y) = data.Get(indices.Span[i]);
                features[i] = transform(x);
                labels[i] = y;
            }
            yield return (Dataset.StackSamples(features), Dataset.StackSamples(labels));
        }
    }

    private IEnumerable<(Tensor, Tensor)> StreamedBatches(StreamingDataset data)
    {
        var features = new List<Tensor>(BatchSize);
        var labels = new List<Tensor>(BatchSize);
        foreach (var (x, y) in data.Enumerate())
        {
            features.Add(transform is null ? x : transform(x));
            labels.Add(y);
            if (features.Count == BatchSize)
            {
                yield return (Dataset.StackSamples([.. features]), Dataset.StackSamples([.. labels]));
                features.Clear();
                labels.Clear();
            }
        }
        if (features.Count > 0 && !DropLast)
            yield return (Dataset.StackSamples([.. features]), Dataset.StackSamples([.. labels]));
    }

    /// <summary>
    /// Yields the same items in the same order, but makes item k+1 on a worker thread while the
    /// caller uses item k. Only one item is made at a time, so seeded transforms stay repeatable.
    /// </summary>
    private static IEnumerable<T> Prefetched<T>(IEnumerable<T> source)
    {
        var enumerator = source.GetEnumerator();
        var next = Task.Run(() => enumerator.MoveNext() ? (true, enumerator.Current) : (false, default!));
        try
        {
            while (true)
            {
                var (hasItem, item) = next.GetAwaiter().GetResult();
                if (!hasItem) yield break;
                next = Task.Run(() => enumerator.MoveNext() ? (true, enumerator.Current) : (false, default!));
                yield return item;
            }
        }
        finally
        {
            // The consumer may stop early: let the pending batch finish before disposing its source.
            try { next.Wait(); } catch (AggregateException) { }
            enumerator.Dispose();
        }
    }
}
