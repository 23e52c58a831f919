namespace Nerva.Layers;

/// <summary>Reshapes each sample to <c>targetShape</c> (without the batch; one entry may be -1).</summary>
public sealed class Reshape(int[] targetShape, string? name = null) : Layer(name)
{
    /// <summary>The shape of each output sample.</summary>
    public IReadOnlyList<int> TargetShape { get; } = targetShape;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => input.Reshape([input.Dims[0], .. TargetShape]);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["target_shape"] = TargetShape.ToArray() };
}
