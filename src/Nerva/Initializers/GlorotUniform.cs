namespace Nerva.Initializers;

/// <summary>Glorot and Bengio 2010: uniform in ±√(6 / (fan_in + fan_out)); Keras's default kernel initializer.</summary>
public sealed class GlorotUniform() : VarianceScaling(1f, "fan_avg", "uniform")
{
    /// <inheritdoc/>
    public override string Name => "glorot_uniform";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
