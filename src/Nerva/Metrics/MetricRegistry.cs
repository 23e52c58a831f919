using Nerva.Losses;

namespace Nerva.Metrics;

/// <summary>Metrics by their Keras names; "accuracy" picks the kind that fits the loss, as Keras does.</summary>
public static class MetricRegistry
{
    /// <summary>A new metric for a name such as "accuracy", "precision", "auc", "mae" or "r2".</summary>
    public static Metric Get(string name, Loss? loss = null) => name switch
    {
        "accuracy" or "acc" => loss switch
        {
            BinaryCrossentropy or Hinge => new BinaryAccuracy(),
            SparseCategoricalCrossentropy => new SparseCategoricalAccuracy(),
            _ => new CategoricalAccuracy(),
        },
        "binary_accuracy" => new BinaryAccuracy(),
        "categorical_accuracy" => new CategoricalAccuracy(),
        "sparse_categorical_accuracy" => new SparseCategoricalAccuracy(),
        "precision" => new Precision(),
        "recall" => new Recall(),
        "f1" or "f1_score" => new F1Score(),
        "auc" => new Auc(),
        "mae" or "mean_absolute_error" => new MeanAbsoluteErrorMetric(),
        "mse" or "mean_squared_error" => new MeanSquaredErrorMetric(),
        "rmse" or "root_mean_squared_error" => new RootMeanSquaredError(),
        "r2" or "r2_score" => new R2Score(),
        _ => throw new ArgumentException($"Metric: unknown metric '{name}'; expected accuracy, precision, recall, f1_score, auc, mae, mse, rmse or r2."),
    };
}
