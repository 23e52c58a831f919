namespace Nerva.Losses;

/// <summary>
/// The losses as pure functions of (yTrue, yPred), each returning the per-sample loss (Keras
/// reduces over the last axis first, so [batch, features] gives [batch]) and composed only of
/// differentiable ops, so autograd supplies every gradient.
/// </summary>
/// <remarks>
/// Targets are never differentiated (they are detached). Targets may differ from the predictions
/// by a trailing axis of length 1 ([batch] against [batch, 1] and back), as Keras allows; any other
/// mismatch throws an <see cref="ArgumentException"/> naming the loss and both shapes.
/// </remarks>
public static class LossFunctions
{
    /// <summary>Keras's clipping of probabilities away from 0 and 1 before taking logs.</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>The mean squared error over the last axis.</summary>
    // mean((y − ŷ)²) over the last axis
    public static Tensor MeanSquaredError(Tensor yTrue, Tensor yPred) =>
        LastAxisMean((yPred - Align(yTrue, yPred, "MeanSquaredError")).Square());

    /// <summary>The mean absolute error over the last axis.</summary>
    // mean(|y − ŷ|) over the last axis
    public static Tensor MeanAbsoluteError(Tensor yTrue, Tensor yPred) =>
        LastAxisMean((yPred - Align(yTrue, yPred, "MeanAbsoluteError")).Abs());

    /// <summary>The Huber loss over the last axis: quadratic for errors up to <paramref name="delta"/>, linear beyond.</summary>
    // ½e² where |e| ≤ δ, δ(|e| − ½δ) beyond; written ½q² + δ(|e| − q) with q = min(|e|, δ)
    public static Tensor Huber(Tensor yTrue, Tensor yPred, float delta = 1f)
    {
        if (!(delta > 0)) throw new ArgumentException($"Huber: expected a positive delta, got {delta}.");
        var error = (yPred - Align(yTrue, yPred, "Huber")).Abs();
        var quadratic = error.Clamp(max: delta);
        return LastAxisMean(quadratic.Square() * 0.5f + (error - quadratic) * delta);
    }

    /// <summary>The binary cross-entropy over the last axis, on probabilities or (<paramref name="fromLogits"/>) raw scores.</summary>
    // −[y·log p + (1 − y)·log(1 − p)], p clipped to [ε, 1 − ε]; logits x: max(x, 0) − x·y + log(1 + e^(−|x|))
    public static Tensor BinaryCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false, float labelSmoothing = 0f)
    {
        var y = Align(yTrue, yPred, "BinaryCrossentropy");
        // Keras smooths binary targets towards ½: y·(1 − s) + s/2.
        if (labelSmoothing != 0f) y = y * (1f - CheckSmoothing(labelSmoothing, "BinaryCrossentropy")) + 0.5f * labelSmoothing;
        // Softplus(x) is max(x, 0) + log(1 + e^(−|x|)) computed stably, and unlike the relu + abs
        // composition its gradient at x = 0 is the true σ(0) = ½ rather than 0.
        if (fromLogits) return LastAxisMean(yPred.Softplus() - yPred * y);
        var p = yPred.Clamp(Epsilon, 1f - Epsilon);
        return LastAxisMean(-(y * p.Log() + (1f - y) * (1f - p).Log()));
    }

    /// <summary>The categorical cross-entropy against one-hot (or soft) targets, on probabilities or (<paramref name="fromLogits"/>) raw scores.</summary>
    // −Σ y·log p over the last axis; logits: log p = log_softmax(x); probabilities renormalised, then clipped
    public static Tensor CategoricalCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false, float labelSmoothing = 0f)
    {
        var y = Align(yTrue, yPred, "CategoricalCrossentropy");
        if (yPred.Rank == 0) throw ShapeUtil.Error("CategoricalCrossentropy", "predictions [batch, classes]", "a scalar");
        // Keras smooths one-hot targets towards uniform: y·(1 − s) + s/classes.
        if (labelSmoothing != 0f)
            y = y * (1f - CheckSmoothing(labelSmoothing, "CategoricalCrossentropy")) + labelSmoothing / yPred.Dims[^1];
        return -(y * LogProbabilities(yPred, fromLogits)).Sum(-1);
    }

    /// <summary>The categorical cross-entropy against class indices [batch] (or [batch, 1]), PyTorch's cross_entropy when <paramref name="fromLogits"/>.</summary>
    // −log p[label]; logits: log p = log_softmax(x)
    public static Tensor SparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred, bool fromLogits = false)
    {
        const string loss = "SparseCategoricalCrossentropy";
        if (yPred.Rank < 2) throw ShapeUtil.Error(loss, "predictions [batch, classes]", ShapeUtil.Format(yPred.Dims));
        var labels = yTrue.Rank == yPred.Rank && yTrue.Dims[^1] == 1 ? yTrue.Detach().Squeeze(-1) : yTrue.Detach();
        if (!labels.Dims.AsSpan().SequenceEqual(yPred.Dims.AsSpan(0, yPred.Rank - 1)))
            throw ShapeUtil.Error(loss, $"labels of shape {ShapeUtil.Format(yPred.Dims[..^1])} for predictions {ShapeUtil.Format(yPred.Dims)}", ShapeUtil.Format(yTrue.Dims));
        int classes = yPred.Dims[^1];
        foreach (float label in labels.Data)
            if (!(label >= 0 && label < classes && label == MathF.Floor(label)))
                throw ShapeUtil.Error(loss, $"class indices in [0, {classes}) for predictions {ShapeUtil.Format(yPred.Dims)}", label.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return -LogProbabilities(yPred, fromLogits).Gather(-1, labels.Unsqueeze(-1)).Squeeze(-1);
    }

    /// <summary>The Kullback–Leibler divergence of the predicted distribution from the target one, over the last axis.</summary>
    // Σ y·log(y / p) over the last axis, y and p clipped to [ε, 1]
    public static Tensor KLDivergence(Tensor yTrue, Tensor yPred)
    {
        var y = Align(yTrue, yPred, "KLDivergence").Clamp(Epsilon, 1f);
        if (yPred.Rank == 0) throw ShapeUtil.Error("KLDivergence", "predictions [batch, classes]", "a scalar");
        var p = yPred.Clamp(Epsilon, 1f);
        return (y * (y.Log() - p.Log())).Sum(-1);
    }

    /// <summary>The hinge loss over the last axis for targets in {−1, 1}; 0/1 targets are mapped to −1/1 as Keras does.</summary>
    // mean(max(1 − y·ŷ, 0)) over the last axis
    public static Tensor Hinge(Tensor yTrue, Tensor yPred)
    {
        var y = Align(yTrue, yPred, "Hinge");
        if (IsZeroOne(y.Data)) y = y * 2f - 1f;
        return LastAxisMean((1f - y * yPred).Relu());
    }

    private static Tensor LogProbabilities(Tensor yPred, bool fromLogits)
    {
        if (fromLogits) return yPred.LogSoftmax(-1);
        // Keras renormalises probabilities that do not sum to one, then clips.
        var p = yPred / yPred.Sum(-1, keepDim: true);
        return p.Clamp(Epsilon, 1f - Epsilon).Log();
    }

    private static Tensor LastAxisMean(Tensor x) => x.Rank <= 1 ? x : x.Mean(-1);

    private static bool IsZeroOne(float[] values)
    {
        foreach (float v in values)
            if (v != 0f && v != 1f) return false;
        return true;
    }

    private static float CheckSmoothing(float labelSmoothing, string loss) =>
        labelSmoothing is >= 0f and <= 1f ? labelSmoothing
        : throw new ArgumentException($"{loss}: expected labelSmoothing in [0, 1], got {labelSmoothing}.");

    /// <summary>
    /// The targets, detached, in the prediction's shape: equal shapes, or shapes that differ only by
    /// a trailing axis of length 1 (Keras's squeeze-or-expand), are accepted.
    /// </summary>
    private static Tensor Align(Tensor yTrue, Tensor yPred, string loss)
    {
        var t = yTrue.Dims.AsSpan();
        var p = yPred.Dims.AsSpan();
        if (t.SequenceEqual(p)) return yTrue.Detach();
        bool trailingOne = (t.Length == p.Length + 1 && t[^1] == 1 && t[..^1].SequenceEqual(p))
                        || (p.Length == t.Length + 1 && p[^1] == 1 && p[..^1].SequenceEqual(t));
        if (trailingOne) return yTrue.Detach().Reshape(yPred.Dims);
        throw ShapeUtil.Error(loss, $"targets shaped like the predictions {ShapeUtil.Format(yPred.Dims)}", ShapeUtil.Format(yTrue.Dims));
    }
}
