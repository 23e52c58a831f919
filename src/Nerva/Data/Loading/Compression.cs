using System.IO.Compression;

namespace Nerva.Data;

/// <summary>Opens files that may be gzip-compressed, recognised by their magic bytes rather than their name.</summary>
internal static class Compression
{
    public static Stream OpenMaybeGzip(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No such file: {path}", path);
        var file = File.OpenRead(path);
        return WrapMaybeGzip(file);
    }

    public static Stream WrapMaybeGzip(Stream stream)
    {
        var buffered = new BufferedStream(stream, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int read = buffered.Read(magic);
        buffered.Seek(-read, SeekOrigin.Current);
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(buffered, CompressionMode.Decompress) : buffered;
    }
}
