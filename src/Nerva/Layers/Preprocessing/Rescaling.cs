namespace Nerva.Layers;

/// <summary>x·scale + offset, e.g. <c>new Rescaling(1f / 255)</c> to bring pixels into [0, 1].</summary>
public sealed class Rescaling(float scale, float offset = 0f, string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    protected override bool ShapeMatches(int[] shapeWithBatch) => true;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => input * scale + offset;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["scale"] = scale, ["offset"] = offset };
}
