namespace Nerva.Layers;

/// <summary>Reorders the non-batch dimensions; <c>dims</c> numbers them from 1, as Keras does.</summary>
public sealed class Permute(int[] dims, string? name = null) : Layer(name)
{
    /// <summary>The new order of dimensions 1..n.</summary>
    public IReadOnlyList<int> Dims { get; } = dims;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (Dims.Count != input.Rank - 1 || Dims.Order().Select((d, i) => d == i + 1).Any(ok => !ok))
            throw ShapeUtil.Error(Name, $"a permutation of 1..{input.Rank - 1}", $"[{string.Join(", ", Dims)}]");
        return input.Permute([0, .. Dims]);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["dims"] = Dims.ToArray() };
}
