using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// An organization's plan subscription. Every period start grants the plan's credits for that period to
/// the wallet (PLAN, priority 0, expiring at the period's end, key <see cref="PlanPeriods.GrantKey"/>), so a
/// retry or a repeated tick grants once, and sets the plan's quotas in the wallet for that period
/// (<see cref="ICreditWalletGrain.SetQuotas"/>), which counts and enforces them. A reminder due at the
/// period's end rolls it over; every call rolls over first too, so no answer shows a period that has ended.
/// </summary>
/// <remarks>
/// Grants and quota settings go through an outbox: the state that decides them is saved with them
/// pending, then the wallet is called and they are removed. A failure leaves them pending; the next call
/// or the reminder (due <see cref="GrantRetryDelay"/> later) sends them again, the same grant under the
/// same key and the same settings under the same revision, which the wallet applies once.
/// </remarks>
public sealed class PlanSubscriptionGrain(
    [PersistentState("subscription")] IPersistentState<PlanSubscriptionState> subscription) : Grain, IPlanSubscriptionGrain, IRemindable
{
    public const string RolloverReminder = "period-end";

    /// <summary>Plan credits burn first: they expire with their period.</summary>
    public const int PlanGrantPriority = 0;

    /// <summary>Pack credits burn after plan credits (the wallet's default priority for grants).</summary>
    public const int PackGrantPriority = 10;

    /// <summary>How often a due rollover is tried again while it fails (e.g. the wallet is unreachable).</summary>
    public static readonly TimeSpan RolloverRetryPeriod = TimeSpan.FromHours(1);

    /// <summary>How soon a grant the wallet did not acknowledge is sent again by the reminder.</summary>
    public static readonly TimeSpan GrantRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>The due time of our reminder as last registered or seen; null until checked in this activation.</summary>
    private DateTimeOffset? _reminderDueAt;

    private PlanSubscriptionState State => subscription.State;

    private CreditCatalog Catalog => ServiceProvider.GetService(typeof(CreditCatalog)) as CreditCatalog ?? CreditCatalog.Default;

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    private string Id => GetPrimaryKeyString();

    public async Task<PlanSubscriptionView> Start(string planId)
    {
        if (State.Exists) return await CurrentViewAsync();
        var plan = FindPlan(planId);
        var period = OfferedPeriod(plan, BillingPeriod.Monthly);
        var now = Now;
        BeginRun(plan, period, PlanPeriods.Anchor(plan, now), now);
        await CommitAsync();
        return ViewAt(now);
    }

    public Task<PlanSubscriptionView> ChangePlan(string planId, BillingPeriod period, string? actorUserId = null) =>
        ChangePlanAsync(planId, period, paid: true, actorUserId);

    public Task<PlanSubscriptionView> ChangePlanWithoutPayment(string planId, BillingPeriod period, string? actorUserId = null) =>
        ChangePlanAsync(planId, period, paid: false, actorUserId);

    private async Task<PlanSubscriptionView> ChangePlanAsync(string planId, BillingPeriod period, bool paid, string? actorUserId)
    {
        if (!State.Exists) throw UserErrorException.NotFound("Subscription");
        var target = FindPlan(planId);
        if (!PlanPeriods.Offers(target, period))
            throw new UserErrorException(UserErrorCodes.PeriodNotOffered, $"The plan '{target.Id}' is not offered {period.ToString().ToLowerInvariant()}.", ["period"]);

        var now = Now;
        var changed = RollOver(now);
        bool current = target.Id == State.PlanId && period == State.Period;
        if (!paid && !target.IsFree && !current)
        {
            await SaveAsync(changed); // the rollover stands whatever the answer
            throw new UserErrorException(UserErrorCodes.PaymentRequired, $"The plan '{target.Id}' is paid: paying for it is not possible yet.", ["planId"]);
        }
        var was = Choice(State.PlanId!, State.Period);
        string? description = null;
        if (current)
        {
            // The current choice: nothing to do, except dropping a downgrade that was waiting.
            if (State.ScheduledChange is not null) description = $"{was}: scheduled change cancelled";
            State.ScheduledChange = null;
        }
        else if (PlanPeriods.IsUpgrade(CurrentPlan, State.Period, target, period))
        {
            State.ScheduledChange = null;
            BeginRun(target, period, PlanPeriods.Anchor(target, now), now);
            description = $"{was} -> {Choice(target.Id, period)}";
        }
        else if (State.ScheduledChange is not { } scheduled || scheduled.PlanId != target.Id || scheduled.Period != period)
        {
            State.ScheduledChange = new ScheduledChangeRecord { PlanId = target.Id, Period = period, EffectiveAt = State.CurrentPeriodEnd };
            description = $"{was} -> {Choice(target.Id, period)} at {Instants.ToText(State.CurrentPeriodEnd)}";
        }
        if (description is not null)
        {
            State.LastChange = new PlanChangeRecord { Number = (State.LastChange?.Number ?? 0) + 1, At = now, Description = description, ActorUserId = actorUserId };
            changed = true;
        }
        await SaveAsync(changed);
        return ViewAt(now);
    }

    private static string Choice(string planId, BillingPeriod period) => $"{planId} {period.ToString().ToUpperInvariant()}";

    public async Task<PlanSubscriptionView?> Get() => State.Exists ? await CurrentViewAsync() : null;

    public async Task<PackPurchaseResult> RecordPackPurchase(string packId)
    {
        if (!State.Exists) throw UserErrorException.NotFound("Subscription");
        var now = Now;
        var changed = RollOver(now);
        var month = PlanPeriods.MonthKey(now);
        var bought = State.PacksByMonth.GetValueOrDefault(month);
        var pack = Catalog.Packs.FirstOrDefault(p => p.Id == packId);
        if (pack is null || bought >= Catalog.MaxPacksPerMonth)
        {
            await SaveAsync(changed);
            return new PackPurchaseResult(false, pack is null ? UserErrorCodes.UnknownPack : UserErrorCodes.PackLimitReached, packId, bought, null);
        }

        var number = bought + 1;
        var key = $"{ReservedKeys.PackPrefix}{month}:{number}";
        State.PacksByMonth = new Dictionary<string, int> { [month] = number };
        State.PendingGrants.Add(new PendingGrantRecord
        {
            Key = key, Source = GrantSource.TopUp, AmountNanoCredits = pack.CreditsNano, Priority = PackGrantPriority, ExpiresAt = null,
        });
        await CommitAsync();
        return new PackPurchaseResult(true, null, packId, number, key);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RolloverReminder || !State.Exists)
        {
            await UnregisterReminder(reminderName);
            return;
        }
        var changed = RollOver(Now);
        // Registered again below in any case, so that the ticking reminder is not left on its retry grid.
        _reminderDueAt = DateTimeOffset.MinValue;
        await SaveAsync(changed);
    }

    private async Task<PlanSubscriptionView> CurrentViewAsync()
    {
        var now = Now;
        await SaveAsync(RollOver(now));
        return ViewAt(now);
    }

    /// <summary>
    /// Moves to the period that contains <paramref name="now"/> when the current one has ended, applying a
    /// scheduled downgrade at its effective time. Periods missed entirely (a silo that was down) are
    /// skipped: only the current period's credits are granted. True when the state changed.
    /// </summary>
    private bool RollOver(DateTimeOffset now)
    {
        if (!State.Exists) return false;
        // A subscription saved before quotas were enforced sets them once, for the period it is in.
        var quotasQueued = State.QuotaRevision == 0 && QueueQuotas(CurrentPlan);
        if (now < State.CurrentPeriodEnd) return quotasQueued;
        if (State.ScheduledChange is { } change && change.EffectiveAt <= now)
        {
            State.ScheduledChange = null;
            var plan = Catalog.FindPlan(change.PlanId) ?? CurrentPlan;
            BeginRun(plan, OfferedPeriod(plan, change.Period), PlanPeriods.Anchor(plan, change.EffectiveAt), now);
        }
        else
        {
            // When the plan left the catalog, the default plan stands in for it, perhaps without this billing period:
            // the run then goes on in a period it offers, from the end of the last one, rather than a year of no credits.
            var plan = CurrentPlan;
            var period = OfferedPeriod(plan, State.Period);
            BeginRun(plan, period, period == State.Period ? State.Anchor : PlanPeriods.Anchor(plan, State.CurrentPeriodEnd), now);
        }
        return true;
    }

    /// <summary>The period asked for when the plan grants credits for it, else the other one (a plan grants for at least one).</summary>
    private static BillingPeriod OfferedPeriod(Plan plan, BillingPeriod period) =>
        PlanPeriods.CreditsFor(plan, period) is not null ? period : period == BillingPeriod.Monthly ? BillingPeriod.Yearly : BillingPeriod.Monthly;

    /// <summary>Puts the subscription on the plan's period containing <paramref name="now"/> and queues that period's grant.</summary>
    private void BeginRun(Plan plan, BillingPeriod period, DateTimeOffset anchor, DateTimeOffset now)
    {
        var (start, end) = PlanPeriods.Containing(anchor, period, now);
        State.PlanId = plan.Id;
        State.Period = period;
        State.Anchor = anchor;
        State.CurrentPeriodStart = start;
        State.CurrentPeriodEnd = end;
        State.Status = PlanSubscriptionView.Active;
        QueueQuotas(plan);
        if (PlanPeriods.CreditsFor(plan, period) is not { } credits) return;
        var key = PlanPeriods.GrantKey(plan.Id, period, start);
        if (State.PendingGrants.Any(g => g.Key == key)) return;
        State.PendingGrants.Add(new PendingGrantRecord
        {
            Key = key, Source = GrantSource.Plan, AmountNanoCredits = credits, Priority = PlanGrantPriority, ExpiresAt = end,
        });
    }

    /// <summary>Queues the plan's quotas for the current period under a new revision (replacing settings still waiting); always true.</summary>
    private bool QueueQuotas(Plan plan)
    {
        State.QuotaRevision++;
        State.PendingQuotas = new QuotaSettings(plan.Id, plan.Quotas.ToArray(), State.Anchor, State.CurrentPeriodStart, State.CurrentPeriodEnd, State.QuotaRevision);
        return true;
    }

    /// <summary>Saves when something changed; in any case sends pending grants and quotas and keeps the reminder due at the period's end.</summary>
    private async Task SaveAsync(bool changed)
    {
        if (changed) await CommitAsync();
        else await SendPendingAsync();
    }

    private async Task CommitAsync()
    {
        await subscription.WriteStateAsync();
        await SendPendingAsync();
    }

    private async Task SendPendingAsync()
    {
        try
        {
            var wallet = GrainFactory.GetGrain<ICreditWalletGrain>(Id);
            // Quotas first: a grant the wallet keeps refusing must not leave the period's quotas unset.
            if (State.PendingQuotas is { } quotas)
            {
                await wallet.SetQuotas(quotas);
                State.PendingQuotas = null;
                await subscription.WriteStateAsync();
            }
            while (State.PendingGrants.Count > 0)
            {
                var grant = State.PendingGrants[0];
                var result = await wallet.Grant(grant.Key, grant.Source, grant.AmountNanoCredits, grant.Priority, grant.ExpiresAt);
                if (!IsSettled(result)) throw new InvalidOperationException($"The wallet refused the grant '{grant.Key}': {result.Code}.");
                State.PendingGrants.RemoveAt(0);
                await subscription.WriteStateAsync();
            }
        }
        catch
        {
            await RegisterReminderAsync(Now + GrantRetryDelay);
            throw;
        }
        await EnsureReminderAsync();
    }

    /// <summary>
    /// Answered for good. The wallet answers a replay under the same key as a duplicate, or as a reuse
    /// when the grant's instant differs (the wallet fingerprints it): both mean it was granted.
    /// INVALID_AMOUNT is final too: a grant whose period is over has nothing left to give, and a wallet
    /// that already holds its 10^9-credit total refuses the grant and remembers that answer under the
    /// key, so sending it again would only fail every call until the period ends.
    /// </summary>
    private static bool IsSettled(DebitResult result) =>
        result.Status != DebitStatus.Rejected
        || result.Code is WalletErrorCodes.IdempotencyKeyReused or WalletErrorCodes.InvalidAmount;

    private async Task EnsureReminderAsync()
    {
        var dueAt = State.CurrentPeriodEnd;
        if (_reminderDueAt == dueAt) return;
        if (_reminderDueAt is null)
        {
            var existing = (await GetReminders()).FirstOrDefault(r => r.Name == RolloverReminder);
            if (existing?.NextDueAt == dueAt && existing.Period == RolloverRetryPeriod)
            {
                _reminderDueAt = dueAt;
                return;
            }
        }
        await RegisterReminderAsync(dueAt);
    }

    private async Task RegisterReminderAsync(DateTimeOffset dueAt)
    {
        await RegisterOrUpdateReminder(RolloverReminder, dueAt, RolloverRetryPeriod);
        _reminderDueAt = dueAt;
    }

    /// <summary>The subscribed plan; a plan removed from the catalog falls back to the default plan.</summary>
    private Plan CurrentPlan => Catalog.FindPlan(State.PlanId!) ?? Catalog.FindPlan(Catalog.DefaultPlanId)!;

    /// <summary>The most of an unknown plan id an error repeats: plan ids are short, and a caller's megabyte is not echoed back.</summary>
    private const int MaxPlanIdShownChars = 100;

    private Plan FindPlan(string planId) =>
        Catalog.FindPlan(planId) ?? throw new UserErrorException(UserErrorCodes.UnknownPlan,
            planId.Length <= MaxPlanIdShownChars ? $"There is no plan '{planId}'." : $"There is no plan '{planId[..MaxPlanIdShownChars]}...' ({planId.Length} characters).", ["planId"]);

    private PlanSubscriptionView ViewAt(DateTimeOffset now) => new(
        Id, State.PlanId!, State.Period, State.CurrentPeriodStart, State.CurrentPeriodEnd, State.Status,
        State.ScheduledChange is { } change ? new ScheduledPlanChange(change.PlanId, change.Period, change.EffectiveAt) : null,
        State.PacksByMonth.GetValueOrDefault(PlanPeriods.MonthKey(now)),
        State.LastChange is { } last ? new PlanChange(last.Number, last.At, last.Description, last.ActorUserId) : null);
}
