namespace Nerva.Data.Preprocessing;

/// <summary>
/// Encodes categorical columns as one-hot blocks, as scikit-learn's OneHotEncoder (dense output):
/// each column's categories are its distinct values, sorted, and a value becomes a 1 at its
/// category's position within that column's block.
/// </summary>
/// <remarks>
/// Categories come either from float columns (<see cref="Transformer.Fit"/> on a tensor; NaN is a
/// category of its own, sorted last) or from strings (<see cref="Fit(string[][])"/>; ordinal order).
/// With handleUnknown "error" an unseen value throws; with "ignore" its block is all zeros.
/// </remarks>
/// <example><code>
/// var encoder = new OneHotEncoder(handleUnknown: "ignore");
/// Tensor x = encoder.FitTransform([["red", "S"], ["blue", "M"]]);   // [2, 4]
/// </code></example>
public sealed class OneHotEncoder : Transformer
{
    private float[][]? numeric;
    private string[][]? strings;
    private Dictionary<float, int>[]? numericIndex;
    private Dictionary<string, int>[]? stringIndex;
    private int[] offsets = [0];

    /// <summary>Creates an encoder; <paramref name="handleUnknown"/> is "error" or "ignore".</summary>
    public OneHotEncoder(string handleUnknown = "error")
    {
        HandleUnknown = handleUnknown is "error" or "ignore" ? handleUnknown
            : throw new ArgumentException($"OneHotEncoder: expected handleUnknown \"error\" or \"ignore\", got \"{handleUnknown}\".", nameof(handleUnknown));
    }

    /// <summary>What an unseen category does: "error" throws, "ignore" encodes it as all zeros.</summary>
    public string HandleUnknown { get; }

    /// <summary>The sorted categories of each column when fitted on a float tensor (otherwise null).</summary>
    public IReadOnlyList<IReadOnlyList<float>>? NumericCategories => numeric;

    /// <summary>The sorted categories of each column when fitted on strings (otherwise null).</summary>
    public IReadOnlyList<IReadOnlyList<string>>? StringCategories => strings;

    /// <summary>The number of output columns: the total count of categories.</summary>
    public int OutputWidth => offsets[^1];

    private protected override void FitCore(float[] x, int rows, int cols) =>
        SetNumeric(Distinct(rows, cols, (i, j) => x[i * cols + j], NaNLast));

    /// <summary>Learns the categories of string columns: <paramref name="rows"/>[sample][column].</summary>
    public OneHotEncoder Fit(string[][] rows)
    {
        int cols = CheckStrings(rows, "Fit", expectedCols: null);
        if (rows.Length == 0) throw new ArgumentException("OneHotEncoder.Fit: expected at least one sample, got none.");
        SetStrings(Distinct(rows.Length, cols, (i, j) => rows[i][j], StringComparer.Ordinal.Compare));
        SetFitted(cols);
        return this;
    }

    /// <summary>One-hot encodes string columns with the categories seen by <see cref="Fit(string[][])"/>.</summary>
    public Tensor Transform(string[][] rows)
    {
        if (!IsFitted) throw new InvalidOperationException("OneHotEncoder.Transform: the encoder is not fitted; call Fit first.");
        if (stringIndex is null) throw new InvalidOperationException("OneHotEncoder.Transform: the encoder was fitted on a float tensor; transform a tensor, not strings.");
        CheckStrings(rows, "Transform", FeatureCount);
        return Encode(rows.Length, (i, j) => rows[i][j], stringIndex);
    }

    /// <summary>Fits on string columns and encodes them.</summary>
    public Tensor FitTransform(string[][] rows) => Fit(rows).Transform(rows);

    private protected override Tensor TransformCore(float[] x, int rows)
    {
        if (numericIndex is null) throw new InvalidOperationException("OneHotEncoder.Transform: the encoder was fitted on strings; transform string[][] rows, not a tensor.");
        int cols = FeatureCount;
        return Encode(rows, (i, j) => x[i * cols + j], numericIndex);
    }

    /// <summary>The category of each block as floats; an all-zero block (an ignored unknown) gives NaN.</summary>
    public override Tensor InverseTransform(Tensor x)
    {
        var numericCategories = numeric ?? throw new InvalidOperationException(
            "OneHotEncoder.InverseTransform: the encoder was not fitted on a float tensor; use InverseTransformStrings.");
        int[] positions = Decode(x, "InverseTransform");
        var y = new float[positions.Length];
        for (int k = 0; k < y.Length; k++)
            y[k] = positions[k] < 0 ? float.NaN : numericCategories[k % FeatureCount][positions[k]];
        return new Tensor(y, [x.Dims[0], FeatureCount]);
    }

    /// <summary>The category of each block as strings; an all-zero block (an ignored unknown) gives null.</summary>
    public string?[][] InverseTransformStrings(Tensor x)
    {
        var stringCategories = strings ?? throw new InvalidOperationException(
            "OneHotEncoder.InverseTransformStrings: the encoder was not fitted on strings; use InverseTransform.");
        int[] positions = Decode(x, "InverseTransformStrings");
        var rows = new string?[x.Dims[0]][];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new string?[FeatureCount];
            for (int j = 0; j < FeatureCount; j++)
            {
                int p = positions[i * FeatureCount + j];
                rows[i][j] = p < 0 ? null : stringCategories[j][p];
            }
        }
        return rows;
    }

    /// <summary>Restores an encoder saved by <see cref="Transformer.ToJson"/>.</summary>
    public static OneHotEncoder FromJson(string json)
    {
        const string type = nameof(OneHotEncoder);
        var (config, features, state) = TransformerJson.Read<Config, State>(json, type);
        var e = TransformerJson.Create(type, () => new OneHotEncoder(config.HandleUnknown ?? "error"));
        if (state is null) return e;
        if ((state.NumericCategories is null) == (state.StringCategories is null))
            throw TransformerJson.Invalid(type, "exactly one of \"numericCategories\" and \"stringCategories\"", "both or neither");
        if (state.NumericCategories is { } n)
            e.SetNumeric(CheckedCategories(TransformerJson.Checked(n, features, "numericCategories", type), NaNLast, type));
        else
            e.SetStrings(CheckedCategories(TransformerJson.Checked(state.StringCategories, features, "stringCategories", type), StringComparer.Ordinal.Compare, type));
        e.SetFitted(features);
        return e;
    }

    private protected override object GetConfig() => new Config(HandleUnknown);

    private protected override object GetState() => new State(numeric, strings);

    // ---------------------------------------------------------------- shared by both kinds of column

    /// <summary>Sorts floats with NaN last, where NumPy's np.unique (and so sklearn) puts it.</summary>
    private static int NaNLast(float a, float b) =>
        float.IsNaN(a) ? (float.IsNaN(b) ? 0 : 1) : float.IsNaN(b) ? -1 : a.CompareTo(b);

    private static T[][] Distinct<T>(int rows, int cols, Func<int, int, T> value, Comparison<T> order) where T : notnull
    {
        var result = new T[cols][];
        for (int j = 0; j < cols; j++)
        {
            var set = new HashSet<T>();
            for (int i = 0; i < rows; i++) set.Add(value(i, j));
            var sorted = set.ToArray();
            Array.Sort(sorted, order);
            result[j] = sorted;
        }
        return result;
    }

    private Tensor Encode<T>(int rows, Func<int, int, T> value, Dictionary<T, int>[] index) where T : notnull
    {
        int width = OutputWidth;
        var y = new float[rows * width];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < index.Length; j++)
            {
                T v = value(i, j);
                if (index[j].TryGetValue(v, out int k)) y[i * width + offsets[j] + k] = 1f;
                else if (HandleUnknown == "error")
                    throw new ArgumentException($"OneHotEncoder.Transform: unknown category \"{v}\" in column {j} (row {i}); " +
                        "known: " + LabelEncoder.Describe(index[j].Keys.ToArray()) + ". Use handleUnknown: \"ignore\" to encode it as zeros.");
            }
        return new Tensor(y, [rows, width]);
    }

    /// <summary>The position of the hot entry of each (row, column) block; -1 for an all-zero block.</summary>
    private int[] Decode(Tensor x, string method)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!IsFitted) throw new InvalidOperationException($"OneHotEncoder.{method}: the encoder is not fitted; call Fit first.");
        if (x.Rank != 2 || x.Dims[1] != OutputWidth)
            throw ShapeUtil.Error($"OneHotEncoder.{method}", $"shape [n, {OutputWidth}] (the encoded width)", $"shape {ShapeUtil.Format(x.Dims)}");
        int rows = x.Dims[0], width = OutputWidth;
        var positions = new int[rows * FeatureCount];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < FeatureCount; j++)
            {
                var block = x.Data.AsSpan(i * width + offsets[j], offsets[j + 1] - offsets[j]);
                int best = -1;
                for (int k = 0; k < block.Length; k++)
                    if (block[k] > 0 && (best < 0 || block[k] > block[best])) best = k;
                if (best < 0 && HandleUnknown == "error")
                    throw new ArgumentException($"OneHotEncoder.{method}: row {i} has no category in column {j}'s block, which handleUnknown \"error\" never produces.");
                positions[i * FeatureCount + j] = best;
            }
        return positions;
    }

    private static int CheckStrings(string[][] rows, string method, int? expectedCols)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int cols = expectedCols ?? (rows.Length > 0 ? rows[0]?.Length ?? 0 : 0);
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null || rows[i].Length != cols)
                throw ShapeUtil.Error($"OneHotEncoder.{method}", $"{cols} values in every row", $"{rows[i]?.Length.ToString() ?? "null"} in row {i}");
            if (Array.IndexOf(rows[i], null) is int j and >= 0)
                throw new ArgumentException($"OneHotEncoder.{method}: expected non-null categories, got null in row {i}, column {j}.");
        }
        return cols;
    }

    private static T[][] CheckedCategories<T>(T[][] categories, Comparison<T> order, string type)
    {
        foreach (var column in categories)
        {
            if (column is null || column.Length == 0) throw TransformerJson.Invalid(type, "a non-empty category list per column", "an empty one");
            for (int k = 0; k < column.Length; k++)
                if (column[k] is null || (k > 0 && order(column[k - 1], column[k]) >= 0))
                    throw TransformerJson.Invalid(type, "distinct, sorted, non-null categories", $"\"{column[k]}\" at position {k}");
        }
        return categories;
    }

    private void SetNumeric(float[][] categories)
    {
        (numeric, strings, stringIndex) = (categories, null, null);
        numericIndex = Index(categories);
    }

    private void SetStrings(string[][] categories)
    {
        (strings, numeric, numericIndex) = (categories, null, null);
        stringIndex = Index(categories, StringComparer.Ordinal);
    }

    private Dictionary<T, int>[] Index<T>(T[][] categories, IEqualityComparer<T>? comparer = null) where T : notnull
    {
        var index = new Dictionary<T, int>[categories.Length];
        offsets = new int[categories.Length + 1];
        for (int j = 0; j < categories.Length; j++)
        {
            index[j] = new Dictionary<T, int>(comparer);
            for (int k = 0; k < categories[j].Length; k++) index[j][categories[j][k]] = k;
            offsets[j + 1] = offsets[j] + categories[j].Length;
        }
        return index;
    }

    private sealed record Config(string? HandleUnknown);

    private sealed record State(float[][]? NumericCategories, string[][]? StringCategories);
}
