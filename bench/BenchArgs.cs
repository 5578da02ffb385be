using System.Globalization;

namespace OrgActors.Bench;

/// <summary>A scenario's options: <c>--name value</c> pairs after the scenario's name.</summary>
internal static class BenchArgs
{
    /// <summary>The value after <paramref name="name"/>, or null when the option is absent or has none.</summary>
    public static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>A whole number from 1 to <paramref name="max"/>, or <paramref name="defaultValue"/> when the option is absent; anything else is refused.</summary>
    public static int WholeNumber(string[] args, string name, int defaultValue, int max)
    {
        if (!args.Contains(name)) return defaultValue;
        var text = Value(args, name);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1 || value > max)
            throw new ArgumentException($"{name} takes a whole number from 1 to {max}; got '{text ?? "nothing"}'.");
        return value;
    }
}
