using System.Text.RegularExpressions;

namespace OrgActors.Silo;

/// <summary>
/// Binds a configuration section onto a settings object for the start-up check, turning a value the
/// binder cannot read into the one line the silo prints, without the value itself (it may be a secret
/// set under the wrong key).
/// </summary>
internal static partial class SettingsBinding
{
    /// <summary>Null when <paramref name="section"/> binds onto <paramref name="settings"/>, else the line naming the key.</summary>
    public static string? FindProblem<T>(IConfiguration configuration, string section, T settings) where T : class
    {
        try
        {
            configuration.GetSection(section).Bind(settings);
            return null;
        }
        catch (InvalidOperationException exception)
        {
            // "Failed to convert configuration value '<value>' at '<key>' to type '<type>'."
            var conversion = ConversionFailure().Match(exception.Message);
            if (conversion.Success) return $"{conversion.Groups["key"].Value} is not a valid {conversion.Groups["type"].Value.Replace("System.", "")}.";
            // A key holding a list or section (Password__0) where one value belongs names no key in its message.
            var children = configuration.GetSection(section).AsEnumerable(makePathsRelative: false)
                .Where(pair => pair.Value is not null).Select(pair => pair.Key).FirstOrDefault(key => key.Count(c => c == ':') > section.Count(c => c == ':') + 1);
            return $"{section} cannot be read{(children is null ? "" : $" ({children} is a section or a list where one value belongs)")}.";
        }
    }

    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex ConversionFailure();
}
