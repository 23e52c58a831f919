namespace Nerva.Data.Selection;

/// <summary>A cross-validation scheme: splits sample indices into training and test folds, as scikit-learn's splitters.</summary>
public interface IFoldSplitter
{
    /// <summary>The number of folds (each sample is in the test set of exactly one).</summary>
    int NSplits { get; }

    /// <summary>
    /// The (training, test) index arrays of each fold, both ascending, for <paramref name="sampleCount"/>
    /// samples; <paramref name="labels"/> (one class per sample) is required by stratified splitters.
    /// </summary>
    IEnumerable<(int[] TrainIndices, int[] TestIndices)> Split(int sampleCount, Tensor? labels = null);
}
