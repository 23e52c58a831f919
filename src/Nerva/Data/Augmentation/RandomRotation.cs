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
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                // Inverse mapping: where in the input does output pixel (y, x) come from?
                double sx = cos * (x - cx) + sin * (y - cy) + cx;
                double sy = -sin * (x - cx) + cos * (y - cy) + cy;
                for (int c = 0; c < channels; c++)
                    output[(y * width + x) * channels + c] = Bilinear(input, height, width, channels, sy, sx, c);
            }
        }
    }

    private float Bilinear(float[] input, int height, int width, int channels, double y, double x, int c)
    {
        int y0 = (int)Math.Floor(y), x0 = (int)Math.Floor(x);
        double fy = y - y0, fx = x - x0;
        double Pixel(int py, int px) => (uint)py < (uint)height && (uint)px < (uint)width ? input[(py * width + px) * channels + c] : fill;
        return (float)((1 - fy) * ((1 - fx) * Pixel(y0, x0) + fx * Pixel(y0, x0 + 1)) + fy * ((1 - fx) * Pixel(y0 + 1, x0) + fx * Pixel(y0 + 1, x0 + 1)));
    }
}
