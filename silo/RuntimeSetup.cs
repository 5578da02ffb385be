using Microsoft.Extensions.Configuration;
using OrgActors.Runtime.Hosting;

namespace OrgActors.Silo;

/// <summary>The runtime's options (section OrgActors:Runtime), checked before the host is built, like every other setting.</summary>
internal static class RuntimeSetup
{
    /// <summary>The runtime's key within <see cref="SiloSettings.Section"/>.</summary>
    public const string Key = "Runtime";

    public const string Section = $"{SiloSettings.Section}:{Key}";

    /// <summary>Binds the section onto the defaults.</summary>
    public static void Bind(IConfiguration configuration, SiloOptions options) => configuration.GetSection(Section).Bind(options);

    /// <summary>One line naming the bad setting, or null when the section binds and its values are in range.</summary>
    public static string? FindProblem(IConfiguration configuration)
    {
        // Every public property binds, the get-only dictionary (IdleTimeoutByGrainType) included.
        var settings = typeof(SiloOptions).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Select(p => p.Name).ToArray();
        foreach (var child in configuration.GetSection(Section).GetChildren())
        {
            if (!settings.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                return $"{Section}:{child.Key} is not a runtime setting; they are {string.Join(", ", settings)}.";
        }
        // The binder drops a dictionary value it cannot convert without a word: these are checked one by one.
        foreach (var timeout in configuration.GetSection($"{Section}:{nameof(SiloOptions.IdleTimeoutByGrainType)}").GetChildren())
        {
            if (!TimeSpan.TryParse(timeout.Value, System.Globalization.CultureInfo.InvariantCulture, out var duration) || duration <= TimeSpan.Zero
                || duration > SiloOptions.MaxIdleTimeout)
                return $"{timeout.Path} is not a positive duration such as 00:05:00, at most {SiloOptions.MaxIdleTimeout:c}.";
        }
        var options = new SiloOptions();
        try
        {
            Bind(configuration, options);
        }
        catch (InvalidOperationException exception)
        {
            // "Failed to convert configuration value '…' at 'OrgActors:Runtime:ResponseTimeout' to type 'System.TimeSpan'."
            return exception.Message + " Durations are written as hh:mm:ss (00:00:30) or d.hh:mm:ss (a bare number is days), counts as whole numbers.";
        }
        try
        {
            options.Validate();
            return null;
        }
        catch (ArgumentOutOfRangeException exception)
        {
            return $"{Section}:{exception.ParamName} {options.GetType().GetProperty(exception.ParamName!)?.GetValue(options)} {exception.Message.Split(" (Parameter")[0]}";
        }
    }
}
