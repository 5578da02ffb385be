using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrgActors.Runtime.Calls;
using OrgActors.Runtime.Identity;

namespace OrgActors.Runtime.Activation;

/// <summary>
/// The activations of this silo, by grain identity: routes each call to the one activation of its
/// grain (creating it on first call), and collects idle ones and late responses.
/// </summary>
internal sealed class Catalog
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly IPartitionOwnership _ownership;
    private volatile bool _stopping;
    private IReminderRegistry? _reminders;

    public Catalog(IServiceProvider services, TimeProvider timeProvider, IPartitionOwnership ownership, ILogger<Catalog> logger)
    {
        Services = services;
        TimeProvider = timeProvider;
        _ownership = ownership;
        Logger = logger;
    }

    public IServiceProvider Services { get; }
    public TimeProvider TimeProvider { get; }
    public ILogger Logger { get; }
    public IGrainFactory GrainFactory { get; internal set; } = null!;

    /// <summary>Resolved on first use: the reminder service itself calls grains through this catalog.</summary>
    public IReminderRegistry Reminders => _reminders ??= (IReminderRegistry)(Services.GetService(typeof(IReminderRegistry))
        ?? throw new InvalidOperationException("The silo has no reminder service."));

    public int ActivationCount => _activations.Count;

    /// <summary>Activations by grain type, for <see cref="Hosting.RuntimeMetrics"/>: walks them without locking the catalog.</summary>
    public Dictionary<string, int> CountByGrainType()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, _) in _activations) counts[id.Type] = counts.GetValueOrDefault(id.Type) + 1;
        return counts;
    }

    /// <summary>Calls a method on the grain a reference points to; returns what the interface method returns.</summary>
    public object Invoke(GrainReference target, MethodDescriptor method, object?[] args)
    {
        if (_stopping) return method.FromException(new SiloUnavailableException($"The silo is stopping; {method.Name} on {target.GrainId} was not delivered."));
        if (!_ownership.IsOwnedLocally(target.Partition))
        {
            return method.FromException(new SiloUnavailableException(
                $"Partition {target.Partition} of {target.GrainId} is not owned by this silo; remote calls need the cluster transport."));
        }
        var callers = ActivationData.ChainForOutgoingCall();
        while (true)
        {
            var result = GetOrCreate(target.GrainId, target.GrainClass).Call(method, args, callers);
            if (result is not null) return result;
        }
    }

    /// <summary>Routes a request that reached an activation after it was deactivated.</summary>
    public void Redispatch(ActivationData from, Request request)
    {
        if (_stopping)
        {
            request.Fail(new SiloUnavailableException($"The silo stopped before {request.Name} on {from.GrainId} ran."));
            return;
        }
        while (!GetOrCreate(from.GrainId, from.GrainClass).Enqueue(request)) { }
    }

    private ActivationData GetOrCreate(GrainId id, GrainClassInfo grainClass)
    {
        if (_activations.TryGetValue(id, out var existing)) return existing;
        var created = new ActivationData(id, grainClass, this);
        var winner = _activations.GetOrAdd(id, created);
        if (ReferenceEquals(winner, created)) created.StartActivation();
        return winner;
    }

    public void Remove(ActivationData activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    public ActivationData? Find(GrainId id) => _activations.TryGetValue(id, out var a) ? a : null;

    /// <summary>One sweep: time out late calls, deactivate idle activations.</summary>
    public void Sweep()
    {
        var now = TimeProvider.GetTimestamp();
        var expired = new List<(Request Request, GrainCallTimeoutException Error)>();
        foreach (var activation in _activations.Values)
        {
            activation.CollectExpiredRequests(now, expired);
            if (!_stopping) activation.CollectIfIdle(now);
        }
        // Oldest first: when a chain of calls times out in one sweep, the outermost caller must hear its
        // own error (which names a cycle the chain is stuck in), not the inner calls' failure passed up
        // to it, as it would if an inner call were answered first and its grain rethrew before this
        // sweep reached the outer one.
        expired.Sort(static (x, y) => x.Request.IssuedTimestamp.CompareTo(y.Request.IssuedTimestamp));
        foreach (var (request, error) in expired) request.Fail(error);
    }

    /// <summary>Stops accepting calls, lets running requests finish, and deactivates every activation.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _stopping = true;
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is stopping.");
        var all = _activations.Values.ToArray();
        foreach (var activation in all) activation.Deactivate(reason);
        var done = Task.WhenAll(all.Select(a => a.Deactivated));
        if (await Task.WhenAny(done, Task.Delay(timeout)) != done)
        {
            Logger.LogWarning("{Count} activations did not deactivate within {TimeoutMs} ms of shutdown", all.Count(a => !a.Deactivated.IsCompleted), (long)timeout.TotalMilliseconds);
            var error = new SiloUnavailableException("The silo stopped.");
            foreach (var activation in all) activation.FailPending(error);
        }
    }
}
