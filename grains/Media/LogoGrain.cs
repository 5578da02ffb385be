using System.Security.Cryptography;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Media;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.Runtime;

namespace OrgActors.Grains.Media;

/// <summary>An uploaded logo: PNG, JPEG or GIF as the bytes say, square, at most 2 MB. Nothing else is stored.</summary>
public sealed class LogoGrain([PersistentState("logo")] IPersistentState<LogoState> logo) : Grain, ILogoGrain
{
    public async Task<string> Set(byte[] image)
    {
        if (image.Length > OrganizationLimits.MaxLogoSizeBytes)
            throw new UserErrorException(UserErrorCodes.ImageTooLarge, $"A logo may be at most {OrganizationLimits.MaxLogoSizeBytes / (1024 * 1024)} MB.");
        if (!ImageInspector.TryInspect(image, out var info))
            throw new UserErrorException(UserErrorCodes.InvalidImage, $"A logo must be a whole PNG, JPEG or GIF file of at most {ImageInspector.MaxSidePixels} pixels a side: this one is of another format, damaged, cut off or larger.");
        if (info.WidthPixels != info.HeightPixels)
            throw new UserErrorException(UserErrorCodes.ImageNotSquare, $"A logo must be square; this one is {info.WidthPixels}x{info.HeightPixels} pixels.");

        var version = Convert.ToHexStringLower(SHA256.HashData(image))[..16];
        logo.State.Bytes = image.ToArray();
        logo.State.Format = info.Format;
        logo.State.WidthPixels = info.WidthPixels;
        logo.State.HeightPixels = info.HeightPixels;
        logo.State.Version = version;
        await logo.WriteStateAsync();
        return version;
    }

    public Task Clear() => logo.State.Bytes is null ? Task.CompletedTask : logo.ClearStateAsync();

    public Task<LogoImage?> Get() => Task.FromResult(logo.State is { Bytes: { } bytes, Version: { } version }
        ? new LogoImage(bytes, logo.State.Format, logo.State.WidthPixels, logo.State.HeightPixels, version)
        : null);
}
