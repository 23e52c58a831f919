namespace Nerva.Optimizers;

/// <summary>Optimizers by their Keras names, with Keras's default hyperparameters.</summary>
public static class OptimizerRegistry
{
    /// <summary>A new optimizer for "sgd", "adam", "adamw", "rmsprop" or "adagrad".</summary>
    public static Optimizer Get(string name) => name.ToLowerInvariant() switch
    {
        "sgd" => new Sgd(),
        "adam" => new Adam(),
        "adamw" => new AdamW(),
        "rmsprop" => new RmsProp(),
        "adagrad" => new Adagrad(),
        _ => throw new ArgumentException($"Optimizer: unknown optimizer '{name}'; expected one of sgd, adam, adamw, rmsprop, adagrad."),
    };
}
