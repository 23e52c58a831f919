using Nerva.Initializers;

namespace Nerva.Layers;

/// <summary>
/// In training, zeroes each value with probability <c>rate</c> and scales the rest by 1/(1 − rate)
/// (inverted dropout, Srivastava et al. 2014); at inference it passes values through.
/// </summary>
public sealed class Dropout(float rate, int? seed = null, string? name = null) : Layer(name)
{
    private readonly Random random = seed is int s ? new Random(s) : RandomState.NextRandom();

    /// <summary>The fraction of values dropped in training.</summary>
    public float Rate { get; } = rate is >= 0 and < 1 ? rate : throw new ArgumentException($"Dropout: expected a rate in [0, 1), got {rate}.");

    /// <inheritdoc/>
    protected override bool ShapeMatches(int[] shapeWithBatch) => true;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (!training || Rate == 0) return input;
        var mask = BufferPool.Floats(input.Size);
        float keep = 1f / (1f - Rate);
        for (int i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() >= Rate ? keep : 0f;
        return input * new Tensor(mask, input.Dims);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["rate"] = Rate, ["seed"] = seed };
}
