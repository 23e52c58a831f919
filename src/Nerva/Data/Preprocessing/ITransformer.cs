namespace Nerva.Data.Preprocessing;

/// <summary>
/// A preprocessing step in scikit-learn's shape: fitted on training data of shape
/// [samples, features], then applied to any data with the same number of features.
/// </summary>
/// <remarks>
/// Fitted state is saved and restored as JSON: <see cref="ToJson"/> on the instance and a static
/// <c>FromJson(string)</c> on each concrete type (for example <see cref="StandardScaler.FromJson"/>).
/// The document is <c>{"type", "config", "featureCount", "state"}</c>, where config holds the
/// constructor's arguments and state is null until the transformer is fitted.
/// </remarks>
public interface ITransformer
{
    /// <summary>Whether <see cref="Fit"/> has run (or fitted state was loaded).</summary>
    bool IsFitted { get; }

    /// <summary>The number of features seen by <see cref="Fit"/>; 0 before fitting.</summary>
    int FeatureCount { get; }

    /// <summary>Learns the statistics of <paramref name="x"/> ([samples, features]) and returns this transformer.</summary>
    ITransformer Fit(Tensor x);

    /// <summary>Applies the fitted transformation to <paramref name="x"/> ([samples, features]); the input is not modified.</summary>
    Tensor Transform(Tensor x);

    /// <summary>Fits on <paramref name="x"/> and transforms it.</summary>
    Tensor FitTransform(Tensor x);

    /// <summary>Maps transformed data back to the original space, where the transformation is invertible.</summary>
    Tensor InverseTransform(Tensor x);

    /// <summary>The configuration and fitted state as a JSON document.</summary>
    string ToJson();
}
