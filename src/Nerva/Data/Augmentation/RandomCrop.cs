namespace Nerva.Data.Augmentation;

/// <summary>
/// Pads the image by <c>padding</c> pixels of <c>fill</c> on every side, then cuts a window of the
/// original size at a random position (torchvision's RandomCrop with padding, as used for CIFAR).
/// </summary>
public sealed class RandomCrop(int padding, float fill = 0f, int? seed = null) : ImageTransform(seed)
{
    /// <inheritdoc/>
    protected override void Transform(float[] input, int height, int width, int channels, float[] output)
    {
        // A crop of the padded image at offset (oy, ox) is the original shifted by (padding - oy, padding - ox).
        int oy = Random.Next(0, 2 * padding + 1), ox = Random.Next(0, 2 * padding + 1);
        Shift(input, height, width, channels, padding - oy, padding - ox, fill, output);
    }
}
