using System.Globalization;
using System.Text.Json;
using OrgActors.Runtime.Storage;

namespace OrgActors.Runtime.State;

/// <summary>Reads of persistent state that the runtime performs before OnActivateAsync.</summary>
internal interface IActivationStateReader
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One named state of one grain, serialized as JSON into a versioned storage record. A write that finds
/// a newer version asks the runtime to drop this activation and rethrows, so the stale copy never
/// answers again.
/// </summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IActivationStateReader where TState : new()
{
    private readonly IGrainStorage _storage;
    private readonly GrainStateKey _key;
    private readonly IGrainContext _context;
    private long _version;

    public PersistentState(IGrainStorage storage, GrainStateKey key, IGrainContext context)
    {
        _storage = storage;
        _key = key;
        _context = context;
    }

    public TState State { get; set; } = new();

    public string? Etag => _version == 0 ? null : _version.ToString(CultureInfo.InvariantCulture);

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await _storage.ReadAsync(_key, cancellationToken);
        _version = stored.Version;
        RecordExists = stored.RecordExists;
        State = stored.Payload is { } payload
            ? JsonSerializer.Deserialize<TState>(payload, GrainStateJson.Options) ?? new TState()
            : new TState();
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(State, GrainStateJson.Options);
        try { _version = await _storage.WriteAsync(_key, payload, _version, cancellationToken); }
        catch (InconsistentStateException) { DropActivation(); throw; }
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        try { _version = await _storage.ClearAsync(_key, _version, cancellationToken); }
        catch (InconsistentStateException) { DropActivation(); throw; }
        RecordExists = false;
        State = new TState();
    }

    private void DropActivation() => _context.Deactivate(new DeactivationReason(
        DeactivationReasonCode.InconsistentState, $"State {_key} was changed by another writer; this activation is stale."));
}

/// <summary>The one JSON configuration for grain state, so every provider stores the same bytes.</summary>
public static class GrainStateJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        IncludeFields = true,
    };
}
