namespace Nerva.Optimizers;

/// <summary>Optimizers by their Keras names, with Keras's default hyperparameters (named so as not to clash with the namespace).</summary>
public static class OptimizerRegistry
{
    /// <summary>The names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sgd", "adam", "adamw", "rmsprop", "adagrad"];

    /// <summary>A new optimizer for "sgd", "adam", "adamw", "rmsprop" or "adagrad" (case-insensitive).</summary>
    /// <param name="name">The Keras name of the optimizer.</param>
    public static Optimizer Get(string name) => name?.ToLowerInvariant() switch
    {
        "sgd" => new Sgd(),
        "adam" => new Adam(),
        "adamw" => new AdamW(),
        "rmsprop" => new RmsProp(),
        "adagrad" => new Adagrad(),
        _ => throw new ArgumentException($"Optimizer: unknown optimizer '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name)),
    };
}
