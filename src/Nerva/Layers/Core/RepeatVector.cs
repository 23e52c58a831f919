namespace Nerva.Layers;

/// <summary>Repeats each input vector n times: [batch, features] → [batch, n, features].</summary>
public sealed class RepeatVector(int n, string? name = null) : Layer(name)
{
    /// <summary>The number of repetitions.</summary>
    public int N { get; } = n > 0 ? n : throw new ArgumentException($"RepeatVector: expected a positive count, got {n}.");

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != 2) throw ShapeUtil.Error(Name, "an input [batch, features]", ShapeUtil.Format(input.Dims));
        return input.Unsqueeze(1).Expand(input.Dims[0], N, input.Dims[1]);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["n"] = N };
}
