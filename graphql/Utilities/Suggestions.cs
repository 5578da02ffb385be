namespace OrgActors.GraphQL.Utilities;

/// <summary>graphql-js's suggestionList and didYouMean, for "Did you mean ...?" hints.</summary>
public static class Suggestions
{
    private const int MaxSuggestions = 5;

    /// <summary>Options close to <paramref name="input"/> by Damerau-Levenshtein distance, best first.</summary>
    public static IReadOnlyList<string> List(string input, IEnumerable<string> options)
    {
        var distances = new Dictionary<string, int>(StringComparer.Ordinal);
        int threshold = (int)Math.Floor(input.Length * 0.4) + 1;
        string inputLower = input.ToLowerInvariant();
        foreach (var option in options)
        {
            int? distance = Measure(input, inputLower, option, threshold);
            if (distance is not null) distances[option] = distance.Value;
        }

        var result = distances.Keys.ToList();
        result.Sort((a, b) =>
        {
            int diff = distances[a] - distances[b];
            return diff != 0 ? diff : NaturalCompare(a, b);
        });
        return result;
    }

    /// <summary>" Did you mean "a", "b", or "c"?" (empty when there is nothing to suggest).</summary>
    public static string DidYouMean(IReadOnlyList<string> suggestions, string? subMessage = null)
    {
        string message = " Did you mean ";
        if (subMessage is not null) message += subMessage + " ";
        var quoted = suggestions.Select(s => "\"" + s + "\"").ToList();
        switch (quoted.Count)
        {
            case 0: return "";
            case 1: return message + quoted[0] + "?";
            case 2: return message + quoted[0] + " or " + quoted[1] + "?";
        }

        var selected = quoted.Take(MaxSuggestions).ToList();
        string last = selected[^1];
        selected.RemoveAt(selected.Count - 1);
        return message + string.Join(", ", selected) + ", or " + last + "?";
    }

    private static int? Measure(string input, string inputLower, string option, int threshold)
    {
        if (input == option) return 0;
        string optionLower = option.ToLowerInvariant();
        // A change of case only counts as a single edit.
        if (inputLower == optionLower) return 1;
        string a = optionLower, b = inputLower;
        if (a.Length < b.Length) (a, b) = (b, a);
        int aLength = a.Length, bLength = b.Length;
        if (aLength - bLength > threshold) return null;

        var rows = new int[3][];
        for (int r = 0; r < 3; r++) rows[r] = new int[bLength + 1];
        for (int j = 0; j <= bLength; j++) rows[0][j] = j;

        for (int i = 1; i <= aLength; i++)
        {
            var upRow = rows[(i - 1) % 3];
            var currentRow = rows[i % 3];
            int smallestCell = currentRow[0] = i;
            for (int j = 1; j <= bLength; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int currentCell = Math.Min(Math.Min(upRow[j] + 1, currentRow[j - 1] + 1), upRow[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    currentCell = Math.Min(currentCell, rows[(i - 2) % 3][j - 2] + 1);
                }

                if (currentCell < smallestCell) smallestCell = currentCell;
                currentRow[j] = currentCell;
            }

            if (smallestCell > threshold) return null;
        }

        int distance = rows[aLength % 3][bLength];
        return distance <= threshold ? distance : null;
    }

    /// <summary>graphql-js's naturalCompare: digit runs compare numerically.</summary>
    public static int NaturalCompare(string a, string b)
    {
        int aIndex = 0, bIndex = 0;
        while (aIndex < a.Length && bIndex < b.Length)
        {
            char aChar = a[aIndex], bChar = b[bIndex];
            if (char.IsAsciiDigit(aChar) && char.IsAsciiDigit(bChar))
            {
                int aStart = aIndex, bStart = bIndex;
                while (aIndex < a.Length && char.IsAsciiDigit(a[aIndex])) aIndex++;
                while (bIndex < b.Length && char.IsAsciiDigit(b[bIndex])) bIndex++;
                var aNum = decimal.Parse(a.AsSpan(aStart, Math.Min(aIndex - aStart, 28)), provider: System.Globalization.CultureInfo.InvariantCulture);
                var bNum = decimal.Parse(b.AsSpan(bStart, Math.Min(bIndex - bStart, 28)), provider: System.Globalization.CultureInfo.InvariantCulture);
                if (aNum < bNum) return -1;
                if (aNum > bNum) return 1;
            }
            else
            {
                if (aChar < bChar) return -1;
                if (aChar > bChar) return 1;
                aIndex++;
                bIndex++;
            }
        }

        return (a.Length - aIndex).CompareTo(b.Length - bIndex);
    }
}
