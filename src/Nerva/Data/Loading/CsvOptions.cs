namespace Nerva.Data;

/// <summary>How <see cref="Csv"/> reads a file.</summary>
public sealed record CsvOptions
{
    /// <summary>Whether the first (non-skipped) line names the columns; otherwise they are named "0", "1", ....</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The field separator.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Lines to skip before the header or the first row (e.g. a metadata line).</summary>
    public int SkipLines { get; init; }

    /// <summary>Column kinds by name; columns not listed are inferred (numeric when every present value parses).</summary>
    public IReadOnlyDictionary<string, ColumnKind>? ColumnTypes { get; init; }

    /// <summary>Field texts that mean "missing" (compared after trimming, case-sensitively).</summary>
    public IReadOnlySet<string> MissingValues { get; init; } = new HashSet<string> { "", "NA", "N/A", "NaN", "nan", "?", "null" };
}
