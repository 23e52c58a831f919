using Nerva.Data.Preprocessing;

namespace Nerva.Data.Selection;

/// <summary>Runs a train-and-score function once per fold of a splitter, as scikit-learn's cross_validate.</summary>
public static class CrossValidation
{
    /// <summary>
    /// Calls <paramref name="trainAndScore"/>(xTrain, yTrain, xTest, yTest) for each fold of
    /// <paramref name="folds"/> (5-fold <see cref="KFold"/> when null) and collects the scores.
    /// </summary>
    /// <remarks>The function should build a fresh model each time, so that no fold sees another fold's training.</remarks>
    /// <example><code>
    /// var result = CrossValidation.CrossValidate((xTr, yTr, xTe, yTe) =>
    /// {
    ///     var model = BuildModel();
    ///     model.Fit(xTr, yTr, epochs: 20);
    ///     return model.Evaluate(xTe, yTe)["accuracy"];
    /// }, x, y, new StratifiedKFold(5, shuffle: true, seed: 0));
    /// Console.WriteLine(result);   // e.g. 0.9533 ± 0.02667 over 5 folds
    /// </code></example>
    /// <param name="trainAndScore">Trains on the first pair of tensors and returns a score on the second.</param>
    /// <param name="x">The features, samples along dimension 0.</param>
    /// <param name="y">The labels or targets, one row per sample (also the stratification labels).</param>
    /// <param name="folds">The cross-validation scheme.</param>
    public static CrossValidationResult CrossValidate(
        Func<Tensor, Tensor, Tensor, Tensor, float> trainAndScore, Tensor x, Tensor y, IFoldSplitter? folds = null)
    {
        ArgumentNullException.ThrowIfNull(trainAndScore);
        RowSelect.CheckSameRows(x, y, "CrossValidation");
        folds ??= new KFold(5);
        // Labels go to the splitter only when they are class labels ([n] or [n, 1]); regression
        // targets of other shapes still work with KFold, which ignores them.
        Tensor? labels = y.Rank == 1 || (y.Rank == 2 && y.Dims[1] == 1) ? y : null;
        var scores = new List<float>(folds.NSplits);
        foreach (var (train, test) in folds.Split(x.Dims[0], labels))
            scores.Add(trainAndScore(RowSelect.Rows(x, train), RowSelect.Rows(y, train), RowSelect.Rows(x, test), RowSelect.Rows(y, test)));
        return new CrossValidationResult(scores.ToArray());
    }
}
