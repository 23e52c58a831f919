namespace Nerva.Layers;

/// <summary>
/// A layer from a function of differentiable ops (Keras's Lambda). It cannot be saved as
/// configuration (functions are code), so a model holding one saves only its weights.
/// </summary>
public sealed class Lambda(Func<Tensor, Tensor> function, string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    protected override bool ShapeMatches(int[] shapeWithBatch) => true;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => function(input);
}
