using Nerva.Losses;

namespace Nerva.Metrics;

/// <summary>
/// Metrics by their Keras names and aliases; a metric made from a name is named by it in logs.
/// Named MetricRegistry, not Metrics, because a type named like its enclosing namespace makes
/// <c>Metrics.Get</c> resolve to the namespace in every other Nerva namespace.
/// </summary>
public static class MetricRegistry
{
    private static readonly Dictionary<string, Func<string, Metric>> Factories = new()
    {
        ["binary_accuracy"] = n => new BinaryAccuracy(name: n),
        ["categorical_accuracy"] = n => new CategoricalAccuracy(n),
        ["sparse_categorical_accuracy"] = n => new SparseCategoricalAccuracy(n),
        ["precision"] = n => new Precision(name: n),
        ["recall"] = n => new Recall(name: n),
        ["f1"] = n => new F1Score(name: n), ["f1_score"] = n => new F1Score(name: n),
        ["auc"] = n => new Auc(n),
        ["mae"] = n => new MeanAbsoluteErrorMetric(n), ["mean_absolute_error"] = n => new MeanAbsoluteErrorMetric(n),
        ["mse"] = n => new MeanSquaredErrorMetric(n), ["mean_squared_error"] = n => new MeanSquaredErrorMetric(n),
        ["rmse"] = n => new RootMeanSquaredError(n), ["root_mean_squared_error"] = n => new RootMeanSquaredError(n),
        ["r2"] = n => new R2Score(n), ["r2_score"] = n => new R2Score(n),
    };

    /// <summary>The names <see cref="Get"/> accepts besides "accuracy" and "acc".</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>
    /// A new metric for a name such as "accuracy", "precision", "f1", "auc", "mae" or "r2"; "accuracy"
    /// (or "acc") picks the kind that fits <paramref name="loss"/> as Keras does: binary for
    /// binary_crossentropy, categorical for categorical_crossentropy, sparse for
    /// sparse_categorical_crossentropy, and otherwise by the shapes of each batch.
    /// </summary>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known names.</exception>
    public static Metric Get(string name, Loss? loss = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name is "accuracy" or "acc")
        {
            return loss switch
            {
                BinaryCrossentropy => new BinaryAccuracy(name: name),
                CategoricalCrossentropy => new CategoricalAccuracy(name),
                SparseCategoricalCrossentropy => new SparseCategoricalAccuracy(name),
                _ => new InferredAccuracy(name),
            };
        }
        return Factories.TryGetValue(name, out var make) ? make(name)
            : throw new ArgumentException($"Metric: unknown metric '{name}'; expected accuracy, acc, {string.Join(", ", Factories.Keys)}.", nameof(name));
    }
}
