using Nerva.Initializers;

namespace Nerva.Layers;

/// <summary>
/// In training, drops whole feature maps (channels) with probability <c>rate</c> and scales the
/// rest by 1/(1 − rate) (Tompson et al. 2015): neighbouring pixels are correlated, so dropping
/// single pixels would regularise little.
/// </summary>
public sealed class SpatialDropout2D(float rate, int? seed = null, string? name = null) : Layer(name)
{
    private readonly Random random = seed is int s ? new Random(s) : RandomState.NextRandom();

    /// <summary>The fraction of channels dropped in training.</summary>
    public float Rate { get; } = rate is >= 0 and < 1 ? rate : throw new ArgumentException($"SpatialDropout2D: expected a rate in [0, 1), got {rate}.");

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != 4) throw ShapeUtil.Error(Name, "images [batch, height, width, channels]", ShapeUtil.Format(input.Dims));
        if (!training || Rate == 0) return input;
        int n = input.Dims[0], c = input.Dims[3];
        var mask = new float[n * c];
        float keep = 1f / (1f - Rate);
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() >= Rate ? keep : 0f;
        return input * Tensor.FromArray(mask, n, 1, 1, c);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["rate"] = Rate, ["seed"] = seed };
}
