namespace OrgActors.Runtime.Activation;

/// <summary>
/// The grains a request passed through, innermost last: an immutable linked list carried by every
/// grain-to-grain call so that a call cycle can be named when it times out.
/// </summary>
internal sealed class CallChain(GrainId grain, CallChain? parent)
{
    /// <summary>Chains deeper than this are cut: a chain is diagnostics, not a stack.</summary>
    public const int MaxDepth = 64;

    public GrainId Grain { get; } = grain;
    public CallChain? Parent { get; } = parent;
    public int Depth { get; } = parent is null ? 1 : Math.Min(parent.Depth + 1, MaxDepth);

    /// <summary>Outermost first.</summary>
    public List<GrainId> ToList()
    {
        var list = new List<GrainId>(Depth);
        for (var c = this; c is not null && list.Count < MaxDepth; c = c.Parent) list.Add(c.Grain);
        list.Reverse();
        return list;
    }

    public bool Contains(GrainId grain)
    {
        for (var c = this; c is not null; c = c.Parent) if (c.Grain == grain) return true;
        return false;
    }

    /// <summary>When <paramref name="target"/> is already in the chain, the cycle from it back to itself.</summary>
    public static List<GrainId>? FindCycle(CallChain? callers, GrainId target)
    {
        if (callers is null || !callers.Contains(target)) return null;
        var path = callers.ToList();
        var first = path.IndexOf(target);
        if (first < 0) return null;
        var cycle = path.GetRange(first, path.Count - first);
        cycle.Add(target);
        return cycle;
    }
}
