namespace OrgActors.GraphQL;

public static partial class ErrorCodes
{
    /// <summary>A data loader found no value for a key and its options say that is an error.</summary>
    public const string NotFound = "NOT_FOUND";
}
