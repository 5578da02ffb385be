namespace OrgActors.GraphQL.DataLoader;

/// <summary>Settings of one loader.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Keys per batch-function call unless configured otherwise.</summary>
    public const int DefaultMaxBatchSize = 1000;

    /// <summary>Upper bound of <see cref="MaxBatchSize"/>: a larger batch is more likely a bug than a plan.</summary>
    public const int MaxAllowedBatchSize = 1_000_000;

    private readonly int _maxBatchSize = DefaultMaxBatchSize;

    public static DataLoaderOptions Default { get; } = new();

    /// <summary>More keys than this in one round are split into several calls, started together.</summary>
    public int MaxBatchSize
    {
        get => _maxBatchSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxAllowedBatchSize);
            _maxBatchSize = value;
        }
    }

    public MissingKeyBehavior MissingKeys { get; init; } = MissingKeyBehavior.ReturnNull;

    /// <summary>
    /// Keep results for the rest of the request, so a key is fetched once however often it is loaded.
    /// When false, keys are still deduplicated within one batch. Failed loads are never cached.
    /// </summary>
    public bool CacheResults { get; init; } = true;
}
