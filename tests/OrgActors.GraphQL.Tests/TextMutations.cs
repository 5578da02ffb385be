using FsCheck;
using FsCheck.Fluent;

namespace OrgActors.GraphQL.Tests;

/// <summary>Generated edits of a seed text (insert, delete, replace a fragment at a position), for the fuzz tests.</summary>
internal static class TextMutations
{
    /// <summary>A seed from <paramref name="seeds"/> with any number of edits using <paramref name="fragments"/>.</summary>
    public static Gen<string> Of(string[] seeds, string[] fragments, int maxPosition) =>
        from seed in Gen.Elements(seeds)
        from edits in Gen.ListOf(
            from kind in Gen.Choose(0, 2)
            from position in Gen.Choose(0, maxPosition)
            from fragment in Gen.Elements(fragments)
            select (kind, position, fragment))
        select Apply(seed, edits);

    public static string Apply(string seed, IEnumerable<(int Kind, int Position, string Fragment)> edits)
    {
        var text = seed;
        foreach (var (kind, position, fragment) in edits)
        {
            int at = text.Length == 0 ? 0 : position % (text.Length + 1);
            text = kind switch
            {
                0 => text.Insert(at, fragment),
                1 => at < text.Length ? text.Remove(at, Math.Min(fragment.Length, text.Length - at)) : text,
                _ => at < text.Length ? text.Remove(at, 1).Insert(at, fragment) : text + fragment,
            };
        }

        return text;
    }
}
