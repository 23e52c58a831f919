namespace Nerva.Layers;

/// <summary>
/// In training, zooms each image about its centre by its own random amount, as Keras's RandomZoom:
/// the vertical zoom is 1 + a draw from <c>heightFactor</c>, the horizontal 1 + a draw from
/// <c>widthFactor</c>, or the vertical one again when <c>widthFactor</c> is null (keeping the
/// aspect ratio). Positive factors zoom out (the output shows more of the image, smaller), negative
/// ones zoom in. A factor f means [−f, f]; a pair (a, b) means [a, b]; bounds lie in (−1, 1].
/// At inference images pass through.
/// </summary>
public sealed class RandomZoom : AffineAugmentation
{
    /// <summary>Creates the layer; see <see cref="AffineAugmentation"/> for the fill modes and interpolation.</summary>
    public RandomZoom(FactorRange heightFactor, FactorRange? widthFactor = null, string fillMode = "reflect", string interpolation = "bilinear",
        int? seed = null, float fillValue = 0f, string? name = null) : base(fillMode, interpolation, seed, fillValue, name)
    {
        HeightFactor = heightFactor.Checked(nameof(RandomZoom), "heightFactor", -1, 1, minExclusive: true);
        WidthFactor = widthFactor?.Checked(nameof(RandomZoom), "widthFactor", -1, 1, minExclusive: true);
    }

    /// <summary>The range of vertical zooms minus 1.</summary>
    public FactorRange HeightFactor { get; }

    /// <summary>The range of horizontal zooms minus 1, or null to zoom both ways alike.</summary>
    public FactorRange? WidthFactor { get; }

    /// <inheritdoc/>
    protected override void Draw(Random random, int height, int width, Span<float> transform)
    {
        double zy = 1 + HeightFactor.Sample(random);
        double zx = WidthFactor is FactorRange w ? 1 + w.Sample(random) : zy;
        // Output (x, y) reads input (zx·(x − cx) + cx, zy·(y − cy) + cy): a zoom > 1 reads a larger area, zooming out.
        transform[0] = (float)zx;
        transform[2] = (float)((width - 1) / 2.0 * (1 - zx));
        transform[4] = (float)zy;
        transform[5] = (float)((height - 1) / 2.0 * (1 - zy));
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        Config(("height_factor", HeightFactor.ToConfig()), ("width_factor", WidthFactor?.ToConfig()));
}
