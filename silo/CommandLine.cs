namespace OrgActors.Silo;

/// <summary>
/// The silo's command line, checked before anything starts. The host's own reader takes any
/// <c>--name value</c> as a configuration key and ignores what it does not know, so a typo (--postgress),
/// a value left out (--postgres at the end) or a command out of place (dev-token after an option) would
/// start a silo on the wrong store, or start one where a token was asked for.
/// </summary>
internal static class CommandLine
{
    /// <summary>The silo's own switches (mapped to OrgActors:*); .NET maps them in their "--" and "/" forms, not in a bare "name=value".</summary>
    private static readonly string[] SiloSwitches = [.. SiloSettings.SwitchMappings.Keys.Select(key => key.TrimStart('-'))];

    /// <summary>The host settings ASP.NET Core reads from the command line, in any of its forms.</summary>
    private static readonly string[] HostSettings = ["urls", "environment", "contentRoot", "applicationName", "AllowedHosts", "http_ports", "https_ports", "https_port"];

    /// <summary>Null when every argument is an option with its value, else the one line that says what is wrong.</summary>
    public static string? FindProblem(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h") continue;
            if (arg == DevTokenCommand.Name)
                return $"{DevTokenCommand.Name} must come first: dotnet run --project silo -- {DevTokenCommand.Name} --user <id> [--data-dir <path>] ...";
            // .NET's command-line configuration reads "--name value", "--name=value", "/name value", "/name=value"
            // and a bare "name=value"; a single dash only for mapped switches, which the silo has none of.
            int equals = arg.IndexOf('=');
            bool dashes = arg.StartsWith("--", StringComparison.Ordinal), slash = arg.StartsWith('/');
            bool bare = !dashes && !slash && !arg.StartsWith('-');
            if ((!dashes && !slash && !bare) || (bare && equals <= 0) || arg is "--" or "/")
                return $"'{arg}' is not an option of the silo; see --help.";
            var written = equals < 0 ? arg : arg[..equals];
            var name = written.TrimStart('-', '/');
            bool known = name.Contains(':') || HostSettings.Contains(name, StringComparer.OrdinalIgnoreCase);
            if (SiloSwitches.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                if (bare) return $"'{arg}': write --{name}=<value> (a bare name=value is not read as this option).";
                known = true;
            }
            if (!known)
                return $"{written} is not an option of the silo; the options are --{string.Join(", --", SiloSwitches.Concat(HostSettings))} and --help, and a setting may be given by its path (--Section:Name <value>).";
            string value;
            if (equals >= 0) value = arg[(equals + 1)..];
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            else return $"{written} needs a value (e.g. {written} <value>).";
            if (!name.Contains(':') && string.IsNullOrWhiteSpace(value)) return $"{written} needs a value; it is empty.";
        }
        return null;
    }
}
