namespace Nerva.Initializers;

/// <summary>He et al. 2015: truncated normal with variance 2 / fan_in, for ReLU networks.</summary>
public sealed class HeNormal() : VarianceScaling(2f, "fan_in", "truncated_normal")
{
    /// <inheritdoc/>
    public override string Name => "he_normal";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
