using Nerva.Kernels;

namespace Nerva.Data.Augmentation;

/// <summary>
/// Rotates the image about its centre by a random angle in [-maxDegrees, maxDegrees], sampling
/// bilinearly; pixels from outside the image get <c>fill</c>.
/// </summary>
public sealed class RandomRotation(float maxDegrees, float fill = 0f, int? seed = null) : ImageTransform(seed)
{
    /// <inheritdoc/>
    protected override void Transform(float[] input, int height, int width, int channels, float[] output)
    {
        double angle = (Random.NextDouble() * 2 - 1) * maxDegrees * Math.PI / 180;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double cy = (height - 1) / 2.0, cx = (width - 1) / 2.0;
        // Inverse mapping: output pixel (x, y) reads input (cos·(x − cx) + sin·(y − cy) + cx, −sin·(x − cx) + cos·(y − cy) + cy).
        Span<float> transform =
        [
            (float)cos, (float)sin, (float)(cx - cos * cx - sin * cy),
            (float)-sin, (float)cos, (float)(cy + sin * cx - cos * cy),
            0f, 0f,
        ];
        AffineTransform.Forward(input, output, 1, height, width, channels, transform,
            AffineTransform.Interpolation.Bilinear, AffineTransform.FillMode.Constant, fill);
    }
}
