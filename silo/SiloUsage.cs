namespace OrgActors.Silo;

internal static class SiloUsage
{
    public const string Text = """
        OrgActors silo: organizations, credit wallets and API keys as grains, behind one GraphQL API.

        Usage:
          dotnet run --project silo [-- options]

        Options (each also reads from appsettings.json and ORGACTORS__<Name> environment variables,
        but --urls, which reads URLS or ASPNETCORE_URLS):
          --urls <urls>            where to listen (default http://localhost:5080; ';' between several)
          --data-dir <path>        embedded store and development keys (default ./data)
          --postgres <connstr>     use PostgreSQL instead of the embedded SQLite store
          --storage <name>         sqlite (default), postgres or memory
          --log-format <format>    simple (default) or json
          --help                   show this text

        Commands:
          dev-token --user <id> [--email <e>] [--name <n>] [--platform-admin] [--data-dir <d>]
                                   print a development bearer token (dev-token --help for more)

        Authentication (configuration section Auth, environment Auth__<Name>): development tokens
        are trusted unless Auth:Authority (OIDC issuer URL) and Auth:Audience are set; set
        Auth:Development=true to trust both. See docs/authentication.md.

        Budget alerts (section Alerts, environment Alerts__<Name>): Alerts:Webhook:Url (absolute http
        or https) and Alerts:Webhook:Secret (at least 16 characters) post signed webhooks; without a URL
        alerts are logged. On the command line: --Alerts:Webhook:Url=<url>. See docs/credits.md.
        Mail (section Mail, environment Mail__<Name>): Mail:Sender log (default) or smtp, with
        Mail:Smtp:* (Host, Port, EnableSsl, Username, Password, From, TimeoutSeconds).
        Mail:InvitationLinkBase (absolute http or https URL, the invitation id is appended) puts a link
        in invitation mails; Mail:ProductName (default OrgActors) names the product in them.
        See docs/organizations.md.
        Cross-origin access (section Cors, environment Cors__<Name>): Cors:AllowedOrigins, the origins of
        frontends served elsewhere, comma-separated (https://app.example.com); none by default.
        Cors:AllowedHeaders, request headers they may send beyond Authorization, Content-Type, Accept,
        If-None-Match, trace context and Apollo Client's, comma-separated (X-Request-Id,sentry-trace).
        Load shedding (section Metering, environment Metering__<Name>): Metering:MaxEventsInFlight, the
        metering events applied at once (1,000 to 1,000,000; 20,000 by default); beyond, /v1/usage and
        /v1/reservations answer 503 OVERLOADED with Retry-After. Metering:MaxEventsInFlightPerOrganization,
        one organization's share of it (a tenth by default); beyond, 429 ORGANIZATION_OVERLOADED.
        See docs/credits.md.
        Telemetry (section Telemetry, environment Telemetry__<Name>): Telemetry:OtlpEndpoint, an OTLP
        collector's URL (http://collector:4318), exports the silo's metrics; Telemetry:OtlpProtocol
        http/protobuf (default) or grpc, Telemetry:OtlpHeaders (name=value,...), Telemetry:ExportIntervalMs
        (60,000 by default). OTEL_EXPORTER_OTLP_* are read when these are unset. See docs/runtime.md.
        Prices (section Credits, environment Credits__<Name>): rates, plans and packs over the defaults,
        e.g. one model's price: --Credits:Rates:0:Meter ai.tokens_out --Credits:Rates:0:NodeType PUBLIC
        --Credits:Rates:0:Model big-model --Credits:Rates:0:Credits 0.002 --Credits:Rates:0:Unit token.
        See docs/credits.md.
        Auth, Alerts, Mail, Cors, Credits, Metering and Telemetry are not under OrgActors: ORGACTORS__Alerts__... is refused at start.

        Any other setting may be given by its path: --OrgActors:Runtime:ShutdownDrainTime 00:00:05.
        An option or setting the silo does not know stops it at start (exit code 2).

        Endpoints: /graphql, /healthz (process up), /readyz (store reachable, partitions owned).
        """;
}
