using OrgActors.Runtime;

namespace OrgActors.GrainInterfaces.Media;

public enum ImageFormat { Png, Jpeg, Gif }

public sealed record LogoImage(byte[] Bytes, ImageFormat Format, int WidthPixels, int HeightPixels, string Version);

/// <summary>
/// The uploaded logo of an organization or workspace (key: its id). It checks the bytes (PNG, JPEG or
/// GIF by content, square, at most 2 MB) before it stores anything.
/// </summary>
public interface ILogoGrain : IGrainWithStringKey
{
    /// <summary>Stores the image and returns its version (a content hash), or throws INVALID_IMAGE and friends.</summary>
    Task<string> Set(byte[] image);

    Task Clear();

    [ReadOnly] Task<LogoImage?> Get();
}
