using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace OrgActors.Api.Authentication;

public static class AuthenticationServiceCollectionExtensions
{
    /// <summary>
    /// Bearer authentication from the <c>Auth</c> configuration section, with the development key in
    /// <paramref name="dataDirectory"/>. Call <c>app.UseAuthentication()</c> before the endpoints. Throws
    /// <see cref="AuthenticationConfigurationException"/> for unusable settings (check first with
    /// <see cref="OrgActorsAuthenticationOptions.FindProblem"/> to report them in one line).
    /// </summary>
    public static IServiceCollection AddOrgActorsAuthentication(this IServiceCollection services, IConfiguration configuration, string dataDirectory) =>
        services.AddOrgActorsAuthentication(OrgActorsAuthenticationOptions.FromConfiguration(configuration, dataDirectory));

    public static IServiceCollection AddOrgActorsAuthentication(this IServiceCollection services, OrgActorsAuthenticationOptions options)
    {
        if (options.Validate() is { } problem) throw new AuthenticationConfigurationException(problem);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        if (options.OidcEnabled)
            services.AddSingleton(provider => new OidcSigningKeySource(options, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<OidcSigningKeySource>>()));
        services.AddSingleton(provider => new BearerTokenValidator(
            CreateIssuers(options, provider),
            provider.GetRequiredService<TimeProvider>(),
            TimeSpan.FromSeconds(options.ClockSkewSeconds),
            options.MaxTokenBytes));
        services.AddHostedService<AuthenticationStartup>();
        // AddAuthenticationCore rather than AddAuthentication: the latter also brings data protection, which
        // bearer tokens do not use and which would write a key ring under the user's home directory.
        services.AddWebEncoders();
        services.AddAuthenticationCore(authentication => authentication.DefaultScheme = OrgActorsAuthenticationDefaults.Scheme);
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, OrgActorsAuthenticationHandler>(OrgActorsAuthenticationDefaults.Scheme, displayName: null, configureOptions: null);
        return services;
    }

    private static List<TrustedIssuer> CreateIssuers(OrgActorsAuthenticationOptions options, IServiceProvider provider)
    {
        var issuers = new List<TrustedIssuer>();
        if (options.OidcEnabled)
        {
            var platformAdmin = options.PlatformAdminClaim is null ? null : new PlatformAdminRule(options.PlatformAdminClaim, options.PlatformAdminValue!);
            issuers.Add(new TrustedIssuer("oidc", options.Authority!, options.Audience!, JwsAlgorithms.Oidc, provider.GetRequiredService<OidcSigningKeySource>(), platformAdmin));
        }
        if (options.DevelopmentEnabled) issuers.Add(DevelopmentTokenIssuer.CreateTrustedIssuer(options.DataDirectory));
        return issuers;
    }
}
