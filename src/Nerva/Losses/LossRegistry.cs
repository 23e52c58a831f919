namespace Nerva.Losses;

/// <summary>
/// Losses by their Keras names, aliases and class names ("mse", "mean_squared_error",
/// "MeanSquaredError"). Named LossRegistry, not Losses, because a type named like its enclosing
/// namespace makes <c>Losses.Get</c> resolve to the namespace in every other Nerva namespace.
/// </summary>
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

    /// <summary>The names <see cref="Get"/> accepts (class names aside).</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>A new loss for a Keras name such as "mse" or "sparse_categorical_crossentropy", or a class name such as "Huber".</summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static Loss Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Factories.TryGetValue(name, out var make)) return make();
        foreach (var factory in Factories.Values)
        {
            var loss = factory();
            if (loss.GetType().Name == name) return loss;
        }
        throw new ArgumentException($"Loss: unknown loss '{name}'; expected one of {string.Join(", ", Factories.Keys)}.", nameof(name));
    }
}
