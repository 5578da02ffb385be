using System.Buffers.Binary;
using OrgActors.GrainInterfaces.Media;
using OrgActors.Grains.Media;

namespace OrgActors.Api.Tests.Organizations;

public sealed class ImageInspectorTests
{
    /// <summary>A JPEG that skips an APP1 segment and a fill byte before a progressive frame header.</summary>
    private static readonly byte[] ProgressiveJpeg =
        [0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x04, 0xAB, 0xCD, 0xFF, 0xFF, 0xC2, 0x00, 0x11, 0x08, 0x00, 0x30, 0x00, 0x40, 0x03, .. new byte[9],
         0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x55, 0xFF, 0xD9];

    [Fact]
    public void Reads_format_and_size_from_whole_images()
    {
        Assert.True(ImageInspector.TryInspect(TestImages.Png(256, 200), out var png));
        Assert.Equal(new ImageInspector.ImageInfo(ImageFormat.Png, 256, 200), png);
        Assert.True(ImageInspector.TryInspect(ProgressiveJpeg, out var jpeg));
        Assert.Equal(new ImageInspector.ImageInfo(ImageFormat.Jpeg, 64, 48), jpeg);
        Assert.True(ImageInspector.TryInspect(TestImages.Gif(16, 32), out var gif));
        Assert.Equal(new ImageInspector.ImageInfo(ImageFormat.Gif, 16, 32), gif);
    }

    [Fact]
    public void A_header_alone_a_cut_off_file_or_a_damaged_chunk_is_not_an_image()
    {
        foreach (var image in new[] { TestImages.Png(8, 8), TestImages.Jpeg(8, 8), ProgressiveJpeg, TestImages.Gif(8, 8) })
        {
            for (int length = 0; length < image.Length; length++)
                Assert.False(ImageInspector.TryInspect(image.AsSpan(0, length), out _), $"prefix of {length} of {image.Length} bytes");
            Assert.False(ImageInspector.TryInspect([.. image, 0x00], out _), "a byte after the end");
        }
        var damaged = TestImages.Png(8, 8);
        damaged[^13] ^= 1; // a bit of the IDAT chunk's data: its CRC no longer matches
        Assert.False(ImageInspector.TryInspect(damaged, out _));
    }

    [Fact]
    public void A_claim_of_more_than_the_largest_side_is_not_taken()
    {
        Assert.True(ImageInspector.TryInspect(TestImages.Png(ImageInspector.MaxSidePixels, ImageInspector.MaxSidePixels), out _));
        Assert.False(ImageInspector.TryInspect(TestImages.Png(100_000, 100_000), out _));
        Assert.False(ImageInspector.TryInspect(TestImages.Gif(ImageInspector.MaxSidePixels + 1, 1), out _));
        Assert.False(ImageInspector.TryInspect(TestImages.Jpeg(1, ImageInspector.MaxSidePixels + 1), out _));
    }

    [Fact]
    public void A_gif_frame_outside_its_screen_is_not_an_image()
    {
        // A frame's descriptor: left, top, width, height (little-endian 16-bit) after the 0x2C at byte 13.
        static byte[] GifWithFrame(int left, int top, int width, int height)
        {
            var gif = TestImages.Gif(4, 4);
            BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(14), (ushort)left);
            BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(16), (ushort)top);
            BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(18), (ushort)width);
            BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(20), (ushort)height);
            return gif;
        }
        Assert.True(ImageInspector.TryInspect(GifWithFrame(0, 0, 4, 4), out _));
        Assert.True(ImageInspector.TryInspect(GifWithFrame(2, 1, 2, 3), out _));
        // Browsers grow the picture to a larger frame: a 4x4 screen would pass off an oblong or a huge image.
        Assert.False(ImageInspector.TryInspect(GifWithFrame(0, 0, 4, 8), out _));
        Assert.False(ImageInspector.TryInspect(GifWithFrame(0, 0, 65535, 65535), out _));
        Assert.False(ImageInspector.TryInspect(GifWithFrame(60000, 60000, 4, 4), out _));
        Assert.False(ImageInspector.TryInspect(GifWithFrame(1, 0, 4, 4), out _));
        Assert.False(ImageInspector.TryInspect(GifWithFrame(0, 0, 0, 4), out _));
    }

    [Fact]
    public void A_png_or_jpeg_header_no_decoder_takes_is_not_an_image()
    {
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, bitDepth: 99), out _));
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, bitDepth: 4, colorType: 6), out _)); // RGBA has 8 or 16 bits
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, colorType: 3), out _)); // indexed, without a palette
        Assert.True(ImageInspector.TryInspect(TestImages.Png(4, 4, colorType: 3, palette: true), out _));
        // A palette is 1 to 256 colours of 3 bytes, once, before the data; a greyscale image has none.
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, colorType: 3, palette: true, extraChunk: ("PLTE", [0, 0, 0])), out _));
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, colorType: 3, extraChunk: ("PLTE", new byte[47])), out _));
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, colorType: 3, extraChunk: ("PLTE", [])), out _));
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, colorType: 3, extraChunk: ("PLTE", new byte[3 * 257])), out _));
        Assert.True(ImageInspector.TryInspect(TestImages.Png(4, 4, colorType: 3, extraChunk: ("PLTE", new byte[3 * 256])), out _));
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, colorType: 0, palette: true), out _));
        Assert.True(ImageInspector.TryInspect(TestImages.Png(4, 4, colorType: 2, palette: true), out _)); // a suggested palette for truecolour
        Assert.True(ImageInspector.TryInspect(TestImages.Png(4, 4, bitDepth: 16, colorType: 0), out _));
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, extraChunk: ("IHDR", TestImages.PngHeader(8, 4))), out _));
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, extraChunk: ("ABCD", [1])), out _)); // an unknown critical chunk
        Assert.True(ImageInspector.TryInspect(TestImages.Png(4, 4, extraChunk: ("tEXt", "Comment\0hi"u8.ToArray())), out _)); // ancillary: skipped
        Assert.False(ImageInspector.TryInspect(TestImages.Png(4, 4, imageData: []), out _)); // no image data at all

        var noComponents = TestImages.Jpeg(4, 4);
        int frame = noComponents.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        noComponents[frame + 9] = 0; // components: the frame header's length no longer matches either
        Assert.False(ImageInspector.TryInspect(noComponents, out _));
    }

    [Fact]
    public void Random_bytes_are_not_images_and_never_throw()
    {
        var random = new Random(20261122);
        var buffer = new byte[96];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            var sample = buffer.AsSpan(0, random.Next(buffer.Length + 1));
            // Hostile walks through each format's structure.
            if (i % 4 == 0 && sample.Length >= 3) { sample[0] = 0xFF; sample[1] = 0xD8; sample[2] = 0xFF; }
            if (i % 4 == 1 && sample.Length >= 13) { "GIF89a"u8.CopyTo(sample); }
            if (i % 4 == 2 && sample.Length >= 16) { TestImages.Png(1, 1).AsSpan(0, 8).CopyTo(sample); BinaryPrimitives.WriteInt32BigEndian(sample[8..], random.Next(-1, 200)); }
            ImageInspector.TryInspect(sample, out _);
        }
    }
}
