namespace OrgActors.Runtime.Storage;

/// <summary>
/// The store itself failed: it could not be opened (unreachable server, unwritable directory), or the
/// transaction that carried a write did not commit. Unlike <see cref="InconsistentStateException"/> this
/// says nothing about who else wrote; the message names what went wrong and the inner exception has the
/// driver's details. Messages never contain connection passwords.
/// </summary>
public sealed class GrainStorageException(string message, Exception? innerException = null)
    : Exception(message, innerException);
