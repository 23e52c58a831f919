namespace Nerva.Layers;

/// <summary>Cuts rows and columns off each image's edges: [N, H, W, C] → [N, H − top − bottom, W − left − right, C].</summary>
public sealed class Cropping2D(int top, int bottom, int left, int right, string? name = null) : Layer(name)
{
    /// <summary>The same cropping on every side.</summary>
    public Cropping2D(int cropping = 1) : this(cropping, cropping, cropping, cropping) { }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != 4 || top + bottom >= input.Dims[1] || left + right >= input.Dims[2])
            throw ShapeUtil.Error(Name, $"images [batch, height, width, channels] larger than the cropping ({top}+{bottom}, {left}+{right})", ShapeUtil.Format(input.Dims));
        return input.Slice(1, top, input.Dims[1] - bottom).Slice(2, left, input.Dims[2] - right);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["top"] = top, ["bottom"] = bottom, ["left"] = left, ["right"] = right,
    };
}
