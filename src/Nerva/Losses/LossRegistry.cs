namespace Nerva.Losses;

/// <summary>Losses by their Keras names and aliases.</summary>
public static class LossRegistry
{
    private static readonly Dictionary<string, Func<Loss>> Factories = new()
    {
        ["mean_squared_error"] = () => new MeanSquaredError(), ["mse"] = () => new MeanSquaredError(),
        ["mean_absolute_error"] = () => new MeanAbsoluteError(), ["mae"] = () => new MeanAbsoluteError(),
        ["huber"] = () => new Huber(),
        ["binary_crossentropy"] = () => new BinaryCrossentropy(),
        ["categorical_crossentropy"] = () => new CategoricalCrossentropy(),
        ["sparse_categorical_crossentropy"] = () => new SparseCategoricalCrossentropy(),
        ["kl_divergence"] = () => new KLDivergence(), ["kld"] = () => new KLDivergence(),
        ["hinge"] = () => new Hinge(),
    };

    /// <summary>A new loss for a Keras name such as "mse" or "sparse_categorical_crossentropy".</summary>
    public static Loss Get(string name) =>
        Factories.TryGetValue(name, out var make) ? make()
        : throw new ArgumentException($"Loss: unknown loss '{name}'; expected one of {string.Join(", ", Factories.Keys)}.");
}
