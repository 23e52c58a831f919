namespace Nerva.Data.Selection;

/// <summary>The per-fold scores of a cross-validation run, with their mean and population standard deviation.</summary>
public sealed class CrossValidationResult
{
    /// <summary>Wraps the scores of each fold, in fold order.</summary>
    public CrossValidationResult(float[] scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Length == 0) throw new ArgumentException("CrossValidationResult: expected at least one score, got none.", nameof(scores));
        Scores = (float[])scores.Clone();
        double mean = 0, squares = 0;
        foreach (float s in scores) mean += s;
        mean /= scores.Length;
        foreach (float s in scores) squares += (s - mean) * (s - mean);
        Mean = (float)mean;
        // Population std (divide by n), as NumPy's scores.std() that sklearn users report.
        Std = (float)Math.Sqrt(squares / scores.Length);
    }

    /// <summary>The score of each fold, in fold order.</summary>
    public IReadOnlyList<float> Scores { get; }

    /// <summary>The mean of the fold scores.</summary>
    public float Mean { get; }

    /// <summary>The population standard deviation of the fold scores.</summary>
    public float Std { get; }

    /// <summary>"mean ± std over k folds".</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Mean:G4} ± {Std:G4} over {Scores.Count} folds");
}
