using OrgActors.Testing;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>
/// One throwaway PostgreSQL server shared by every test class marked
/// <c>[Collection(PostgresCollection.Name)]</c>; started before the first of them, stopped and deleted
/// after the last. Each test should create its own database (<see cref="PostgresServer.CreateDatabaseAsync(CancellationToken)"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL server";
}

/// <summary>The xunit wrapper around <see cref="PostgresServer"/> (OrgActors.Testing does not reference xunit).</summary>
public sealed class PostgresFixture : IDisposable
{
    public PostgresServer Server { get; } = new();

    public void Dispose() => Server.Dispose();
}
