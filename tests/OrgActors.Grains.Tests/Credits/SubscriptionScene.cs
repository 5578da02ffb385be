using Microsoft.Extensions.DependencyInjection;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime;
using OrgActors.Runtime.Storage;
using OrgActors.Testing;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>A silo on a hand-moved clock (2026-11-22T10:00Z) and one organization's subscription and wallet.</summary>
internal sealed class SubscriptionScene : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    /// <summary>How long a test waits for a reminder tick to show in the wallet.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private SubscriptionScene(GrainSilo silo, ManualClock clock, string organizationId)
    {
        Silo = silo;
        Clock = clock;
        OrganizationId = organizationId;
    }

    public GrainSilo Silo { get; }
    public ManualClock Clock { get; }
    public string OrganizationId { get; }
    public IPlanSubscriptionGrain Subscription => Silo.Grains.GetGrain<IPlanSubscriptionGrain>(OrganizationId);
    public ICreditWalletGrain Wallet => Silo.Grains.GetGrain<ICreditWalletGrain>(OrganizationId);

    /// <param name="catalog">The silo's plans and prices (as the Credits section sets them); the defaults without it.</param>
    public static async Task<SubscriptionScene> StartAsync(Func<IGrainStorage>? storage = null, ManualClock? clock = null, string? organizationId = null,
        CreditCatalog? catalog = null)
    {
        clock ??= new ManualClock(Start);
        var silo = await GrainSilo.StartAsync(storage ?? (() => new MemoryGrainStorage()), clock,
            catalog is null ? null : services => services.AddSingleton(catalog));
        return new SubscriptionScene(silo, clock, organizationId ?? "org_" + Guid.NewGuid().ToString("N")[..20]);
    }

    /// <summary>Stops this silo and starts another on the same clock and storage (and, given one, another catalog).</summary>
    public async Task<SubscriptionScene> RestartAsync(Func<IGrainStorage> storage, CreditCatalog? catalog = null)
    {
        await Silo.DisposeAsync();
        return await StartAsync(storage, Clock, OrganizationId, catalog);
    }

    public async Task<IReadOnlyList<string?>> LedgerKeysAsync() => (await Wallet.LatestLedgerAsync()).Select(e => e.IdempotencyKey).Reverse().ToArray();

    public async Task<IReadOnlyList<GrainReminder>> RemindersAsync() =>
        await Silo.Reminders.GetRemindersAsync(GrainId.Create("plansubscription", OrganizationId));

    /// <summary>Moves the clock to the instant, then waits, reading only the wallet, until the grant with the key is in it.</summary>
    public async Task AdvanceUntilGrantedAsync(DateTimeOffset to, string key)
    {
        Clock.Advance(to - Clock.GetUtcNow());
        var deadline = DateTime.UtcNow + Patience;
        while (!(await LedgerKeysAsync()).Contains(key))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{key}' was not granted; the ledger has {string.Join(", ", await LedgerKeysAsync())}.");
            await Task.Delay(GrainSilo.ReminderPollPeriod);
        }
    }

    public ValueTask DisposeAsync() => Silo.DisposeAsync();
}
