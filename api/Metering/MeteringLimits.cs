namespace OrgActors.Api.Metering;

/// <summary>Bounds on what metering services send, the same over HTTP and GraphQL.</summary>
public static class MeteringLimits
{
    /// <summary>Event, reservation and organization ids, in characters (the wallet keeps keys of at most 200).</summary>
    public const int MaxIdLength = 200;

    /// <summary>Meter and model names, in characters.</summary>
    public const int MaxTextLength = 200;

    /// <summary>The longest node type name accepted before it is compared (PUBLIC, PRIVATE), in characters.</summary>
    public const int MaxNodeTypeLength = 16;
}
