namespace Nerva.Data.Augmentation;

/// <summary>
/// A random transformation of one image [height, width, channels] (NHWC without the batch), for
/// augmentation: pass <c>transform.Apply</c> to a <see cref="DataLoader"/>. A seed makes the
/// sequence of random choices repeatable.
/// </summary>
public abstract class ImageTransform
{
    /// <summary>The random source, seeded when a seed is given.</summary>
    protected Random Random { get; }

    /// <summary>Creates the transform's random source.</summary>
    protected ImageTransform(int? seed) => Random = seed is int s ? new Random(s) : new Random();

    /// <summary>Transforms one image (a new tensor; the input is not changed).</summary>
    public Tensor Apply(Tensor image)
    {
        if (image.Rank != 3)
            throw ShapeUtil.Error(GetType().Name, "an image [height, width, channels]", ShapeUtil.Format(image.Dims));
        var result = new float[image.Size];
        Transform(image.Data, image.Dims[0], image.Dims[1], image.Dims[2], result);
        return new Tensor(result, image.Dims);
    }

    /// <summary>Writes the transformed image into <paramref name="output"/> (same shape, row-major HWC).</summary>
    protected abstract void Transform(float[] input, int height, int width, int channels, float[] output);

    /// <summary>Moves the image by (dy, dx) whole pixels, filling uncovered pixels with <paramref name="fill"/>.</summary>
    protected static void Shift(float[] input, int height, int width, int channels, int dy, int dx, float fill, float[] output)
    {
        for (int y = 0; y < height; y++)
        {
            int sy = y - dy;
            for (int x = 0; x < width; x++)
            {
                int sx = x - dx;
                bool inside = (uint)sy < (uint)height && (uint)sx < (uint)width;
                for (int c = 0; c < channels; c++)
                    output[(y * width + x) * channels + c] = inside ? input[(sy * width + sx) * channels + c] : fill;
            }
        }
    }
}
