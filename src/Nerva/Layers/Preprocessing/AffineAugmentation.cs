using Nerva.Initializers;
using Resampler = Nerva.Kernels.AffineTransform;

namespace Nerva.Layers;

/// <summary>
/// The shared part of the geometric augmentation layers (<see cref="RandomTranslation"/>,
/// <see cref="RandomRotation"/>, <see cref="RandomZoom"/>): in training each image of the batch gets
/// its own random transform, resampled with Keras's fill modes and interpolation
/// (<see cref="Tensor.AffineTransform"/>); at inference images pass through unchanged.
/// </summary>
public abstract class AffineAugmentation : Layer
{
    private readonly Random random;
    private readonly Resampler.FillMode fill;
    private readonly Resampler.Interpolation sampling;

    /// <summary>Checks the shared arguments and seeds the layer's random source (from <see cref="RandomState"/> when no seed is given).</summary>
    protected AffineAugmentation(string fillMode, string interpolation, int? seed, float fillValue, string? name) : base(name)
    {
        fill = Resampler.ParseFillMode(fillMode, GetType().Name);
        sampling = Resampler.ParseInterpolation(interpolation, GetType().Name);
        Seed = seed;
        FillValue = fillValue;
        random = seed is int s ? new Random(s) : RandomState.NextRandom();
    }

    /// <summary>How points outside the image are filled: "reflect", "wrap", "constant" or "nearest".</summary>
    public string FillMode => Resampler.Name(fill);

    /// <summary>"bilinear" or "nearest".</summary>
    public string Interpolation => Resampler.Name(sampling);

    /// <summary>The value outside the image when <see cref="FillMode"/> is "constant".</summary>
    public float FillValue { get; }

    /// <summary>The seed of the layer's random source, if one was given.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != 4) throw ShapeUtil.Error(Name, "images [batch, height, width, channels]", ShapeUtil.Format(input.Dims));
        if (!training) return input;
        int n = input.Dims[0], height = input.Dims[1], width = input.Dims[2];
        var transforms = new float[n * Resampler.TransformLength];
        for (int i = 0; i < n; i++)
        {
            var row = transforms.AsSpan(i * Resampler.TransformLength, Resampler.TransformLength);
            Draw(random, height, width, row);
        }
        return input.AffineTransform(new Tensor(transforms, [n, Resampler.TransformLength]), Interpolation, FillMode, FillValue);
    }

    /// <summary>
    /// Draws one image's transform into <paramref name="transform"/> (zeroed, Keras's
    /// [a0, a1, a2, b0, b1, b2, c0, c1]): the map from output pixel (x, y) to the input point
    /// (a0·x + a1·y + a2, b0·x + b1·y + b2).
    /// </summary>
    protected abstract void Draw(Random random, int height, int width, Span<float> transform);

    /// <summary>The config entries every augmentation layer shares, added to the layer's own.</summary>
    protected Dictionary<string, object?> Config(params (string Key, object? Value)[] own)
    {
        var config = new Dictionary<string, object?> { ["name"] = Name };
        foreach (var (key, value) in own) config[key] = value;
        config["fill_mode"] = FillMode;
        config["interpolation"] = Interpolation;
        config["seed"] = Seed;
        config["fill_value"] = FillValue;
        return config;
    }
}
