namespace Nerva.Layers;

/// <summary>Joins its inputs along an axis (the last by default; axis 0 would be the batch).</summary>
public sealed class Concatenate(int axis = -1, string? name = null) : Merge(name)
{
    /// <summary>The axis joined along, counting the batch as axis 0.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    protected override Tensor Combine(IReadOnlyList<Tensor> inputs) => Tensor.Concat([.. inputs], Axis);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["axis"] = Axis };
}
