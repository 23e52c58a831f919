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
        var (shape, size) = ReadHeader(stream, path);
        var data = new byte[size];
        int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < data.Length)
            throw new InvalidDataException($"{path}: truncated: the header promises {data.Length} bytes of data, the file has {read}.");
        return (data, shape);
    }

    /// <summary>Images [N, rows, cols] as an NHWC tensor [N, rows, cols, 1], scaled to [0, 1] unless <paramref name="scale"/> is false (0–255).</summary>
    public static Tensor ReadImages(string path, bool scale = true)
    {
        var (values, shape) = ReadFloats(path, scale ? 1f / 255f : 1f);
        if (shape.Length != 3) throw new InvalidDataException($"{path}: expected an image file of rank 3 [N, rows, cols], got rank {shape.Length}.");
        return new Tensor(values, [shape[0], shape[1], shape[2], 1]);
    }

    /// <summary>Labels [N] as class indices.</summary>
    public static Tensor ReadLabels(string path)
    {
        var (values, shape) = ReadFloats(path, 1f);
        if (shape.Length != 1) throw new InvalidDataException($"{path}: expected a label file of rank 1 [N], got rank {shape.Length}.");
        return new Tensor(values, [shape[0]]);
    }

    private static (int[] Shape, int Size) ReadHeader(Stream stream, string path)
    {
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
            if (size > Array.MaxLength) throw new InvalidDataException($"{path}: {size} elements is more than one array can hold.");
        }
        return (shape, (int)size);
    }

    /// <summary>
    /// The values as floats times <paramref name="scale"/>, widened chunk by chunk as they are decompressed,
    /// so that no copy of the file's bytes is held beside the floats (Fashion-MNIST's 47 MB of pixels).
    /// </summary>
    private static (float[] Values, int[] Shape) ReadFloats(string path, float scale)
    {
        using var stream = Compression.OpenMaybeGzip(path);
        var (shape, size) = ReadHeader(stream, path);
        var values = GC.AllocateUninitializedArray<float>(size);
        var chunk = new byte[Math.Min(size, 1 << 16)];
        for (int done = 0; done < size;)
        {
            int read = stream.ReadAtLeast(chunk.AsSpan(0, Math.Min(chunk.Length, size - done)), 1, throwOnEndOfStream: false);
            if (read == 0)
                throw new InvalidDataException($"{path}: truncated: the header promises {size} bytes of data, the file has {done}.");
            var target = values.AsSpan(done, read);
            TensorPrimitives.ConvertChecked<byte, float>(chunk.AsSpan(0, read), target);
            if (scale != 1f) TensorPrimitives.Multiply(target, scale, target);
            done += read;
        }
        return (values, shape);
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
