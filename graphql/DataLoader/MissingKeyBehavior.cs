namespace OrgActors.GraphQL.DataLoader;

/// <summary>What a load gets when the batch function returned no value (or null) for its key.</summary>
public enum MissingKeyBehavior
{
    /// <summary>The load completes with null (the default value of a value type).</summary>
    ReturnNull,

    /// <summary>The load fails with a <see cref="GraphQLException"/> coded <see cref="ErrorCodes.NotFound"/>.</summary>
    Error,
}
