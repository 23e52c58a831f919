using System.Buffers.Binary;
using System.Text.Json;

namespace Nerva.Models;

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
/// mapping each name to its dtype, shape and byte range, then the raw little-endian data. Other
/// tools (Python's safetensors, PyTorch, Keras) read these files directly. Floats are copied as
/// bytes, which assumes a little-endian machine (every platform .NET ships for today but s390x).
/// </summary>
internal static class Safetensors
{
    public static void Write(Stream stream, IReadOnlyList<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object>();
        if (metadata is not null) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, value) in tensors)
        {
            long bytes = (long)value.Size * sizeof(float);
            header[name] = new Dictionary<string, object> { ["dtype"] = "F32", ["shape"] = value.Dims, ["data_offsets"] = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        // The data starts 8-byte aligned, as the format recommends; the header is padded with spaces.
        int padded = (json.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, padded);
        stream.Write(length);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        foreach (var (_, value) in tensors) stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.Data.AsSpan()));
    }

    /// <summary>Reads every tensor, in file order; any inconsistency is an <see cref="InvalidDataException"/>.</summary>
    public static List<(string Name, Tensor Value)> Read(Stream stream, string source)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        if (bytes.Length < 8) throw new InvalidDataException($"{source}: truncated safetensors data (no header length).");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        if (headerLength <= 0 || headerLength > bytes.Length - 8) throw new InvalidDataException($"{source}: truncated or corrupted safetensors header (length {headerLength}).");
        var data = bytes[(8 + (int)headerLength)..];
        var result = new List<(string Name, Tensor Value, long Start)>();
        try
        {
            using var header = JsonDocument.Parse(memory.GetBuffer().AsMemory(8, (int)headerLength));
            foreach (var entry in header.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                var dtype = entry.Value.GetProperty("dtype").GetString();
                if (dtype != "F32") throw new InvalidDataException($"{source}: tensor '{entry.Name}' has dtype {dtype}; only F32 is supported.");
                var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
                var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
                long size = ShapeUtil.SizeOf(shape);
                if (offsets.Length != 2 || offsets[1] - offsets[0] != size * sizeof(float) || offsets[0] < 0 || offsets[1] > data.Length)
                    throw new InvalidDataException($"{source}: tensor '{entry.Name}' has byte range [{string.Join(", ", offsets)}] that does not fit its shape or the file (truncated?).");
                var values = new float[size];
                data.Slice((int)offsets[0], (int)(size * sizeof(float))).CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
                result.Add((entry.Name, new Tensor(values, shape), offsets[0]));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: corrupted safetensors header: {e.Message}", e);
        }
        // JSON objects are unordered; the data order is the writer's order.
        return [.. result.OrderBy(r => r.Start).Select(r => (r.Name, r.Value))];
    }
}
