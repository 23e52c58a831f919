namespace Nerva.Losses;

/// <summary>
/// A loss: a per-sample function (in <see cref="LossFunctions"/>) reduced over the batch with
/// optional sample weights. The class only holds configuration.
/// </summary>
/// <remarks>
/// The reduction is Keras's default "sum_over_batch_size": Σᵢ wᵢ·lossᵢ / n, where n counts the
/// per-sample losses (the batch, times the time steps for sequences). Class weights reach a loss
/// as sample weights.
/// </remarks>
public abstract class Loss
{
    /// <summary>The Keras name, e.g. "sparse_categorical_crossentropy".</summary>
    public abstract string Name { get; }

    /// <summary>The loss over the batch as a scalar tensor, differentiable with respect to <paramref name="yPred"/>.</summary>
    /// <param name="yTrue">The targets.</param>
    /// <param name="yPred">The predictions.</param>
    /// <param name="sampleWeight">One weight per sample ([batch], or the shape of the per-sample losses); null weighs all alike.</param>
    public Tensor Call(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        var perSample = PerSample(yTrue, yPred);
        if (sampleWeight is null) return perSample.Mean();
        return (perSample * WeightsFor(perSample, sampleWeight.Detach())).Sum() / perSample.Size;
    }

    /// <summary>The loss of each sample, [batch] (or [batch, time] for sequences).</summary>
    protected abstract Tensor PerSample(Tensor yTrue, Tensor yPred);

    /// <summary>The constructor arguments by their Keras names, for saving.</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>();

    /// <summary>Lets a Keras string stand for a loss: <c>Loss loss = "mse";</c>.</summary>
    public static implicit operator Loss(string name) => LossRegistry.Get(name);

    /// <summary>Weights shaped to multiply the per-sample losses: the same shape, or one per sample broadcast over the rest.</summary>
    private Tensor WeightsFor(Tensor perSample, Tensor weights)
    {
        if (weights.Size == perSample.Size) return weights.Reshape(perSample.Dims);
        if (perSample.Rank > 1 && weights.Size == perSample.Dims[0])
        {
            var shape = new int[perSample.Rank];
            Array.Fill(shape, 1);
            shape[0] = weights.Size;
            return weights.Reshape(shape);
        }
        throw ShapeUtil.Error(GetType().Name, $"one sample weight per sample {ShapeUtil.Format(perSample.Dims)}", ShapeUtil.Format(weights.Dims));
    }
}
