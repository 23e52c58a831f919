namespace Nerva.Initializers;

/// <summary>LeCun 1998: truncated normal with variance 1 / fan_in (for SELU networks).</summary>
public sealed class LecunNormal() : VarianceScaling(1f, "fan_in", "truncated_normal")
{
    /// <inheritdoc/>
    public override string Name => "lecun_normal";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };
}
