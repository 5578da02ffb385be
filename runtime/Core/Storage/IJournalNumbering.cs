namespace OrgActors.Runtime.Storage;

/// <summary>
/// A journal store that numbers its journals (<see cref="JournalStreamIds"/>) and can do so ahead of the
/// first append.
/// </summary>
internal interface IJournalNumbering
{
    /// <summary>
    /// Numbers the journal now (creating its number if it has none) unless it is numbered already, so that
    /// its first append does not make a group commit wait for a numbering transaction. Called by the
    /// journal's owner when it activates.
    /// </summary>
    Task NumberJournalAsync(GrainStateKey journal, CancellationToken cancellationToken);
}
