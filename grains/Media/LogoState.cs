using OrgActors.GrainInterfaces.Media;

namespace OrgActors.Grains.Media;

public sealed class LogoState
{
    public byte[]? Bytes { get; set; }
    public ImageFormat Format { get; set; }
    public int WidthPixels { get; set; }
    public int HeightPixels { get; set; }
    public string? Version { get; set; }
}
