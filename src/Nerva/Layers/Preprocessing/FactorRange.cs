using System.Globalization;

namespace Nerva.Layers;

/// <summary>
/// The range [<see cref="Lower"/>, <see cref="Upper"/>] a random augmentation factor is drawn from,
/// written as in Keras: one number f means [−|f|, |f|], a pair (a, b) means [min(a, b), max(a, b)].
/// Converts implicitly, so <c>new RandomRotation(0.1f)</c> and <c>new RandomRotation((0f, 0.25f))</c> both work.
/// </summary>
public readonly struct FactorRange
{
    private readonly bool single;

    /// <summary>The symmetric range [−|factor|, |factor|].</summary>
    public FactorRange(float factor)
    {
        (Lower, Upper) = (-Math.Abs(factor), Math.Abs(factor));
        single = true;
    }

    /// <summary>The range between two bounds, in either order.</summary>
    public FactorRange(float lower, float upper) => (Lower, Upper) = lower <= upper ? (lower, upper) : (upper, lower);

    /// <summary>The smallest factor drawn.</summary>
    public float Lower { get; }

    /// <summary>The largest factor drawn.</summary>
    public float Upper { get; }

    /// <summary>Whether the range is the single value 0 (the layer then changes nothing).</summary>
    public bool IsZero => Lower == 0 && Upper == 0;

    /// <summary>A uniform draw from the range.</summary>
    public double Sample(Random random) => Lower + (Upper - (double)Lower) * random.NextDouble();

    /// <summary>The symmetric range [−|factor|, |factor|].</summary>
    public static implicit operator FactorRange(float factor) => new(factor);

    /// <summary>The range between two bounds, in either order.</summary>
    public static implicit operator FactorRange((float Lower, float Upper) range) => new(range.Lower, range.Upper);

    /// <summary>Throws unless both bounds lie in [min, max] (min itself excluded when <paramref name="minExclusive"/>), naming the layer and argument.</summary>
    internal FactorRange Checked(string layer, string argument, float min, float max, bool minExclusive = false)
    {
        bool Fits(float v) => (minExclusive ? v > min : v >= min) && v <= max; // NaN fails
        if (!Fits(Lower) || !Fits(Upper))
            throw new ArgumentException($"{layer}: expected {argument} (a number or a pair) within {(minExclusive ? "(" : "[")}{min}, {max}], got {this}.");
        return this;
    }

    /// <summary>The value for a saved config: the number when built from one, otherwise [lower, upper] (Keras accepts both).</summary>
    internal object ToConfig() => single ? Upper : new[] { Lower, Upper };

    /// <inheritdoc/>
    public override string ToString() => single
        ? Upper.ToString(CultureInfo.InvariantCulture)
        : $"({Lower.ToString(CultureInfo.InvariantCulture)}, {Upper.ToString(CultureInfo.InvariantCulture)})";
}
