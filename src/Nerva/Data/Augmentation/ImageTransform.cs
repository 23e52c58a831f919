using Nerva.Kernels;

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
        // Output (x, y) reads input (x − dx, y − dy): a whole-pixel translation, so nearest sampling copies pixels exactly.
        Span<float> transform = [1f, 0f, -dx, 0f, 1f, -dy, 0f, 0f];
        AffineTransform.Forward(input, output, 1, height, width, channels, transform,
            AffineTransform.Interpolation.Nearest, AffineTransform.FillMode.Constant, fill);
    }
}
