namespace OrgActors.Runtime.Hosting;

/// <summary>How the silo's runtime stopped, for the process's exit code.</summary>
public enum SiloStopOutcome
{
    /// <summary>Not stopped, or stopped with every write queued while stopping committed.</summary>
    Clean,

    /// <summary>Writes failed or were not confirmed while stopping (their callers were told).</summary>
    WritesFailed,

    /// <summary>
    /// The store did not answer, and the stop gave up waiting at the host's shutdown limit. Closing the store's
    /// connections would wait on it as long again: the process should end without it.
    /// </summary>
    CutShortAtShutdownLimit,
}
