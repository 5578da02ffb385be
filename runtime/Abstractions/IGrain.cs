namespace OrgActors.Runtime;

/// <summary>Marker for grain interfaces. Every method returns Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;.</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key, as in Orleans.</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>Hands out references to grains. A reference can be held, passed and called before any activation exists.</summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;
}
