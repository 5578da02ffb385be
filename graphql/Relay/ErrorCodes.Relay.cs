namespace OrgActors.GraphQL;

public static partial class ErrorCodes
{
    /// <summary>A connection's "after" or "before" argument is not a cursor this field produced.</summary>
    public const string InvalidCursor = "INVALID_CURSOR";

    /// <summary>A connection's "first" or "last" argument asks for more items than the field's page-size cap.</summary>
    public const string PageSizeExceeded = "PAGE_SIZE_EXCEEDED";
}
