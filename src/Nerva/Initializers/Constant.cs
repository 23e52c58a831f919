namespace Nerva.Initializers;

/// <summary>Every value equal to <c>value</c>.</summary>
public class Constant(float value) : Initializer
{
    /// <summary>The fill value.</summary>
    public float Value { get; } = value;

    /// <inheritdoc/>
    public override string Name => "constant";

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, int[] shape, Random random) => values.Fill(Value);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["value"] = Value };
}
