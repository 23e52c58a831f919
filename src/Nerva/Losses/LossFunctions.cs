namespace Nerva.Losses;

/// <summary>
/// The losses as pure functions of (yTrue, yPred), each returning the per-sample loss [batch]
/// (averaged over the last axis first, as Keras) and composed only of differentiable ops.
/// </summary>
public static class LossFunctions
{
    /// <summary>Keras's clipping of probabilities away from 0 and 1 before taking logs.</summary>
    public const float Epsilon = 1e-7f;

    // mean((y − ŷ)²) over the last axis
    public static Tensor MeanSquaredError(Tensor yTrue, Tensor yPred) => LastAxisMean((yPred - Align(yTrue, yPred, "MeanSquaredError")).Square());

    // mean(|y − ŷ|) over the last axis
    public static Tensor MeanAbsoluteError(Tensor yTrue, Tensor yPred) => LastAxisMean((yPred - Align(yTrue, yPred, "MeanAbsoluteError")).Abs());

    // ½e² where |e| ≤ δ, δ(|e| − ½δ) beyond
    public static Tensor Huber(Tensor yTrue, Tensor yPred, float delta = 1f)
    {
        var error = (yPred - Align(yTrue, yPred, "Huber")).Abs();
        var quadratic = error.Clamp(max: delta);
        return LastAxisMean(quadratic.Square() * 0.5f + (error - quadratic) * delta);
    }

    // −[y·log p + (1 − y)·log(1 − p)]; with logits x: max(x, 0) − x·y + log(1 + e^(−|x|))
    public static Tensor BinaryCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false)
    {
        var y = Align(yTrue, yPred, "BinaryCrossentropy");
        if (fromLogits) return LastAxisMean(yPred.Relu() - yPred * y + ((-yPred.Abs()).Exp() + 1f).Log());
        var p = yPred.Clamp(Epsilon, 1 - Epsilon);
        return LastAxisMean(-(y * p.Log() + (1f - y) * (1f - p).Log()));
    }

    // −Σ y·log p over classes; with logits, log p = log_softmax(x)
    public static Tensor CategoricalCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false)
    {
        var y = Align(yTrue, yPred, "CategoricalCrossentropy");
        return -(y * LogProbabilities(yPred, fromLogits)).Sum(-1);
    }

    // −log p[label]; labels are class indices [batch] (or [batch, 1])
    public static Tensor SparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false)
    {
        if (yPred.Rank < 2) throw ShapeUtil.Error("SparseCategoricalCrossentropy", "predictions [batch, classes]", ShapeUtil.Format(yPred.Dims));
        var labels = yTrue.Rank == yPred.Rank && yTrue.Dims[^1] == 1 ? yTrue.Squeeze(-1) : yTrue;
        if (!labels.Dims.AsSpan().SequenceEqual(yPred.Dims.AsSpan(0, yPred.Rank - 1)))
            throw ShapeUtil.Error("SparseCategoricalCrossentropy", $"labels of shape {ShapeUtil.Format(yPred.Dims[..^1])} for predictions {ShapeUtil.Format(yPred.Dims)}", ShapeUtil.Format(yTrue.Dims));
        var logProbabilities = LogProbabilities(yPred, fromLogits);
        return -logProbabilities.Gather(-1, labels.Unsqueeze(-1)).Squeeze(-1);
    }

    // Σ y·log(y / p) over classes, both clipped to [ε, 1]
    public static Tensor KLDivergence(Tensor yTrue, Tensor yPred)
    {
        var y = Align(yTrue, yPred, "KLDivergence").Clamp(Epsilon, 1f);
        var p = yPred.Clamp(Epsilon, 1f);
        return (y * (y.Log() - p.Log())).Sum(-1);
    }

    // mean(max(1 − y·ŷ, 0)); 0/1 labels become −1/+1 as in Keras
    public static Tensor Hinge(Tensor yTrue, Tensor yPred)
    {
        var y = Align(yTrue, yPred, "Hinge");
        if (y.Data.All(v => v == 0f || v == 1f)) y = y * 2f - 1f;
        return LastAxisMean((1f - y * yPred).Relu());
    }

    private static Tensor LogProbabilities(Tensor yPred, bool fromLogits)
    {
        if (fromLogits) return yPred.LogSoftmax(-1);
        // Keras renormalises probabilities that do not sum to one, then clips.
        var p = yPred / yPred.Sum(-1, keepDim: true);
        return p.Clamp(Epsilon, 1 - Epsilon).Log();
    }

    private static Tensor LastAxisMean(Tensor x) => x.Rank <= 1 ? x : x.Mean(-1);

    /// <summary>Targets in the prediction's shape: [batch] targets against [batch, 1] predictions are reshaped.</summary>
    private static Tensor Align(Tensor yTrue, Tensor yPred, string loss)
    {
        if (yTrue.Dims.AsSpan().SequenceEqual(yPred.Dims)) return yTrue.Detach();
        if (yTrue.Size == yPred.Size && yPred.Rank >= 1 && yTrue.Dims[0] == yPred.Dims[0]) return yTrue.Detach().Reshape(yPred.Dims);
        throw ShapeUtil.Error(loss, $"targets of shape {ShapeUtil.Format(yPred.Dims)} like the predictions", ShapeUtil.Format(yTrue.Dims));
    }
}
