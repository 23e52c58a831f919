namespace Nerva.Initializers;

/// <summary>He et al. 2015: uniform in ±√(6 / fan_in), for ReLU networks.</summary>
public sealed class HeUniform() : VarianceScaling(2f, "fan_in", "uniform")
{
    /// <inheritdoc/>
    public override string Name => "he_uniform";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
