using System.Text;

namespace OrgActors.GraphQL.Types;

public static class NameConventions
{
    /// <summary>PascalCase or camelCase to CONSTANT_CASE, e.g. "DarkBlue" to "DARK_BLUE".</summary>
    public static string ToConstantCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }
}
