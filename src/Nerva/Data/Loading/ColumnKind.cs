namespace Nerva.Data;

/// <summary>How a CSV column's values are read.</summary>
public enum ColumnKind
{
    /// <summary>Numbers; missing values become NaN.</summary>
    Numeric,

    /// <summary>Text categories; missing values become null.</summary>
    Categorical,
}
