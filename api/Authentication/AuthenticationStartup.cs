using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrgActors.Api.Authentication;

/// <summary>
/// At start: says which authentication is on (a warning for development authentication, which trusts
/// anyone holding the data directory's key), creates or reads the development key so that a bad data
/// directory stops the silo at start instead of refusing every token later, and starts fetching the OIDC
/// keys in the background so the first request does not wait for them.
/// </summary>
internal sealed class AuthenticationStartup(OrgActorsAuthenticationOptions options, BearerTokenValidator validator, ILogger<AuthenticationStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var issuer in validator.Issuers)
        {
            switch (issuer.Keys)
            {
                case StaticSigningKeySource development:
                    var keys = development.Load();
                    if (keys.Error is not null) throw new InvalidOperationException(keys.Error);
                    logger.LogWarning(
                        "Development authentication is ON: tokens signed with {KeyPath} (issuer {Issuer}) are trusted; mint one with `dotnet run --project silo -- dev-token --user <id>`. For production set Auth:Authority and Auth:Audience and leave Auth:Development unset.",
                        DevelopmentSigningKeyFile.PathIn(options.DataDirectory), issuer.Issuer);
                    break;
                case OidcSigningKeySource oidc:
                    logger.LogInformation("OIDC authentication: issuer {Authority}, audience {Audience}", LogText.WithoutCredentials(options.Authority), options.Audience);
                    // Failures are logged by the source and retried on demand; nothing to await here.
                    _ = Task.Run(() => oidc.GetKeysAsync(CancellationToken.None).AsTask(), CancellationToken.None);
                    break;
            }
        }
        if (validator.Issuers.Count == 0)
            logger.LogWarning("No authentication is configured (Auth:Development=false and no Auth:Authority): every request is anonymous.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
