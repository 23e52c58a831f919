namespace Nerva.Layers;

/// <summary>Adds rows and columns of zeros around each image: [N, H, W, C] → [N, top + H + bottom, left + W + right, C].</summary>
public sealed class ZeroPadding2D(int top, int bottom, int left, int right, string? name = null) : Layer(name)
{
    /// <summary>The same padding on every side.</summary>
    public ZeroPadding2D(int padding = 1) : this(padding, padding, padding, padding) { }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != 4) throw ShapeUtil.Error(Name, "images [batch, height, width, channels]", ShapeUtil.Format(input.Dims));
        return input.Pad([0, 0, left, right, top, bottom]);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["top"] = top, ["bottom"] = bottom, ["left"] = left, ["right"] = right,
    };
}
