namespace Nerva.Metrics;

/// <summary>
/// "accuracy" when the loss does not say which kind: each batch's shapes decide, as Keras 3 does —
/// one prediction column means binary, targets shaped like the predictions mean one-hot, and
/// anything else means class indices.
/// </summary>
internal sealed class InferredAccuracy(string name) : MeanMetric
{
    public override string Name { get; } = name;

    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        if (yPred.Rank <= 1 || yPred.Dims[^1] == 1)
            using (Autograd.NoGrad()) return RowMeans(yPred.Detach().Gt(0.5f).Eq(Aligned(yTrue, yPred)));
        var actual = Classes(yTrue);
        if (actual.Length * yPred.Dims[^1] != yPred.Size)
            throw ShapeUtil.Error(Name, $"class indices or one-hot rows for predictions {ShapeUtil.Format(yPred.Dims)}", ShapeUtil.Format(yTrue.Dims));
        return RowMeans(Matches(actual, yPred.ArgMax(-1).ToArray()), Samples(yPred));
    }
}
