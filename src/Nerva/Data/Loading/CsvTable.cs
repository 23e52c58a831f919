namespace Nerva.Data;

/// <summary>A table read by <see cref="Csv"/>: named columns, each numeric (NaN = missing) or categorical (null = missing).</summary>
public sealed class CsvTable
{
    private readonly string source;
    private readonly string[] columns;
    private readonly float[]?[] numeric;
    private readonly string?[]?[] text;

    internal CsvTable(string source, string[] columns, float[]?[] numeric, string?[]?[] text, int rowCount)
    {
        this.source = source;
        this.columns = columns;
        this.numeric = numeric;
        this.text = text;
        RowCount = rowCount;
    }

    /// <summary>The column names, in file order.</summary>
    public IReadOnlyList<string> Columns => columns;

    /// <summary>The number of data rows.</summary>
    public int RowCount { get; }

    /// <summary>Whether a column was read as numbers or as categories.</summary>
    public ColumnKind Kind(string column) => numeric[IndexOf(column)] is not null ? ColumnKind.Numeric : ColumnKind.Categorical;

    /// <summary>A numeric column's values (NaN where missing).</summary>
    public float[] Numeric(string column)
    {
        int c = IndexOf(column);
        return (float[])(numeric[c] ?? throw new InvalidOperationException($"{source}: column '{column}' is categorical, not numeric; encode it first (LabelEncoder or OneHotEncoder).")).Clone();
    }

    /// <summary>A categorical column's values (null where missing).</summary>
    public string?[] Categories(string column)
    {
        int c = IndexOf(column);
        return (string?[])(text[c] ?? throw new InvalidOperationException($"{source}: column '{column}' is numeric, not categorical.")).Clone();
    }

    /// <summary>Numeric columns side by side as a [rows, columns] tensor (all numeric columns when none are named).</summary>
    public Tensor ToTensor(params string[] names)
    {
        if (names.Length == 0) names = columns.Where(c => Kind(c) == ColumnKind.Numeric).ToArray();
        var data = new float[RowCount * names.Length];
        for (int j = 0; j < names.Length; j++)
        {
            var values = Numeric(names[j]);
            for (int r = 0; r < RowCount; r++) data[r * names.Length + j] = values[r];
        }
        return new Tensor(data, [RowCount, names.Length]);
    }

    /// <summary>
    /// Features from the named numeric columns (all other numeric columns when none are named) and
    /// labels from <paramref name="label"/>: a categorical label becomes class indices over its sorted
    /// distinct values, returned as <paramref name="classes"/>.
    /// </summary>
    public (Tensor Features, Tensor Labels) ToFeaturesAndLabels(string label, out string[] classes, params string[] features)
    {
        IndexOf(label);
        if (features.Length == 0) features = columns.Where(c => c != label && Kind(c) == ColumnKind.Numeric).ToArray();
        var x = ToTensor(features);
        if (Kind(label) == ColumnKind.Numeric)
        {
            classes = [];
            return (x, Tensor.FromArray(Numeric(label), RowCount));
        }
        var values = Categories(label);
        if (Array.IndexOf(values, null) is int missing and >= 0)
            throw new InvalidDataException($"{source}: label column '{label}' is missing a value in data row {missing + 1}.");
        classes = values.Distinct().Order(StringComparer.Ordinal).ToArray()!;
        var lookup = classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => (float)p.i);
        return (x, Tensor.FromArray(values.Select(v => lookup[v!]).ToArray(), RowCount));
    }

    private int IndexOf(string column)
    {
        int c = Array.IndexOf(columns, column);
        if (c < 0) throw new ArgumentException($"{source}: no column '{column}'; the columns are {string.Join(", ", columns)}.");
        return c;
    }
}
