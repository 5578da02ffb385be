using System.Globalization;
using Microsoft.Extensions.Configuration;
using OrgActors.Api.Authentication;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Silo;

/// <summary>
/// <c>dev-token --user &lt;id&gt; [--email &lt;e&gt;] [--name &lt;n&gt;] [--platform-admin] [--lifetime-hours &lt;h&gt;] [--data-dir &lt;d&gt;]</c>:
/// prints a development bearer token, signed with the key in the data directory that a silo with the same
/// configuration uses (creating it if neither has yet). Prints only the token on stdout, so
/// <c>TOKEN=$(dotnet run --project silo -- dev-token --user alice)</c> works. Refused with one
/// <c>error:</c> line and exit code 2 when development authentication is off for this configuration or an
/// option is wrong. It reads the configuration as the silo does and never starts the web host.
/// </summary>
internal static class DevTokenCommand
{
    public const string Name = "dev-token";
    private const int ExitUsage = 2;
    private const int MaxLifetimeHours = 720;

    public const string Usage = """
        Usage:
          dotnet run --project silo -- dev-token --user <id> [options]

        Prints a bearer token for development authentication, signed with the key in the data
        directory (created if absent) that a silo using the same --data-dir trusts.

        Options:
          --user <id>              the user id (token subject), required
          --email <address>        the user's email (marked verified)
          --name <name>            the user's display name
          --platform-admin         marks an operator of the platform (may grant credits)
          --lifetime-hours <h>     1 to 720 (default 24)
          --data-dir <path>        the silo's data directory (default ./data)
          --help                   show this text
        """;

    private static readonly string[] ValueOptions = ["--user", "--email", "--name", "--lifetime-hours", "--data-dir"];

    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            output.WriteLine(Usage);
            return 0;
        }
        if (ParseArguments(args, out var values, out var platformAdmin) is { } badArgument) return Fail(errors, badArgument);

        var configuration = ReadConfiguration(values.GetValueOrDefault("--data-dir"));
        // As the silo does: Auth:Autority, say, would leave development tokens trusted here and the silo refusing to start.
        if (SectionKeys.FindUnknown(configuration) is { } unknown) return Fail(errors, unknown);
        var dataDirectory = SiloSettings.From(configuration).DataDir;
        OrgActorsAuthenticationOptions authentication;
        try { authentication = OrgActorsAuthenticationOptions.FromConfiguration(configuration, dataDirectory); }
        catch (AuthenticationConfigurationException exception) { return Fail(errors, exception.Message); }
        if (!authentication.DevelopmentEnabled)
        {
            var why = authentication.Development == false
                ? "Auth:Development is false"
                : "Auth:Authority is set; set Auth:Development=true as well to also trust development tokens";
            return Fail(errors, $"development authentication is off in this configuration ({why}), so a development token would be refused.");
        }

        if (CheckCaller(values, platformAdmin, out var caller) is { } badCaller) return Fail(errors, badCaller);
        var lifetime = DevelopmentTokenIssuer.DefaultLifetime;
        if (values.TryGetValue("--lifetime-hours", out var hoursText))
        {
            if (!int.TryParse(hoursText, NumberStyles.None, CultureInfo.InvariantCulture, out var hours) || hours is < 1 or > MaxLifetimeHours)
                return Fail(errors, $"--lifetime-hours '{hoursText}' is not a whole number of hours from 1 to {MaxLifetimeHours}.");
            lifetime = TimeSpan.FromHours(hours);
        }

        byte[] key;
        try { key = DevelopmentSigningKeyFile.LoadOrCreate(dataDirectory); }
        catch (DevelopmentKeyException exception) { return Fail(errors, exception.Message); }
        output.WriteLine(DevelopmentTokenIssuer.CreateToken(key, caller!, DateTimeOffset.UtcNow, lifetime));
        return 0;
    }

    private static string? ParseArguments(string[] args, out Dictionary<string, string> values, out bool platformAdmin)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        platformAdmin = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            int equals = arg.IndexOf('=');
            if (arg == "--platform-admin")
            {
                platformAdmin = true;
            }
            else if (equals > 0 && ValueOptions.Contains(arg[..equals]))
            {
                // --data-dir=<path>, as the silo takes it.
                if (!values.TryAdd(arg[..equals], arg[(equals + 1)..])) return $"{arg[..equals]} is given more than once.";
            }
            else if (ValueOptions.Contains(arg))
            {
                // A following option means the value was forgotten, not that it starts with dashes.
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal)) return $"{arg} needs a value.";
                if (!values.TryAdd(arg, args[++i])) return $"{arg} is given more than once.";
            }
            else
            {
                return $"'{arg}' is not a dev-token option; see dev-token --help.";
            }
        }
        return values.ContainsKey("--user") ? null : "--user <id> is required: the user id the token is for.";
    }

    private static string? CheckCaller(Dictionary<string, string> values, bool platformAdmin, out Caller? caller)
    {
        caller = null;
        var userId = values["--user"];
        if (IdentityClaimRules.CheckUserId(userId) is { } badUser) return $"--user is not a valid user id: {badUser}.";
        var email = values.GetValueOrDefault("--email");
        if (email is not null && IdentityClaimRules.CheckEmail(email) is { } badEmail) return $"--email is not valid: {badEmail}.";
        var name = values.GetValueOrDefault("--name");
        if (name is not null && IdentityClaimRules.CheckName(name) is { } badName) return $"--name is not valid: {badName}.";
        caller = new Caller(userId, email, EmailVerified: email is not null, name, platformAdmin);
        return null;
    }

    /// <summary>The silo's configuration sources (appsettings, environment), with --data-dir on top, without starting anything.</summary>
    private static IConfiguration ReadConfiguration(string? dataDirectory)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        if (dataDirectory is not null)
            builder.Configuration.AddInMemoryCollection([new KeyValuePair<string, string?>($"{SiloSettings.Section}:DataDir", dataDirectory)]);
        return builder.Configuration;
    }

    private static int Fail(TextWriter errors, string message)
    {
        errors.WriteLine($"error: {message}");
        return ExitUsage;
    }
}
