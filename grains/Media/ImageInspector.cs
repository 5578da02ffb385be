using System.Buffers.Binary;
using OrgActors.GrainInterfaces.Media;

namespace OrgActors.Grains.Media;

/// <summary>
/// Tells PNG, JPEG and GIF apart by their bytes and reads the pixel size from their headers. Never
/// trusts a file name or Content-Type, never allocates, never throws: hostile or truncated input
/// simply is not an image.
/// </summary>
public static class ImageInspector
{
    public readonly record struct ImageInfo(ImageFormat Format, int WidthPixels, int HeightPixels);

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool TryInspect(ReadOnlySpan<byte> bytes, out ImageInfo info)
    {
        info = default;
        if (bytes.StartsWith(PngSignature)) return TryPng(bytes, out info);
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return TryJpeg(bytes, out info);
        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8)) return TryGif(bytes, out info);
        return false;
    }

    /// <summary>The first chunk must be IHDR: width and height as big-endian 32-bit integers.</summary>
    private static bool TryPng(ReadOnlySpan<byte> bytes, out ImageInfo info)
    {
        info = default;
        if (bytes.Length < 24 || !bytes.Slice(12, 4).SequenceEqual("IHDR"u8)) return false;
        uint width = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(16, 4));
        uint height = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(20, 4));
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue) return false;
        info = new ImageInfo(ImageFormat.Png, (int)width, (int)height);
        return true;
    }

    /// <summary>The logical screen size: little-endian 16-bit width and height after the 6-byte signature.</summary>
    private static bool TryGif(ReadOnlySpan<byte> bytes, out ImageInfo info)
    {
        info = default;
        if (bytes.Length < 10) return false;
        int width = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(6, 2));
        int height = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(8, 2));
        if (width == 0 || height == 0) return false;
        info = new ImageInfo(ImageFormat.Gif, width, height);
        return true;
    }

    /// <summary>Walks the marker segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC).</summary>
    private static bool TryJpeg(ReadOnlySpan<byte> bytes, out ImageInfo info)
    {
        info = default;
        int at = 2;
        while (at + 4 <= bytes.Length)
        {
            if (bytes[at] != 0xFF) return false;
            byte marker = bytes[at + 1];
            if (marker == 0xFF) { at++; continue; } // fill byte
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { at += 2; continue; } // no length
            if (marker is 0xD9 or 0xDA) return false; // end of image or scan data before any frame header
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(at + 2, 2));
            if (length < 2) return false;
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (at + 9 > bytes.Length || length < 7) return false;
                int height = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(at + 5, 2));
                int width = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(at + 7, 2));
                if (width == 0 || height == 0) return false;
                info = new ImageInfo(ImageFormat.Jpeg, width, height);
                return true;
            }
            at += 2 + length;
        }
        return false;
    }
}
