namespace Nerva.Initializers;

/// <summary>Uniform values in [minval, maxval).</summary>
public sealed class RandomUniform(float minval = -0.05f, float maxval = 0.05f) : Initializer
{
    /// <inheritdoc/>
    public override string Name => "random_uniform";

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, int[] shape, Random random)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)(minval + (maxval - (double)minval) * random.NextDouble());
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["minval"] = minval, ["maxval"] = maxval, ["seed"] = Seed };
}
