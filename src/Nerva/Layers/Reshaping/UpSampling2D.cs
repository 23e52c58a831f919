namespace Nerva.Layers;

/// <summary>Repeats each pixel sizeH × sizeW times (nearest neighbour): [N, H, W, C] → [N, H·sizeH, W·sizeW, C].</summary>
public sealed class UpSampling2D(int sizeH = 2, int sizeW = 2, string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != 4) throw ShapeUtil.Error(Name, "images [batch, height, width, channels]", ShapeUtil.Format(input.Dims));
        int n = input.Dims[0], h = input.Dims[1], w = input.Dims[2], c = input.Dims[3];
        // A broadcast axis after each spatial axis, expanded and merged back.
        return input.Reshape(n, h, 1, w, 1, c).Expand(n, h, sizeH, w, sizeW, c).Reshape(n, h * sizeH, w * sizeW, c);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["size_h"] = sizeH, ["size_w"] = sizeW };
}
