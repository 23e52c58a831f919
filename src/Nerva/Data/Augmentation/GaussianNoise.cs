namespace Nerva.Data.Augmentation;

/// <summary>Adds independent normal noise with standard deviation <c>stddev</c> to every value (Keras's GaussianNoise).</summary>
public sealed class GaussianNoise(float stddev, int? seed = null) : ImageTransform(seed)
{
    /// <inheritdoc/>
    protected override void Transform(float[] input, int height, int width, int channels, float[] output)
    {
        for (int i = 0; i < input.Length; i++)
        {
            // Box–Muller, one normal per pair of uniforms (simple; augmentation is not the hot path).
            double u1 = 1.0 - Random.NextDouble(), u2 = Random.NextDouble();
            output[i] = input[i] + (float)(stddev * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }
}
