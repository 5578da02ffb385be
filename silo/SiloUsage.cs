namespace OrgActors.Silo;

internal static class SiloUsage
{
    public const string Text = """
        OrgActors silo: organizations, credit wallets and API keys as grains, behind one GraphQL API.

        Usage:
          dotnet run --project silo [-- options]

        Options (each also reads from appsettings.json and ORGACTORS__<Name> environment variables):
          --urls <urls>            where to listen (default http://localhost:5080)
          --data-dir <path>        embedded store and development keys (default ./data)
          --postgres <connstr>     use PostgreSQL instead of the embedded SQLite store
          --storage <name>         sqlite (default), postgres or memory
          --log-format <format>    simple (default) or json
          --help                   show this text

        Endpoints: /graphql, /healthz (process up), /readyz (store reachable, partitions owned).
        """;
}
