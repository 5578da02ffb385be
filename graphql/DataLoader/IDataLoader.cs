namespace OrgActors.GraphQL.DataLoader;

/// <summary>A request-scoped loader; implement it by deriving from <see cref="DataLoader{TKey, TValue}"/>.</summary>
public interface IDataLoader
{
    /// <summary>Used in error messages.</summary>
    string Name { get; }

    /// <summary>Forgets every cached value; loads in flight still complete.</summary>
    void ClearAll();
}
