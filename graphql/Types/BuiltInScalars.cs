using System.Globalization;
using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Types;

/// <summary>The five specified scalars with the exact coercion rules (and messages) of graphql-js.</summary>
public static class BuiltInScalars
{
    public static readonly ScalarType Int = new IntScalar();
    public static readonly ScalarType Float = new FloatScalar();
    public static readonly ScalarType String = new StringScalar();
    public static readonly ScalarType Boolean = new BooleanScalar();
    public static readonly ScalarType ID = new IdScalar();

    public static readonly IReadOnlyList<ScalarType> All = [String, Int, Float, Boolean, ID];

    public static bool IsBuiltIn(string name) => name is "String" or "Int" or "Float" or "Boolean" or "ID";

    // Boxed once: serialising true/false/0/1 allocates nothing.
    internal static readonly object BoxedTrue = true;
    internal static readonly object BoxedFalse = false;

    internal static object Box(bool value) => value ? BoxedTrue : BoxedFalse;

    /// <summary>A .NET number as a double, or null when the value is not numeric.</summary>
    internal static double? AsDouble(object value) => value switch
    {
        int i => i,
        long l => l,
        double d => d,
        float f => f,
        decimal m => (double)m,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint ui => ui,
        ulong ul => ul,
        _ => null,
    };

    private sealed class IntScalar : ScalarType
    {
        public IntScalar()
            : base("Int", "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1.")
        {
        }

        public override bool IsSpecified => true;

        public override object? Serialize(object value)
        {
            if (value is int) return value;
            if (value is bool b) return b ? 1 : 0;
            double? number = value is string s && s.Length > 0
                ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN
                : AsDouble(value);
            if (number is not { } n || double.IsNaN(n) || double.IsInfinity(n) || Math.Floor(n) != n)
            {
                throw Error("Int cannot represent non-integer value: " + Describe(value));
            }

            if (n > int.MaxValue || n < int.MinValue)
            {
                throw Error("Int cannot represent non 32-bit signed integer value: " + Describe(value));
            }

            return (int)n;
        }

        public override object? ParseValue(object? value)
        {
            if (value is int) return value;
            double? number = value is null or bool or string ? null : AsDouble(value);
            if (number is not { } n || double.IsNaN(n) || double.IsInfinity(n) || Math.Floor(n) != n)
            {
                throw Error("Int cannot represent non-integer value: " + Describe(value));
            }

            if (n > int.MaxValue || n < int.MinValue)
            {
                throw Error("Int cannot represent non 32-bit signed integer value: " + Describe(value));
            }

            return (int)n;
        }

        public override object? ParseLiteral(ValueNode literal)
        {
            if (literal is not IntValueNode intNode)
            {
                throw Error("Int cannot represent non-integer value: " + DescribeLiteral(literal));
            }

            if (!int.TryParse(intNode.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int result))
            {
                throw Error("Int cannot represent non 32-bit signed integer value: " + DescribeLiteral(literal));
            }

            return result;
        }

        public override ValueNode? ToLiteral(object? value) =>
            new IntValueNode(((int)Serialize(value!)!).ToString(CultureInfo.InvariantCulture), SourceLocation.None);
    }

    private sealed class FloatScalar : ScalarType
    {
        public FloatScalar()
            : base("Float", "The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point).")
        {
        }

        public override bool IsSpecified => true;

        public override object? Serialize(object value)
        {
            if (value is double d0 && double.IsFinite(d0)) return value;
            if (value is bool b) return b ? 1d : 0d;
            double? number = value is string s && s.Length > 0
                ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null
                : AsDouble(value);
            if (number is not { } n || !double.IsFinite(n))
            {
                throw Error("Float cannot represent non numeric value: " + Describe(value));
            }

            return n;
        }

        public override object? ParseValue(object? value)
        {
            double? number = value is null or bool or string ? null : AsDouble(value);
            if (number is not { } n || !double.IsFinite(n))
            {
                throw Error("Float cannot represent non numeric value: " + Describe(value));
            }

            return n;
        }

        public override object? ParseLiteral(ValueNode literal)
        {
            string? text = literal switch
            {
                FloatValueNode f => f.Value,
                IntValueNode i => i.Value,
                _ => null,
            };
            if (text is null) throw Error("Float cannot represent non numeric value: " + DescribeLiteral(literal));
            double result = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(result)) throw Error("Float cannot represent non numeric value: " + DescribeLiteral(literal));
            return result;
        }

        public override ValueNode? ToLiteral(object? value)
        {
            double number = (double)Serialize(value!)!;
            string text = Utilities.ValueInspector.FormatNumber(number);
            bool isInteger = text.All(c => char.IsAsciiDigit(c) || c == '-');
            return isInteger ? new IntValueNode(text, SourceLocation.None) : new FloatValueNode(text, SourceLocation.None);
        }
    }

    private sealed class StringScalar : ScalarType
    {
        public StringScalar()
            : base("String", "The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text.")
        {
        }

        public override bool IsSpecified => true;

        public override object? Serialize(object value)
        {
            switch (value)
            {
                case string: return value;
                case bool b: return b ? "true" : "false";
                case char c: return c.ToString();
                case Enum e: return e.ToString();
            }

            if (AsDouble(value) is { } n && double.IsFinite(n))
            {
                return value is double or float ? Utilities.ValueInspector.FormatNumber(n) : Convert.ToString(value, CultureInfo.InvariantCulture);
            }

            throw Error("String cannot represent value: " + Describe(value));
        }

        public override object? ParseValue(object? value) =>
            value as string ?? throw Error("String cannot represent a non string value: " + Describe(value));

        public override object? ParseLiteral(ValueNode literal) =>
            literal is StringValueNode s ? s.Value : throw Error("String cannot represent a non string value: " + DescribeLiteral(literal));

        public override ValueNode? ToLiteral(object? value) => new StringValueNode((string)Serialize(value!)!, false, SourceLocation.None);
    }

    private sealed class BooleanScalar : ScalarType
    {
        public BooleanScalar()
            : base("Boolean", "The `Boolean` scalar type represents `true` or `false`.")
        {
        }

        public override bool IsSpecified => true;

        public override object? Serialize(object value)
        {
            if (value is bool) return value;
            if (AsDouble(value) is { } n && double.IsFinite(n)) return Box(n != 0);
            throw Error("Boolean cannot represent a non boolean value: " + Describe(value));
        }

        public override object? ParseValue(object? value) =>
            value is bool ? value : throw Error("Boolean cannot represent a non boolean value: " + Describe(value));

        public override object? ParseLiteral(ValueNode literal) =>
            literal is BooleanValueNode b ? Box(b.Value) : throw Error("Boolean cannot represent a non boolean value: " + DescribeLiteral(literal));

        public override ValueNode? ToLiteral(object? value) => new BooleanValueNode((bool)Serialize(value!)!, SourceLocation.None);
    }

    private sealed class IdScalar : ScalarType
    {
        public IdScalar()
            : base("ID", "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID.")
        {
        }

        public override bool IsSpecified => true;

        public override object? Serialize(object value)
        {
            if (value is string) return value;
            if (value is Guid g) return g.ToString();
            if (value is not bool && AsDouble(value) is { } n && Math.Floor(n) == n && double.IsFinite(n))
            {
                return Convert.ToString(value, CultureInfo.InvariantCulture);
            }

            throw Error("ID cannot represent value: " + Describe(value));
        }

        public override object? ParseValue(object? value)
        {
            if (value is string) return value;
            if (value is int or long or short or byte or sbyte or ushort or uint or ulong)
            {
                return Convert.ToString(value, CultureInfo.InvariantCulture);
            }

            if (value is double d && Math.Floor(d) == d && double.IsFinite(d) && Math.Abs(d) < 9007199254740992d)
            {
                return ((long)d).ToString(CultureInfo.InvariantCulture);
            }

            throw Error("ID cannot represent value: " + Describe(value));
        }

        public override object? ParseLiteral(ValueNode literal) => literal switch
        {
            StringValueNode s => s.Value,
            IntValueNode i => i.Value,
            _ => throw Error("ID cannot represent a non-string and non-integer value: " + DescribeLiteral(literal)),
        };

        public override ValueNode? ToLiteral(object? value)
        {
            string id = (string)Serialize(value!)!;
            // graphql-js prints integer-looking IDs as Int literals.
            bool isInteger = id.Length > 0 && id.All(char.IsAsciiDigit) && (id == "0" || id[0] != '0');
            return isInteger ? new IntValueNode(id, SourceLocation.None) : new StringValueNode(id, false, SourceLocation.None);
        }
    }
}
