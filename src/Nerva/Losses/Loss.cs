namespace Nerva.Losses;

/// <summary>
/// A loss: a per-sample function (in <see cref="LossFunctions"/>) reduced over the batch with
/// optional sample weights, as Keras's "sum_over_batch_size": Σ wᵢ·lossᵢ / batch.
/// The class only holds configuration.
/// </summary>
public abstract class Loss
{
    /// <summary>The Keras name, e.g. "sparse_categorical_crossentropy".</summary>
    public abstract string Name { get; }

    /// <summary>The mean loss over the batch as a scalar tensor (differentiable w.r.t. <paramref name="yPred"/>).</summary>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        var perSample = PerSample(yTrue, yPred);
        if (sampleWeight is null) return perSample.Mean();
        if (sampleWeight.Size != perSample.Size)
            throw ShapeUtil.Error(GetType().Name, $"one sample weight per sample ({perSample.Size})", ShapeUtil.Format(sampleWeight.Dims));
        return (perSample.Reshape(-1) * sampleWeight.Reshape(-1)).Sum() / perSample.Size;
    }

    /// <summary>The loss of each sample, [batch].</summary>
    protected abstract Tensor PerSample(Tensor yTrue, Tensor yPred);

    /// <summary>The constructor arguments, for saving.</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>();

    /// <summary>Lets a Keras string stand for a loss: <c>loss: "mse"</c>.</summary>
    public static implicit operator Loss(string name) => LossRegistry.Get(name);
}
