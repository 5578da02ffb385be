namespace OrgActors.Silo;

/// <summary>
/// The silo's command line, checked before anything starts. The host's own reader takes any
/// <c>--name value</c> as a configuration key and ignores what it does not know, so a typo (--postgress),
/// a value left out (--postgres at the end) or a command out of place (dev-token after an option) would
/// start a silo on the wrong store, or start one where a token was asked for.
/// </summary>
internal static class CommandLine
{
    /// <summary>
    /// The options that take a value: the silo's, and the host settings ASP.NET Core reads from the command line;
    /// configuration keys may also be given as paths (--Auth:Authority value).
    /// </summary>
    private static readonly string[] ValueOptions =
    [
        "--urls", "--data-dir", "--postgres", "--storage", "--log-format",
        "--environment", "--contentRoot", "--applicationName", "--AllowedHosts", "--http_ports", "--https_ports", "--https_port",
    ];

    /// <summary>Null when every argument is an option with its value, else the one line that says what is wrong.</summary>
    public static string? FindProblem(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h") continue;
            if (arg == DevTokenCommand.Name)
                return $"{DevTokenCommand.Name} must come first: dotnet run --project silo -- {DevTokenCommand.Name} --user <id> [--data-dir <path>] ...";
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                return $"'{arg}' is not an option of the silo; see --help.";
            int equals = arg.IndexOf('=');
            var name = equals < 0 ? arg : arg[..equals];
            bool configurationKey = name.Contains(':');
            if (!configurationKey && !ValueOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
                return $"{name} is not an option of the silo; the options are {string.Join(", ", ValueOptions)} and --help, and a setting may be given by its path (--Section:Name <value>).";
            string value;
            if (equals >= 0) value = arg[(equals + 1)..];
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) value = args[++i];
            else return $"{name} needs a value (e.g. {name} <value>).";
            if (!configurationKey && string.IsNullOrWhiteSpace(value)) return $"{name} needs a value; it is empty.";
        }
        return null;
    }
}
