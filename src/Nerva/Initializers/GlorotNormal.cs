namespace Nerva.Initializers;

/// <summary>Glorot and Bengio 2010: truncated normal with variance 2 / (fan_in + fan_out).</summary>
public sealed class GlorotNormal() : VarianceScaling(1f, "fan_avg", "truncated_normal")
{
    /// <inheritdoc/>
    public override string Name => "glorot_normal";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
