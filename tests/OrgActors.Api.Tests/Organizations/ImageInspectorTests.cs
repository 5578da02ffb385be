using OrgActors.GrainInterfaces.Media;
using OrgActors.Grains.Media;

namespace OrgActors.Api.Tests.Organizations;

public sealed class ImageInspectorTests
{
    private static readonly byte[] PngHeader =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 1, 0, 0, 0, 0, 200, 8, 6, 0, 0, 0];
    private static readonly byte[] JpegHeader =
        [0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x04, 0xAB, 0xCD, 0xFF, 0xFF, 0xC2, 0x00, 0x11, 0x08, 0x00, 0x30, 0x00, 0x40, 0x03];
    private static readonly byte[] GifHeader = [.. "GIF87a"u8, 0x10, 0x00, 0x20, 0x00, 0x00];

    [Fact]
    public void Reads_format_and_size_from_the_headers()
    {
        Assert.True(ImageInspector.TryInspect(PngHeader, out var png));
        Assert.Equal(new ImageInspector.ImageInfo(ImageFormat.Png, 256, 200), png);
        Assert.True(ImageInspector.TryInspect(JpegHeader, out var jpeg)); // skips an APP1 segment and a fill byte, reads a progressive frame
        Assert.Equal(new ImageInspector.ImageInfo(ImageFormat.Jpeg, 64, 48), jpeg);
        Assert.True(ImageInspector.TryInspect(GifHeader, out var gif));
        Assert.Equal(new ImageInspector.ImageInfo(ImageFormat.Gif, 16, 32), gif);
    }

    [Fact]
    public void Truncated_images_and_random_bytes_are_not_images_and_never_throw()
    {
        foreach (var header in new[] { PngHeader, JpegHeader, GifHeader })
        {
            for (int length = 0; length < header.Length - 1; length++)
            {
                if (header == PngHeader && length >= 24) continue; // the size is complete from byte 24 on
                Assert.False(ImageInspector.TryInspect(header.AsSpan(0, length), out _), $"prefix of {length} bytes");
            }
        }

        var random = new Random(20261122);
        var buffer = new byte[64];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            var sample = buffer.AsSpan(0, random.Next(buffer.Length + 1));
            if (i % 3 == 0 && sample.Length >= 3) { sample[0] = 0xFF; sample[1] = 0xD8; sample[2] = 0xFF; } // hostile JPEG segment walks
            ImageInspector.TryInspect(sample, out _);
        }
    }
}
