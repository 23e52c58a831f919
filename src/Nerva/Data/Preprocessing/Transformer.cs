namespace Nerva.Data.Preprocessing;

/// <summary>
/// The shared life of every tensor transformer: argument and shape checks, the fitted feature
/// count and the JSON envelope, so that each concrete transformer holds only its statistics and math.
/// </summary>
/// <remarks>
/// Its extension points are internal (the JSON state must stay loadable by each type's FromJson);
/// a transformer of your own implements <see cref="ITransformer"/> directly.
/// </remarks>
public abstract class Transformer : ITransformer
{
    /// <summary>The transformer's name as used in errors and in JSON (the type name).</summary>
    public string Name => GetType().Name;

    /// <inheritdoc/>
    public int FeatureCount { get; private set; }

    /// <inheritdoc/>
    public bool IsFitted => FeatureCount > 0;

    /// <inheritdoc/>
    public ITransformer Fit(Tensor x)
    {
        int rows = CheckMatrix(x, "Fit");
        if (rows == 0) throw new ArgumentException($"{Name}.Fit: expected at least one sample, got shape {ShapeUtil.Format(x.Dims)}.");
        FitCore(x.Data, rows, x.Dims[1]);
        FeatureCount = x.Dims[1];
        return this;
    }

    /// <inheritdoc/>
    public Tensor Transform(Tensor x)
    {
        int rows = CheckFitted(x, "Transform");
        return TransformCore(x.Data, rows);
    }

    /// <inheritdoc/>
    public Tensor FitTransform(Tensor x)
    {
        Fit(x);
        return Transform(x);
    }

    /// <inheritdoc/>
    public virtual Tensor InverseTransform(Tensor x) =>
        throw new NotSupportedException($"{Name}: InverseTransform is not defined for this transformer.");

    /// <inheritdoc/>
    public string ToJson() => TransformerJson.Write(Name, GetConfig(), FeatureCount, IsFitted ? GetState() : null);

    /// <summary>Learns the statistics from <paramref name="rows"/> rows of <paramref name="cols"/> values (row-major).</summary>
    private protected abstract void FitCore(float[] x, int rows, int cols);

    /// <summary>Transforms <paramref name="rows"/> checked rows of <see cref="FeatureCount"/> values.</summary>
    private protected abstract Tensor TransformCore(float[] x, int rows);

    /// <summary>The constructor's arguments, as a record serialised into "config".</summary>
    private protected abstract object GetConfig();

    /// <summary>The fitted statistics, as a record serialised into "state"; called only when fitted.</summary>
    private protected abstract object GetState();

    /// <summary>Marks loaded (or otherwise fitted) state as describing <paramref name="featureCount"/> features.</summary>
    private protected void SetFitted(int featureCount) => FeatureCount = featureCount;

    /// <summary>Checks that the transformer is fitted and <paramref name="x"/> has its feature count; returns the row count.</summary>
    private protected int CheckFitted(Tensor x, string method)
    {
        if (!IsFitted) throw new InvalidOperationException($"{Name}.{method}: the transformer is not fitted; call Fit first.");
        int rows = CheckMatrix(x, method);
        if (x.Dims[1] != FeatureCount)
            throw ShapeUtil.Error($"{Name}.{method}", $"shape [n, {FeatureCount}] ({FeatureCount} features, as fitted)", $"shape {ShapeUtil.Format(x.Dims)}");
        return rows;
    }

    private int CheckMatrix(Tensor x, string method)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2) throw ShapeUtil.Error($"{Name}.{method}", "a 2-D tensor [samples, features]", $"shape {ShapeUtil.Format(x.Dims)}");
        return x.Dims[0];
    }

    /// <summary>y[i, j] = (x[i, j] - center[j]) / scale[j]: standardising, as the scalers do it (divide, as sklearn does).</summary>
    private protected static Tensor CenterScale(float[] x, int rows, float[] center, float[] scale)
    {
        int cols = center.Length;
        var y = new float[x.Length];
        for (int i = 0; i < rows; i++)
        {
            int o = i * cols;
            for (int j = 0; j < cols; j++) y[o + j] = (x[o + j] - center[j]) / scale[j];
        }
        return new Tensor(y, [rows, cols]);
    }

    /// <summary>y[i, j] = x[i, j] * scale[j] + shift[j]: the inverse of <see cref="CenterScale"/>, and MinMaxScaler's map.</summary>
    private protected static Tensor ScaleShift(float[] x, int rows, float[] scale, float[] shift)
    {
        int cols = scale.Length;
        var y = new float[x.Length];
        for (int i = 0; i < rows; i++)
        {
            int o = i * cols;
            for (int j = 0; j < cols; j++) y[o + j] = x[o + j] * scale[j] + shift[j];
        }
        return new Tensor(y, [rows, cols]);
    }
}
