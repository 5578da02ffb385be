using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.State;

/// <summary>The storage providers of a silo by name; "Default" is the one the silo was configured with.</summary>
public sealed class GrainStorageRegistry
{
    public const string DefaultName = "Default";

    private readonly Dictionary<string, IGrainStorage> _providers = new(StringComparer.OrdinalIgnoreCase);

    public GrainStorageRegistry(IGrainStorage defaultStorage) => _providers[DefaultName] = defaultStorage;

    public IEnumerable<IGrainStorage> All => _providers.Values.Distinct();

    public void Add(string name, IGrainStorage storage) => _providers[name] = storage;

    public IGrainStorage Get(string? name) =>
        _providers.TryGetValue(name ?? DefaultName, out var storage)
            ? storage
            : throw new InvalidOperationException($"No grain storage provider is named '{name}'. Known: {string.Join(", ", _providers.Keys)}.");
}
