namespace Nerva.Data.Augmentation;

/// <summary>
/// Shifts the image by a random whole number of pixels, up to the given fractions of its height
/// and width in either direction (Keras's RandomTranslation); uncovered pixels get <c>fill</c>.
/// </summary>
public sealed class RandomTranslation(float heightFactor, float widthFactor, float fill = 0f, int? seed = null) : ImageTransform(seed)
{
    /// <inheritdoc/>
    protected override void Transform(float[] input, int height, int width, int channels, float[] output)
    {
        int maxDy = (int)(heightFactor * height), maxDx = (int)(widthFactor * width);
        int dy = Random.Next(-maxDy, maxDy + 1), dx = Random.Next(-maxDx, maxDx + 1);
        Shift(input, height, width, channels, dy, dx, fill, output);
    }
}
