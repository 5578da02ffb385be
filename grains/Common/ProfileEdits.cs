using OrgActors.GrainInterfaces.Media;

namespace OrgActors.Grains.Common;

/// <summary>
/// What an edit of an organization's or a workspace's profile changes, shared so that both record the same
/// audit details and skip the same no-op edits.
/// </summary>
internal static class ProfileEdits
{
    /// <summary>
    /// The name and description after an update (null arguments keep the current ones; given ones are checked by
    /// <see cref="InputRules"/>), and the fields it changes as the audit records them ("name,description"), or
    /// null when it changes nothing.
    /// </summary>
    public static (string Name, string? Description, string? ChangedFields) Update(string currentName, string? currentDescription, string? name, string? description)
    {
        var newName = name is null ? currentName : InputRules.Name(name);
        var newDescription = description is null ? currentDescription : InputRules.Description(description);
        string? changed = (newName != currentName, newDescription != currentDescription) switch
        {
            (true, true) => "name,description",
            (true, false) => "name",
            (false, true) => "description",
            _ => null,
        };
        return (newName, newDescription, changed);
    }

    /// <summary>
    /// Stores a new logo (or removes it, for a null image) and answers whether that changed anything, with the
    /// new version: removing no logo and uploading the same image again change nothing and record nothing.
    /// </summary>
    public static async Task<(bool Changed, string? Version)> SetLogoAsync(ILogoGrain logo, string? currentVersion, byte[]? image)
    {
        if (image is null && currentVersion is null) return (false, null);
        string? version = null;
        if (image is null) await logo.Clear();
        else version = await logo.Set(image);
        return (version is null || version != currentVersion, version);
    }
}
