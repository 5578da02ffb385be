using System.Buffers.Binary;
using System.IO.Hashing;

namespace OrgActors.Api.Tests.Organizations;

/// <summary>
/// The smallest whole images of each format the logo check takes: the structure it reads (headers,
/// chunks and their checksums, segments, blocks, end markers), with placeholder pixel data it never decodes.
/// </summary>
public static class TestImages
{
    /// <summary>
    /// Signature, IHDR (8-bit RGBA unless told), a PLTE when asked, a chunk of the caller's before the data
    /// when asked, one IDAT, IEND, each chunk with its CRC-32.
    /// </summary>
    public static byte[] Png(int width, int height, byte bitDepth = 8, byte colorType = 6, bool palette = false,
        (string Type, byte[] Data)? extraChunk = null, byte[]? imageData = null)
    {
        var bytes = new List<byte> { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
        AddChunk(bytes, "IHDR"u8, PngHeader(width, height, bitDepth, colorType));
        if (palette) AddChunk(bytes, "PLTE"u8, [0, 0, 0, 255, 255, 255]);
        if (extraChunk is { } extra) AddChunk(bytes, System.Text.Encoding.ASCII.GetBytes(extra.Type), extra.Data);
        AddChunk(bytes, "IDAT"u8, imageData ?? [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        AddChunk(bytes, "IEND"u8, []);
        return bytes.ToArray();
    }

    /// <summary>An IHDR chunk's data: width, height, bit depth, colour type; compression, filter and interlace 0.</summary>
    public static byte[] PngHeader(int width, int height, byte bitDepth = 8, byte colorType = 6)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth; header[9] = colorType;
        return header;
    }

    /// <summary>SOI, an APP0 segment, a baseline frame header (SOF0) with the size, a scan header, coded data, EOI.</summary>
    public static byte[] Jpeg(int width, int height)
    {
        var bytes = new List<byte> { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10 };
        bytes.AddRange("JFIF\0"u8.ToArray());
        bytes.AddRange(new byte[9]);
        bytes.AddRange(new byte[] { 0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03 });
        bytes.AddRange(new byte[9]);
        bytes.AddRange(new byte[] { 0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00 });
        bytes.AddRange(new byte[] { 0x12, 0x34, 0x56 });
        bytes.AddRange(new byte[] { 0xFF, 0xD9 });
        return bytes.ToArray();
    }

    /// <summary>Header and logical screen (no colour table), one image with its LZW data in one sub-block, the trailer.</summary>
    public static byte[] Gif(int width, int height)
    {
        var bytes = new List<byte>("GIF89a"u8.ToArray());
        bytes.AddRange(new byte[] { (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x00, 0x00, 0x00 });
        bytes.AddRange(new byte[] { 0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x00 });
        bytes.AddRange(new byte[] { 0x02, 0x02, 0x4C, 0x01, 0x00 });
        bytes.Add(0x3B);
        return bytes.ToArray();
    }

    private static void AddChunk(List<byte> bytes, ReadOnlySpan<byte> type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        bytes.AddRange(length.ToArray());
        var typeAndData = type.ToArray().Concat(data).ToArray();
        bytes.AddRange(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typeAndData));
        bytes.AddRange(crc.ToArray());
    }
}
