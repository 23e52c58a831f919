namespace Nerva.Initializers;

/// <summary>
/// Values with variance scale / n, where n is the fan-in, fan-out or their average; drawn from a
/// truncated normal or a uniform distribution (Keras's VarianceScaling, the family behind Glorot, He and LeCun).
/// </summary>
public class VarianceScaling(float scale = 1f, string mode = "fan_in", string distribution = "truncated_normal") : Initializer
{
    // Standard deviation of a unit normal truncated at ±2: rescales so the truncated draw has the intended variance.
    private const double TruncatedStd = 0.87962566103423978;

    /// <inheritdoc/>
    public override string Name => "variance_scaling";

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, int[] shape, Random random)
    {
        var (fanIn, fanOut) = Fans(shape);
        double n = mode switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            "fan_avg" => (fanIn + fanOut) / 2,
            _ => throw new ArgumentException($"VarianceScaling: expected mode fan_in, fan_out or fan_avg, got '{mode}'."),
        };
        double variance = scale / Math.Max(1, n);
        switch (distribution)
        {
            case "truncated_normal":
                TruncatedNormal(values, Math.Sqrt(variance) / TruncatedStd, random);
                break;
            case "untruncated_normal":
                for (int i = 0; i < values.Length; i++) values[i] = (float)(RandomState.StandardNormal(random) * Math.Sqrt(variance));
                break;
            case "uniform":
                double limit = Math.Sqrt(3 * variance);
                for (int i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * limit);
                break;
            default:
                throw new ArgumentException($"VarianceScaling: expected distribution truncated_normal, untruncated_normal or uniform, got '{distribution}'.");
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["scale"] = scale, ["mode"] = mode, ["distribution"] = distribution, ["seed"] = Seed };
}
