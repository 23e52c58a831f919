using Nerva.Initializers;

namespace Nerva.Layers;

/// <summary>
/// In training, mirrors each image left–right ("horizontal"), top–bottom ("vertical") or either
/// ("horizontal_and_vertical") with probability ½ each; at inference it passes images through.
/// </summary>
public sealed class RandomFlip(string mode = "horizontal_and_vertical", int? seed = null, string? name = null) : Layer(name)
{
    private readonly Random random = seed is int s ? new Random(s) : RandomState.NextRandom();
    private readonly bool horizontal = mode.Contains("horizontal"), vertical = mode.Contains("vertical");

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != 4) throw ShapeUtil.Error(Name, "images [batch, height, width, channels]", ShapeUtil.Format(input.Dims));
        if (!training) return input;
        var images = input.Split(1, 0);
        for (int i = 0; i < images.Length; i++)
        {
            if (horizontal && random.NextDouble() < 0.5) images[i] = Flip(images[i], 2);
            if (vertical && random.NextDouble() < 0.5) images[i] = Flip(images[i], 1);
        }
        return Tensor.Concat(images, 0);
    }

    private static Tensor Flip(Tensor image, int axis)
    {
        int length = image.Dims[axis];
        var reversed = new float[length];
        for (int i = 0; i < length; i++) reversed[i] = length - 1 - i;
        return image.IndexSelect(axis, Tensor.FromArray(reversed));
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["mode"] = mode, ["seed"] = seed };
}
