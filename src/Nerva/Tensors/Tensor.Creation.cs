namespace Nerva;

public sealed partial class Tensor
{
    /// <summary>A tensor holding a copy of <paramref name="data"/> in the given shape (1-D when no shape is given).</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Length == 0) shape = [data.Length];
        int size = ShapeUtil.SizeOf(shape, "FromArray");
        if (size != data.Length)
            throw ShapeUtil.Error("FromArray", $"{size} values for shape {ShapeUtil.Format(shape)}", $"{data.Length}");
        return new Tensor(Copy(data), (int[])shape.Clone());
    }

    /// <summary>A pooled copy of <paramref name="source"/>.</summary>
    private static float[] Copy(float[] source)
    {
        var copy = BufferPool.Floats(source.Length);
        source.CopyTo(copy, 0);
        return copy;
    }

    /// <summary>A 2-D tensor holding a copy of a rectangular array.</summary>
    public static Tensor FromArray(float[,] data)
    {
        int rows = data.GetLength(0), cols = data.GetLength(1);
        var flat = BufferPool.Floats(rows * cols);
        Buffer.BlockCopy(data, 0, flat, 0, flat.Length * sizeof(float));
        return new Tensor(flat, [rows, cols]);
    }

    /// <summary>A rank-0 tensor holding one value.</summary>
    public static Tensor Scalar(float value) => new([value], []);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(BufferPool.ZeroedFloats(ShapeUtil.SizeOf(shape, "Zeros")), (int[])shape.Clone());

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(shape, 1f);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value)
    {
        var data = BufferPool.Floats(ShapeUtil.SizeOf(shape, "Full"));
        Array.Fill(data, value);
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>Zeros in the shape of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => new(BufferPool.ZeroedFloats(like.Size), like.Dims);

    /// <summary>Ones in the shape of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => Full(like.Dims, 1f);

    /// <summary>Values from <paramref name="start"/> up to (not including) <paramref name="end"/> by <paramref name="step"/>, as torch.arange.</summary>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0 || float.IsNaN(step))
            throw new ArgumentException("Arange: expected a non-zero step, got " + step + ".");
        int count = Math.Max(0, (int)Math.Ceiling((end - start) / (double)step));
        var data = new float[count];
        for (int i = 0; i < count; i++) data[i] = (float)(start + i * (double)step);
        return new Tensor(data, [count]);
    }

    /// <summary>Values 0, 1, ..., <paramref name="end"/> - 1.</summary>
    public static Tensor Arange(int end) => Arange(0, end);

    /// <summary><paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/> inclusive.</summary>
    public static Tensor Linspace(float start, float end, int steps)
    {
        if (steps < 0) throw new ArgumentException($"Linspace: expected steps >= 0, got {steps}.");
        var data = new float[steps];
        double delta = steps > 1 ? (end - (double)start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) data[i] = (float)(start + i * delta);
        if (steps > 1) data[^1] = end;
        return new Tensor(data, [steps]);
    }

    /// <summary>The n-by-m identity matrix (m defaults to n).</summary>
    public static Tensor Eye(int n, int? m = null)
    {
        int cols = m ?? n;
        var t = Zeros(n, cols);
        for (int i = 0; i < Math.Min(n, cols); i++) t.Data[i * cols + i] = 1f;
        return t;
    }

    /// <summary>Samples from a normal distribution; a seed makes it repeatable.</summary>
    public static Tensor RandomNormal(int[] shape, float mean = 0, float std = 1, int? seed = null)
    {
        var data = BufferPool.Floats(ShapeUtil.SizeOf(shape, "RandomNormal"));
        var rng = seed is int s ? new Random(s) : Random.Shared;
        // Box-Muller: two uniforms give two independent standard normals.
        for (int i = 0; i < data.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            data[i] = (float)(mean + std * r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < data.Length) data[i + 1] = (float)(mean + std * r * Math.Sin(2 * Math.PI * u2));
        }
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>Samples uniformly from [low, high); a seed makes it repeatable.</summary>
    public static Tensor RandomUniform(int[] shape, float low = 0, float high = 1, int? seed = null)
    {
        var data = BufferPool.Floats(ShapeUtil.SizeOf(shape, "RandomUniform"));
        var rng = seed is int s ? new Random(s) : Random.Shared;
        for (int i = 0; i < data.Length; i++) data[i] = (float)(low + (high - (double)low) * rng.NextDouble());
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>A copy of the values in new storage; gradients flow through it, as torch.clone.</summary>
    public Tensor Clone() => Record(new Tensor(Copy(Data), Dims), "Clone", [this], g => [g]);
}
