using System.Collections;

namespace OrgActors.GraphQL.Execution;

/// <summary>
/// An object in the response: response keys in selection order with their values. Fixed-size and
/// array-backed, because the executor knows the number of fields before resolving any of them.
/// </summary>
public sealed class ResultMap : IReadOnlyDictionary<string, object?>
{
    private readonly string[] _keys;
    private readonly object?[] _values;

    public ResultMap(int capacity)
    {
        _keys = capacity == 0 ? [] : new string[capacity];
        _values = capacity == 0 ? [] : new object?[capacity];
    }

    public int Count => _keys.Length;

    public IEnumerable<string> Keys => _keys;

    public IEnumerable<object?> Values => _values;

    public object? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    internal void Set(int index, string key, object? value)
    {
        _keys[index] = key;
        _values[index] = value;
    }

    internal string KeyAt(int index) => _keys[index];

    internal object? ValueAt(int index) => _values[index];

    public bool ContainsKey(string key) => Array.IndexOf(_keys, key) >= 0;

    public bool TryGetValue(string key, out object? value)
    {
        int index = Array.IndexOf(_keys, key);
        value = index >= 0 ? _values[index] : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (int i = 0; i < _keys.Length; i++) yield return new KeyValuePair<string, object?>(_keys[i], _values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
