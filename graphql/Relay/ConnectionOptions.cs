namespace OrgActors.GraphQL.Relay;

/// <summary>Paging rules of one connection field.</summary>
public sealed record ConnectionOptions
{
    /// <summary>Upper bound for <see cref="MaxPageSize"/>.</summary>
    public const int MaxAllowedPageSize = 10_000;

    private readonly int _maxPageSize = 100;
    private readonly int _defaultPageSize = 20;

    /// <summary>MaxPageSize 100, DefaultPageSize 20, first and last together allowed.</summary>
    public static ConnectionOptions Default { get; } = new();

    /// <summary>"first" or "last" above this is an error (<see cref="ErrorCodes.PageSizeExceeded"/>), never silently clamped.</summary>
    public int MaxPageSize
    {
        get => _maxPageSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxAllowedPageSize);
            _maxPageSize = value;
        }
    }

    /// <summary>The page size when neither "first" nor "last" is given (at most <see cref="MaxPageSize"/>).</summary>
    public int DefaultPageSize
    {
        get => _defaultPageSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxAllowedPageSize);
            _defaultPageSize = value;
        }
    }

    /// <summary>The Relay specification allows "first" and "last" together (discouraged); false refuses it.</summary>
    public bool AllowFirstAndLast { get; init; } = true;

    /// <summary>Cross-property checks (init setters cannot see each other's values).</summary>
    internal void Validate()
    {
        if (DefaultPageSize > MaxPageSize)
        {
            throw new ArgumentException("ConnectionOptions.DefaultPageSize (" + DefaultPageSize + ") must not exceed MaxPageSize (" + MaxPageSize + ").");
        }
    }
}
