namespace OrgActors.Runtime.Hosting;

/// <summary>Limits and defaults of the runtime (docs/runtime.md explains each).</summary>
public sealed class SiloOptions
{
    /// <summary>An activation idle this long is deactivated (per class: [CollectionAgeLimit] or <see cref="IdleTimeoutByGrainType"/>).</summary>
    public TimeSpan DefaultIdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Idle timeouts by grain type name (e.g. "wallet"), overriding attributes.</summary>
    public Dictionary<string, TimeSpan> IdleTimeoutByGrainType { get; } = new(StringComparer.Ordinal);

    /// <summary>A caller waits this long for a response (per class: [ResponseTimeout]).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an activation may take to read its state and run OnActivateAsync; beyond it the activation
    /// fails and so do its calls, and the next call starts again. A grain whose state grows with use (a wallet
    /// that reads every idempotency key page) may need more; one that takes over a third of it is logged.
    /// </summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often late responses and idle activations are looked for: the resolution of both timeouts.</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long shutdown waits for running requests and OnDeactivateAsync before giving up on them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <see cref="ShutdownDrainTime"/> may be: a process manager's patience is finite.</summary>
    public static readonly TimeSpan MaxShutdownDrainTime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// On stop, how long the silo goes on serving while its readiness says not ready, before it stops taking
    /// requests: a load balancer polling readiness moves traffic away first. Zero (the default) stops at once.
    /// </summary>
    public TimeSpan ShutdownDrainTime { get; set; } = TimeSpan.Zero;

    /// <summary>A periodic reminder's period must be at least this long (one-shot reminders have none).</summary>
    public TimeSpan ReminderMinimumPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many reminders one grain may hold.</summary>
    public int MaxRemindersPerGrain { get; set; } = 64;

    /// <summary>
    /// The longest the reminder scheduler sleeps before it looks at the clock again: how late a reminder
    /// may fire when the clock jumps (a test clock, a corrected wall clock).
    /// </summary>
    public TimeSpan ReminderPollPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a readiness check waits for the stores to answer before it reports not ready.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A readiness check within this long of the last one answers as it did, without asking the stores again.</summary>
    public TimeSpan ReadinessCacheTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>This silo's endpoint as other silos will reach it; "local" for a single process.</summary>
    public string SiloEndpoint { get; set; } = "local";

    /// <summary>The longest a timeout, period or limit of the runtime may be: timers and cancellations hold at most about 49 days.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>The longest <see cref="ActivationTimeout"/> may be: a call that waits for an activation has its own response timeout.</summary>
    public static readonly TimeSpan MaxActivationTimeout = TimeSpan.FromHours(1);

    /// <summary>The longest <see cref="DefaultIdleTimeout"/> (and a grain type's) may be.</summary>
    public static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromDays(365);

    public void Validate()
    {
        Positive(DefaultIdleTimeout, MaxIdleTimeout, nameof(DefaultIdleTimeout));
        Positive(ResponseTimeout, MaxDuration, nameof(ResponseTimeout));
        Positive(ActivationTimeout, MaxActivationTimeout, nameof(ActivationTimeout));
        Positive(SweepPeriod, MaxDuration, nameof(SweepPeriod));
        Positive(ReminderMinimumPeriod, MaxDuration, nameof(ReminderMinimumPeriod));
        if (MaxRemindersPerGrain <= 0) throw new ArgumentOutOfRangeException(nameof(MaxRemindersPerGrain), "must be positive");
        Positive(ReminderPollPeriod, MaxDuration, nameof(ReminderPollPeriod));
        Positive(ShutdownTimeout, MaxDuration, nameof(ShutdownTimeout));
        if (ShutdownDrainTime < TimeSpan.Zero || ShutdownDrainTime > MaxShutdownDrainTime)
            throw new ArgumentOutOfRangeException(nameof(ShutdownDrainTime), $"must be from 00:00:00 to {MaxShutdownDrainTime:c}");
        Positive(ReadinessTimeout, MaxDuration, nameof(ReadinessTimeout));
        if (ReadinessCacheTime < TimeSpan.Zero || ReadinessCacheTime > MaxDuration)
            throw new ArgumentOutOfRangeException(nameof(ReadinessCacheTime), $"must be from 00:00:00 to {MaxDuration:c}");
    }

    private static void Positive(TimeSpan value, TimeSpan max, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, "must be positive");
        if (value > max) throw new ArgumentOutOfRangeException(name, $"must be at most {max:c}");
    }
}
