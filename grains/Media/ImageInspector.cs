using System.Buffers.Binary;
using System.IO.Hashing;
using OrgActors.GrainInterfaces.Media;

namespace OrgActors.Grains.Media;

/// <summary>
/// Tells PNG, JPEG and GIF apart by their bytes, reads the pixel size from their headers, and checks
/// that the file is whole: every PNG chunk with its checksum from IHDR through image data to IEND, a
/// JPEG's frame and scan through to its end marker, a GIF's blocks through an image to its trailer. A
/// header alone, a cut-off upload or a header that claims a huge image with nothing behind it is not
/// an image: browsers would show it broken. Never trusts a file name or Content-Type, never allocates,
/// never throws: hostile or truncated input simply is not an image. The pixels themselves are not
/// decoded.
/// </summary>
public static class ImageInspector
{
    public readonly record struct ImageInfo(ImageFormat Format, int WidthPixels, int HeightPixels);

    /// <summary>The largest side taken; a larger claim is refused before anything would decode it.</summary>
    public const int MaxSidePixels = 4096;

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool TryInspect(ReadOnlySpan<byte> bytes, out ImageInfo info)
    {
        info = default;
        bool whole = bytes.StartsWith(PngSignature) ? TryPng(bytes, out info)
            : bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF ? TryJpeg(bytes, out info)
            : (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8)) && TryGif(bytes, out info);
        if (whole && info.WidthPixels <= MaxSidePixels && info.HeightPixels <= MaxSidePixels) return true;
        info = default;
        return false;
    }

    /// <summary>
    /// Chunks (length, type, data, CRC-32 of type and data) from the signature to the end: IHDR first (width
    /// and height as big-endian 32-bit integers, then a bit depth the colour type allows, and the only
    /// compression and filter methods there are), once; one PLTE of 1 to 256 colours before the data, which
    /// an indexed image needs and a greyscale one must not have; image
    /// data (IDAT) that is not empty; IEND last with nothing after it. A critical chunk (its type's first
    /// letter upper case) that is none of these is refused, as decoders refuse it.
    /// </summary>
    private static bool TryPng(ReadOnlySpan<byte> bytes, out ImageInfo info)
    {
        info = default;
        int at = PngSignature.Length;
        bool header = false, palette = false, data = false;
        byte colorType = 0;
        long dataBytes = 0;
        while (at + 12 <= bytes.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(at, 4));
            if (length > (uint)(bytes.Length - at - 12)) return false;
            var typeAndData = bytes.Slice(at + 4, 4 + (int)length);
            if (Crc32.HashToUInt32(typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(at + 8 + (int)length, 4))) return false;
            var type = typeAndData[..4];
            if (!header)
            {
                if (!type.SequenceEqual("IHDR"u8) || length != 13) return false;
                uint width = BinaryPrimitives.ReadUInt32BigEndian(typeAndData.Slice(4, 4));
                uint height = BinaryPrimitives.ReadUInt32BigEndian(typeAndData.Slice(8, 4));
                if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue) return false;
                colorType = typeAndData[13];
                if (!IsPngBitDepth(colorType, typeAndData[12]) || typeAndData[14] != 0 || typeAndData[15] != 0 || typeAndData[16] > 1) return false;
                info = new ImageInfo(ImageFormat.Png, (int)width, (int)height);
                header = true;
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                if (colorType == IndexedColor && !palette) return false;
                (data, dataBytes) = (true, dataBytes + length);
            }
            else if (type.SequenceEqual("PLTE"u8))
            {
                // Entries of 3 bytes, 1 to 256 of them.
                if (palette || data || colorType is 0 or 4 || length % 3 != 0 || length is 0 or > 3 * 256) return false;
                palette = true;
            }
            else if (type.SequenceEqual("IEND"u8)) return dataBytes > 0 && length == 0 && at + 12 == bytes.Length;
            else if ((type[0] & 0x20) == 0) return false; // IHDR twice, or a critical chunk no decoder knows
            at += 12 + (int)length;
        }
        return false;
    }

    private const byte IndexedColor = 3;

    /// <summary>The bit depths each PNG colour type allows: greyscale, truecolour, indexed, grey with alpha, truecolour with alpha.</summary>
    private static bool IsPngBitDepth(byte colorType, byte bitDepth) => colorType switch
    {
        0 => bitDepth is 1 or 2 or 4 or 8 or 16,
        3 => bitDepth is 1 or 2 or 4 or 8,
        2 or 4 or 6 => bitDepth is 8 or 16,
        _ => false,
    };

    /// <summary>
    /// The logical screen size (little-endian 16-bit width and height after the 6-byte signature), then the
    /// blocks: extensions, at least one image, and the trailer as the last byte. Every image (frame) must lie
    /// within the screen: browsers grow the picture to a larger frame, which would pass a huge or oblong
    /// image off as the screen's small square.
    /// </summary>
    private static bool TryGif(ReadOnlySpan<byte> bytes, out ImageInfo info)
    {
        info = default;
        if (bytes.Length < 13) return false;
        int width = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(6, 2));
        int height = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(8, 2));
        if (width == 0 || height == 0) return false;
        int at = 13 + ColorTableBytes(bytes[10]);
        bool image = false;
        while (at < bytes.Length)
        {
            switch (bytes[at])
            {
                case 0x3B: // trailer
                    if (!image || at != bytes.Length - 1) return false;
                    info = new ImageInfo(ImageFormat.Gif, width, height);
                    return true;
                case 0x21: // extension: label, then sub-blocks
                    at = SkipSubBlocks(bytes, at + 2);
                    break;
                case 0x2C: // image: descriptor (left, top, width, height, packed), local colour table, LZW code size, sub-blocks
                    if (at + 10 > bytes.Length || !IsWithinScreen(bytes.Slice(at + 1, 8), width, height)) return false;
                    at = SkipSubBlocks(bytes, at + 10 + ColorTableBytes(bytes[at + 9]) + 1);
                    image = true;
                    break;
                default:
                    return false;
            }
            if (at < 0) return false;
        }
        return false;
    }

    /// <summary>An image descriptor's frame (left, top, width, height, little-endian 16-bit) is not empty and lies within the screen.</summary>
    private static bool IsWithinScreen(ReadOnlySpan<byte> frame, int screenWidth, int screenHeight)
    {
        int left = BinaryPrimitives.ReadUInt16LittleEndian(frame), top = BinaryPrimitives.ReadUInt16LittleEndian(frame[2..]);
        int width = BinaryPrimitives.ReadUInt16LittleEndian(frame[4..]), height = BinaryPrimitives.ReadUInt16LittleEndian(frame[6..]);
        return width > 0 && height > 0 && left + width <= screenWidth && top + height <= screenHeight;
    }

    /// <summary>A colour table's bytes from a packed field: present when bit 7 is set, 3 * 2^(n+1) bytes.</summary>
    private static int ColorTableBytes(byte packed) => (packed & 0x80) == 0 ? 0 : 3 << ((packed & 0x07) + 1);

    /// <summary>The offset after a run of sub-blocks (size byte, data) ended by a size of 0; -1 when cut off.</summary>
    private static int SkipSubBlocks(ReadOnlySpan<byte> bytes, int at)
    {
        while (at < bytes.Length)
        {
            int size = bytes[at];
            if (size == 0) return at + 1;
            at += 1 + size;
        }
        return -1;
    }

    /// <summary>
    /// Walks the marker segments: a start-of-frame (SOF0–SOF15 but DHT, JPG and DAC) with the size, then a
    /// start-of-scan; the coded data that follows must end with the end-of-image marker.
    /// </summary>
    private static bool TryJpeg(ReadOnlySpan<byte> bytes, out ImageInfo info)
    {
        info = default;
        bool frame = false;
        int at = 2;
        while (at + 4 <= bytes.Length)
        {
            if (bytes[at] != 0xFF) return false;
            byte marker = bytes[at + 1];
            if (marker == 0xFF) { at++; continue; } // fill byte
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { at += 2; continue; } // no length
            if (marker == 0xD9) return false; // end of image before any scan
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(at + 2, 2));
            if (length < 2 || at + 2 + length > bytes.Length) return false;
            // The scan's coded data runs to the end, which must be the end-of-image marker.
            if (marker == 0xDA) return frame && at + 2 + length + 2 <= bytes.Length && bytes[^2] == 0xFF && bytes[^1] == 0xD9;
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                // Length, precision, height, width, then 1 to 4 components of 3 bytes each.
                if (frame || length < 8) return false;
                int height = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(at + 5, 2));
                int width = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(at + 7, 2));
                int components = bytes[at + 9];
                if (width == 0 || height == 0 || components is 0 or > 4 || length != 8 + 3 * components) return false;
                info = new ImageInfo(ImageFormat.Jpeg, width, height);
                frame = true;
            }
            at += 2 + length;
        }
        return false;
    }
}
