using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace Nerva.Data;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (plain or gzip): a magic number
/// (0, 0, type 0x08 = unsigned byte, rank), the dimensions as big-endian int32, then the bytes.
/// </summary>
public static class Idx
{
    /// <summary>The raw bytes and shape of an unsigned-byte IDX file.</summary>
    /// <exception cref="InvalidDataException">A wrong magic number, an unsupported element type or a truncated file.</exception>
    public static (byte[] Data, int[] Shape) ReadBytes(string path)
    {
        using var stream = Compression.OpenMaybeGzip(path);
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"{path}: not an IDX file (bad magic number).");
        if (magic[2] != 0x08)
            throw new InvalidDataException($"{path}: IDX element type 0x{magic[2]:x2} is not supported (expected 0x08, unsigned byte).");
        int rank = magic[3];
        var shape = new int[rank];
        Span<byte> dim = stackalloc byte[4];
        long size = 1;
        for (int i = 0; i < rank; i++)
        {
            if (stream.ReadAtLeast(dim, 4, throwOnEndOfStream: false) < 4)
                throw new InvalidDataException($"{path}: truncated in the header (dimension {i} of {rank}).");
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(dim);
            if (shape[i] < 0) throw new InvalidDataException($"{path}: negative dimension {shape[i]} in the header.");
            size *= shape[i];
        }
        if (size > Array.MaxLength) throw new InvalidDataException($"{path}: {size} elements is more than one array can hold.");
        var data = new byte[size];
        int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < data.Length)
            throw new InvalidDataException($"{path}: truncated: the header promises {data.Length} bytes of data, the file has {read}.");
        return (data, shape);
    }

    /// <summary>Images [N, rows, cols] as an NHWC tensor [N, rows, cols, 1], scaled to [0, 1] unless <paramref name="scale"/> is false (0–255).</summary>
    public static Tensor ReadImages(string path, bool scale = true)
    {
        var (bytes, shape) = ReadBytes(path);
        if (shape.Length != 3) throw new InvalidDataException($"{path}: expected an image file of rank 3 [N, rows, cols], got rank {shape.Length}.");
        var pixels = ToFloats(bytes);
        if (scale) TensorPrimitives.Multiply(pixels, 1f / 255f, pixels);
        return new Tensor(pixels, [shape[0], shape[1], shape[2], 1]);
    }

    /// <summary>Labels [N] as class indices.</summary>
    public static Tensor ReadLabels(string path)
    {
        var (bytes, shape) = ReadBytes(path);
        if (shape.Length != 1) throw new InvalidDataException($"{path}: expected a label file of rank 1 [N], got rank {shape.Length}.");
        return new Tensor(ToFloats(bytes), [shape[0]]);
    }

    /// <summary>Widens bytes to floats with SIMD into an array that is not zeroed first (every element is written).</summary>
    private static float[] ToFloats(byte[] bytes)
    {
        var values = GC.AllocateUninitializedArray<float>(bytes.Length);
        TensorPrimitives.ConvertChecked<byte, float>(bytes, values);
        return values;
    }

    /// <summary>Writes bytes as an uncompressed IDX file (for tests and for exporting data).</summary>
    public static void Write(string path, byte[] data, params int[] shape)
    {
        if (ShapeUtil.SizeOf(shape, "Idx.Write") != data.Length)
            throw ShapeUtil.Error("Idx.Write", $"{ShapeUtil.SizeOf(shape)} bytes for shape {ShapeUtil.Format(shape)}", data.Length.ToString());
        using var stream = File.Create(path);
        stream.Write([0, 0, 0x08, (byte)shape.Length]);
        Span<byte> dim = stackalloc byte[4];
        foreach (int d in shape)
        {
            BinaryPrimitives.WriteInt32BigEndian(dim, d);
            stream.Write(dim);
        }
        stream.Write(data);
    }
}
