using System.Net.Sockets;
using Npgsql;
using OrgActors.Testing;

namespace OrgActors.Runtime.Tests.Storage;

/// <summary>The throwaway server fixture itself: it serves, isolates databases, and leaves nothing behind.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Created_databases_are_separate_and_reachable()
    {
        var first = await fixture.Server.CreateDatabaseAsync();
        var second = await fixture.Server.CreateDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(first))
        {
            await using var create = dataSource.CreateCommand("CREATE TABLE only_here (id int)");
            await create.ExecuteNonQueryAsync();
        }
        await using (var dataSource = NpgsqlDataSource.Create(second))
        {
            await using var count = dataSource.CreateCommand("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'");
            Assert.Equal(0L, await count.ExecuteScalarAsync());
        }
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Server.CreateDatabaseAsync("bad\"name"));
    }

    [Fact]
    public async Task Dispose_stops_the_server_and_deletes_its_directory()
    {
        var server = new PostgresServer();
        var root = server.RootDirectory;
        var port = server.Port;
        await using (var dataSource = NpgsqlDataSource.Create(server.ConnectionString))
        {
            await using var command = dataSource.CreateCommand("SELECT current_setting('fsync')");
            Assert.Equal("off", await command.ExecuteScalarAsync());
        }
        server.Dispose();

        Assert.False(Directory.Exists(root));
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }
}
