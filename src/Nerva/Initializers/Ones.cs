namespace Nerva.Initializers;

/// <summary>All ones.</summary>
public sealed class Ones() : Constant(1f)
{
    /// <inheritdoc/>
    public override string Name => "ones";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>();
}
