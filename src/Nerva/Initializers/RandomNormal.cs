namespace Nerva.Initializers;

/// <summary>Normal values with the given mean and standard deviation.</summary>
public sealed class RandomNormal(float mean = 0f, float stddev = 0.05f) : Initializer
{
    /// <inheritdoc/>
    public override string Name => "random_normal";

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, int[] shape, Random random)
    {
        for (int i = 0; i < values.Length; i++) values[i] = (float)(mean + stddev * RandomState.StandardNormal(random));
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["mean"] = mean, ["stddev"] = stddev, ["seed"] = Seed };
}
