namespace Nerva.Initializers;

/// <summary>All zeros (Keras's default bias initializer).</summary>
public sealed class Zeros() : Constant(0f)
{
    /// <inheritdoc/>
    public override string Name => "zeros";

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>();
}
