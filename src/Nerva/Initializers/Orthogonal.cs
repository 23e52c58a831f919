namespace Nerva.Initializers;

/// <summary>
/// A (semi-)orthogonal matrix times <c>gain</c> (Saxe et al. 2014), Keras's default recurrent
/// kernel initializer. Higher-rank shapes are flattened to [prod(shape[..^1]), shape[^1]].
/// </summary>
public sealed class Orthogonal(float gain = 1f) : Initializer
{
    /// <inheritdoc/>
    public override string Name => "orthogonal";

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, int[] shape, Random random)
    {
        if (shape.Length < 2) throw new ArgumentException($"Orthogonal: expected a shape of rank >= 2, got rank {shape.Length}.");
        int cols = shape[^1], rows = values.Length / Math.Max(cols, 1);
        // Orthonormalise the columns of a tall Gaussian matrix (modified Gram–Schmidt); a wide matrix is done transposed.
        bool wide = rows < cols;
        int n = wide ? cols : rows, m = wide ? rows : cols; // n ≥ m: m orthonormal vectors of length n
        var q = new double[m, n];
        for (int j = 0; j < m; j++)
            for (int i = 0; i < n; i++) q[j, i] = RandomState.StandardNormal(random);
        for (int j = 0; j < m; j++)
        {
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += q[j, i] * q[k, i];
                for (int i = 0; i < n; i++) q[j, i] -= dot * q[k, i];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += q[j, i] * q[j, i];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < n; i++) q[j, i] /= norm;
        }
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                values[r * cols + c] = (float)(gain * (wide ? q[r, c] : q[c, r]));
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["gain"] = gain, ["seed"] = Seed };
}
