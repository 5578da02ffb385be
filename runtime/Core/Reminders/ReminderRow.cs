namespace OrgActors.Runtime.Reminders;

/// <summary>Identifies a reminder in the cluster: its grain and its name.</summary>
internal readonly record struct ReminderKey(GrainId GrainId, string Name)
{
    public override string ToString() => $"{GrainId}#{Name}";
}

/// <summary>
/// One reminder as stored in its partition's reminder table. <see cref="DueAtUnixMs"/> is the next tick's
/// due time and moves forward after each delivered tick, so a tick missed while no silo ran is seen as
/// due at start. <see cref="PeriodMs"/> is 0 for a one-shot reminder. <see cref="RegistrationId"/> changes
/// with every registration, so that a tick of a replaced reminder does not touch its successor.
/// </summary>
internal sealed record ReminderRow(string GrainType, string GrainKey, string Name, long DueAtUnixMs, long PeriodMs, string RegistrationId)
{
    public ReminderKey Key => new(new GrainId(GrainType, GrainKey), Name);

    public bool IsOneShot => PeriodMs == 0;

    public TimeSpan Period => IsOneShot ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(PeriodMs);

    public DateTimeOffset DueAt => DateTimeOffset.FromUnixTimeMilliseconds(DueAtUnixMs);

    public GrainReminder ToReminder() => new(Name, DueAt, Period);
}
