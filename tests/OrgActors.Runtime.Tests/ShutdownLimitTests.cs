using OrgActors.Runtime.Hosting;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Runtime.Tests;

/// <summary>
/// A stop ends within the host's shutdown limit even when the store hangs (a database host that stopped answering),
/// and says it was not clean, so that the process exits with a failure code rather than 0.
/// </summary>
public sealed class ShutdownLimitTests
{
    [Fact]
    public async Task A_flush_that_hangs_is_given_up_on_at_the_shutdown_limit_and_the_stop_is_not_clean()
    {
        var store = new ControllableStore { HangsIgnoringCancellation = true };
        var logs = new CapturedLogs();
        await using var silo = await TestSilo.StartAsync(storage: () => store, logs: logs);
        using var shutdownLimit = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await silo.Runtime.StopAsync(shutdownLimit.Token).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SiloStopOutcome.CutShortAtShutdownLimit, silo.Runtime.StopOutcome);
        Assert.Contains(logs.Lines, line => line.Contains("at the host's shutdown limit while flushing pending writes", StringComparison.Ordinal));
        store.Release();
    }

    [Fact]
    public async Task A_stop_whose_writes_all_committed_is_clean()
    {
        await using var silo = await TestSilo.StartAsync();
        await silo.Runtime.StopAsync(CancellationToken.None);
        Assert.Equal(SiloStopOutcome.Clean, silo.Runtime.StopOutcome);
    }
}
