namespace OrgActors.GraphQL.Relay;

/// <summary>
/// What a connection asks a slice source for: items ordered by a string sort key, strictly after
/// <see cref="AfterKey"/> (when set) and strictly before <see cref="BeforeKey"/> (when set), at most
/// <see cref="Limit"/> of them: the first ones, or with <see cref="FromEnd"/> the last ones (still
/// returned in ascending order). Limit is one more than the page size, so the connection can tell
/// whether more items exist.
/// </summary>
public sealed record SliceRequest(string? AfterKey, string? BeforeKey, int Limit, bool FromEnd, bool IncludeTotalCount);

/// <summary>A slice source's answer; <see cref="TotalCount"/> is required when the request's IncludeTotalCount is set.</summary>
public sealed record ConnectionSlice<T>(IReadOnlyList<T> Items, int? TotalCount = null);

/// <summary>Fetches one slice of a list that cannot be materialised (e.g. held by a grain).</summary>
public delegate Task<ConnectionSlice<T>> ConnectionSliceSource<T>(SliceRequest request, CancellationToken cancellationToken);
