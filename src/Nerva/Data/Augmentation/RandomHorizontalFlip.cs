namespace Nerva.Data.Augmentation;

/// <summary>Mirrors the image left to right with probability <c>probability</c>.</summary>
public sealed class RandomHorizontalFlip(float probability = 0.5f, int? seed = null) : ImageTransform(seed)
{
    /// <inheritdoc/>
    protected override void Transform(float[] input, int height, int width, int channels, float[] output)
    {
        bool flip = Random.NextDouble() < probability;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int sx = flip ? width - 1 - x : x;
                Array.Copy(input, (y * width + sx) * channels, output, (y * width + x) * channels, channels);
            }
    }
}
