namespace Nerva.Layers;

/// <summary>The base of global pooling: reduce every axis between the batch and the channels, [N, ..., C] → [N, C].</summary>
public abstract class GlobalPooling(int spatialRank, bool keepDims, string? name) : Layer(name)
{
    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != spatialRank + 2)
            throw ShapeUtil.Error(Name, $"an input of rank {spatialRank + 2} [batch, {(spatialRank == 1 ? "steps" : "height, width")}, channels]", ShapeUtil.Format(input.Dims));
        var pooled = Reduce(input.Reshape(input.Dims[0], -1, input.Dims[^1]));
        return keepDims ? pooled.Reshape([input.Dims[0], .. Enumerable.Repeat(1, spatialRank), input.Dims[^1]]) : pooled;
    }

    /// <summary>Reduces [N, positions, C] over the positions.</summary>
    protected abstract Tensor Reduce(Tensor positions);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["keep_dims"] = keepDims };
}
