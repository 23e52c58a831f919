namespace Nerva.Layers;

/// <summary>
/// In training, shifts each image by its own random offset: a fraction of the height drawn from
/// <c>heightFactor</c> (positive moves the content down) and of the width from <c>widthFactor</c>
/// (positive moves it right), as Keras's RandomTranslation. A factor f means [−f, f]; a pair
/// (a, b) means [a, b]; bounds lie in [−1, 1]. At inference images pass through.
/// </summary>
public sealed class RandomTranslation : AffineAugmentation
{
    /// <summary>Creates the layer; see <see cref="AffineAugmentation"/> for the fill modes and interpolation.</summary>
    public RandomTranslation(FactorRange heightFactor, FactorRange widthFactor, string fillMode = "reflect", string interpolation = "bilinear",
        int? seed = null, float fillValue = 0f, string? name = null) : base(fillMode, interpolation, seed, fillValue, name)
    {
        HeightFactor = heightFactor.Checked(nameof(RandomTranslation), "heightFactor", -1, 1);
        WidthFactor = widthFactor.Checked(nameof(RandomTranslation), "widthFactor", -1, 1);
    }

    /// <summary>The range of vertical shifts, as fractions of the height.</summary>
    public FactorRange HeightFactor { get; }

    /// <summary>The range of horizontal shifts, as fractions of the width.</summary>
    public FactorRange WidthFactor { get; }

    /// <inheritdoc/>
    protected override void Draw(Random random, int height, int width, Span<float> transform)
    {
        double dy = HeightFactor.Sample(random) * height, dx = WidthFactor.Sample(random) * width;
        // Output (x, y) reads input (x − dx, y − dy).
        transform[0] = 1f;
        transform[2] = (float)-dx;
        transform[4] = 1f;
        transform[5] = (float)-dy;
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        Config(("height_factor", HeightFactor.ToConfig()), ("width_factor", WidthFactor.ToConfig()));
}
