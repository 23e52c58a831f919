namespace Nerva.Layers;

/// <summary>
/// In training, rotates each image about its centre by its own random angle, drawn from
/// <c>factor</c> in fractions of a full turn (2π), as Keras's RandomRotation: positive turns
/// counter-clockwise. A factor f means [−f, f]; a pair (a, b) means [a, b]; bounds lie in [−1, 1].
/// At inference images pass through.
/// </summary>
public sealed class RandomRotation : AffineAugmentation
{
    /// <summary>Creates the layer; see <see cref="AffineAugmentation"/> for the fill modes and interpolation.</summary>
    public RandomRotation(FactorRange factor, string fillMode = "reflect", string interpolation = "bilinear",
        int? seed = null, float fillValue = 0f, string? name = null) : base(fillMode, interpolation, seed, fillValue, name)
    {
        Factor = factor.Checked(nameof(RandomRotation), "factor", -1, 1);
    }

    /// <summary>The range of angles, in turns (1 = 2π).</summary>
    public FactorRange Factor { get; }

    /// <inheritdoc/>
    protected override void Draw(Random random, int height, int width, Span<float> transform)
    {
        double angle = Factor.Sample(random) * 2 * Math.PI, cos = Math.Cos(angle), sin = Math.Sin(angle);
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        // Keras's matrix: output (x, y) reads input R·(x − cx, y − cy) + (cx, cy) with R = [[cos, −sin], [sin, cos]];
        // with y pointing down, positive angles turn the picture counter-clockwise.
        transform[0] = (float)cos;
        transform[1] = (float)-sin;
        transform[2] = (float)(cx - cos * cx + sin * cy);
        transform[3] = (float)sin;
        transform[4] = (float)cos;
        transform[5] = (float)(cy - sin * cx - cos * cy);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => Config(("factor", Factor.ToConfig()));
}
