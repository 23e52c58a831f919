namespace Nerva.Initializers;

/// <summary>LeCun 1998: uniform in ±√(3 / fan_in).</summary>
public sealed class LecunUniform() : VarianceScaling(1f, "fan_in", "uniform")
{
    /// <inheritdoc/>
    public override string Name => "lecun_uniform";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
