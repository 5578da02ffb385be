using System.Globalization;
using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Types;

/// <summary>
/// The IBM "GraphQL Cost Directives" draft: <c>@cost(weight:)</c> and <c>@listSize(...)</c>, read by
/// the cost analysis (<see cref="Validation.Cost.CostAnalyzer"/>). Apply them with the extension
/// methods below (or <c>.Directive("cost", ("weight", "2"))</c>); the schema then declares the
/// directives, so they show in SDL and introspection. Usages are checked when the schema is built.
/// </summary>
public static class CostDirectives
{
    public const string CostName = "cost";
    public const string ListSizeName = "listSize";

    /// <summary>A weight for a field, argument, input field, object type, enum or scalar.</summary>
    public static FieldBuilder Cost(this FieldBuilder field, string weight) => field.Directive(CostName, ("weight", weight));

    public static FieldBuilder Cost(this FieldBuilder field, double weight) => field.Cost(FormatWeight(weight));

    /// <summary>
    /// How many items a list field returns: the value of one of <paramref name="slicingArguments"/>,
    /// else <paramref name="assumedSize"/>. With <paramref name="sizedFields"/> the size applies to
    /// those list fields of the returned object instead (connections: <c>edges</c>, <c>nodes</c>).
    /// </summary>
    public static FieldBuilder ListSize(
        this FieldBuilder field,
        int? assumedSize = null,
        IReadOnlyList<string>? slicingArguments = null,
        IReadOnlyList<string>? sizedFields = null,
        bool requireOneSlicingArgument = true)
    {
        var arguments = new List<(string, object?)>();
        if (assumedSize is not null) arguments.Add(("assumedSize", assumedSize.Value));
        if (slicingArguments is not null) arguments.Add(("slicingArguments", slicingArguments.ToArray()));
        if (sizedFields is not null) arguments.Add(("sizedFields", sizedFields.ToArray()));
        arguments.Add(("requireOneSlicingArgument", requireOneSlicingArgument));
        return field.Directive(ListSizeName, arguments.ToArray());
    }

    public static InputValueBuilder Cost(this InputValueBuilder inputValue, string weight) => inputValue.Directive(CostName, ("weight", weight));

    public static InputValueBuilder Cost(this InputValueBuilder inputValue, double weight) => inputValue.Cost(FormatWeight(weight));

    public static ObjectTypeBuilder Cost(this ObjectTypeBuilder type, string weight) => type.Directive(CostName, ("weight", weight));

    public static ObjectTypeBuilder Cost(this ObjectTypeBuilder type, double weight) => type.Cost(FormatWeight(weight));

    public static EnumTypeBuilder Cost(this EnumTypeBuilder type, string weight) => type.Directive(CostName, ("weight", weight));

    public static EnumTypeBuilder Cost(this EnumTypeBuilder type, double weight) => type.Cost(FormatWeight(weight));

    public static ScalarTypeBuilder Cost(this ScalarTypeBuilder type, string weight) => type.Directive(CostName, ("weight", weight));

    public static ScalarTypeBuilder Cost(this ScalarTypeBuilder type, double weight) => type.Cost(FormatWeight(weight));

    /// <summary>A weight as the draft writes it: a string holding a non-negative number ("2", "0.5"); null when invalid.</summary>
    public static double? ParseWeight(object? value)
    {
        double? weight = value switch
        {
            string text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) ? parsed : null,
            int i => i,
            long l => l,
            double d => d,
            float f => f,
            decimal m => (double)m,
            _ => null,
        };
        return weight is { } w && double.IsFinite(w) && w >= 0 ? w : null;
    }

    private static string FormatWeight(double weight) => weight.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>directive @cost(weight: String!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR</summary>
    public static DirectiveDefinition CreateCostDefinition() => new(CostName)
    {
        Description = "The cost of resolving a field, argument or input field, or of a value of an object, enum or scalar type, for static cost analysis.",
        Locations =
        [
            DirectiveLocation.ArgumentDefinition, DirectiveLocation.Enum, DirectiveLocation.FieldDefinition,
            DirectiveLocation.InputFieldDefinition, DirectiveLocation.Object, DirectiveLocation.Scalar,
        ],
        Arguments =
        [
            new InputValueDefinition("weight")
            {
                Type = new NonNullType(BuiltInScalars.String),
                Description = "A non-negative number, as a string (for instance \"2.5\").",
            },
        ],
    };

    /// <summary>directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION</summary>
    public static DirectiveDefinition CreateListSizeDefinition() => new(ListSizeName)
    {
        Description = "How many items a list field returns, for static cost analysis.",
        Locations = [DirectiveLocation.FieldDefinition],
        Arguments =
        [
            new InputValueDefinition("assumedSize") { Type = BuiltInScalars.Int, Description = "The size when no slicing argument says otherwise." },
            new InputValueDefinition("slicingArguments")
            {
                Type = new ListType(new NonNullType(BuiltInScalars.String)),
                Description = "Integer arguments of the field that limit the number of items.",
            },
            new InputValueDefinition("sizedFields")
            {
                Type = new ListType(new NonNullType(BuiltInScalars.String)),
                Description = "List fields of the returned object that the size applies to, instead of the field itself.",
            },
            new InputValueDefinition("requireOneSlicingArgument")
            {
                Type = BuiltInScalars.Boolean,
                Description = "Whether a query must give exactly one of the slicing arguments.",
                DefaultValue = BuiltInScalars.BoxedTrue,
                DefaultValueLiteral = new BooleanValueNode(true, SourceLocation.None),
            },
        ],
    };

    /// <summary>
    /// At build time: declares @cost and @listSize when some element uses them and the schema does not
    /// declare its own, and checks every usage (weights are numbers, slicing arguments are Int
    /// arguments of the field, sized fields are list fields of the returned type).
    /// </summary>
    internal static void Attach(List<DirectiveDefinition> directives, IReadOnlyList<NamedTypeBuilder> builders, SchemaAssembler assembler)
    {
        bool usesCost = false, usesListSize = false;
        foreach (var (owner, directive, field) in Usages(builders))
        {
            if (directive.Name == CostName)
            {
                usesCost = true;
                if (ParseWeight(directive.Arguments.GetValueOrDefault("weight")) is null)
                {
                    assembler.Errors.Add("@cost(weight:) on " + owner + " must be a non-negative number, got " + Utilities.ValueInspector.Inspect(directive.Arguments.GetValueOrDefault("weight")) + ".");
                }
            }
            else if (directive.Name == ListSizeName)
            {
                usesListSize = true;
                if (field is not null && !assembler.HasFatalErrors) CheckListSize(owner, directive, field, assembler.Errors);
            }
        }

        if (usesCost && !directives.Any(d => d.Name == CostName)) directives.Add(CreateCostDefinition());
        if (usesListSize && !directives.Any(d => d.Name == ListSizeName))
        {
            directives.Add(CreateListSizeDefinition());
            assembler.UsedBuiltIns.Add((ScalarType)BuiltInScalars.Int); // @listSize(assumedSize: Int) must find Int among the schema's types
        }
    }

    private static void CheckListSize(string owner, AppliedDirective directive, FieldDefinition field, List<string> errors)
    {
        var settings = ListSizeSettings.From(directive);
        if (settings.AssumedSize is < 0) errors.Add("@listSize(assumedSize:) on " + owner + " must not be negative.");
        foreach (var name in settings.SlicingArguments)
        {
            var argument = field.GetArgument(name);
            if (argument is null || argument.Type.Nullable != BuiltInScalars.Int)
            {
                errors.Add("@listSize(slicingArguments:) on " + owner + " names \"" + name + "\", which is not an Int argument of the field.");
            }
        }

        if (settings.SizedFields.Count > 0)
        {
            foreach (var name in settings.SizedFields)
            {
                var sized = field.Type.GetNamedType() is ComplexType complex ? complex.GetField(name) : null;
                if (sized is null || sized.Type.Nullable is not ListType)
                {
                    errors.Add("@listSize(sizedFields:) on " + owner + " names \"" + name + "\", which is not a list field of type \"" + field.Type.GetNamedType().Name + "\".");
                }
            }
        }
        else if (field.Type.Nullable is not ListType)
        {
            errors.Add("@listSize on " + owner + " needs a list type or sizedFields; the field returns \"" + field.Type + "\".");
        }
    }

    private static IEnumerable<(string Owner, AppliedDirective Directive, FieldDefinition? Field)> Usages(IReadOnlyList<NamedTypeBuilder> builders)
    {
        foreach (var builder in builders)
        {
            string typeName = builder.Type.Name;
            foreach (var directive in builder.Directives) yield return (typeName, directive, null);
            switch (builder)
            {
                case ComplexTypeBuilder complex:
                    foreach (var field in complex.FieldBuilders)
                    {
                        string fieldName = typeName + "." + field.Definition.Name;
                        foreach (var directive in field.Directives) yield return (fieldName, directive, field.Definition);
                        foreach (var argument in field.Arguments)
                        {
                            foreach (var directive in argument.Directives) yield return (fieldName + "(" + argument.Definition.Name + ":)", directive, null);
                        }
                    }

                    break;
                case InputObjectTypeBuilder input:
                    foreach (var field in input.FieldBuilders)
                    {
                        foreach (var directive in field.Directives) yield return (typeName + "." + field.Definition.Name, directive, null);
                    }

                    break;
            }
        }
    }
}

/// <summary>A field's @listSize, read from its applied directive.</summary>
public sealed record ListSizeSettings(int? AssumedSize, IReadOnlyList<string> SlicingArguments, IReadOnlyList<string> SizedFields, bool RequireOneSlicingArgument)
{
    public static ListSizeSettings From(AppliedDirective directive)
    {
        var arguments = directive.Arguments;
        int? assumedSize = arguments.GetValueOrDefault("assumedSize") switch
        {
            int i => i,
            long l => (int)Math.Clamp(l, int.MinValue, int.MaxValue),
            _ => null,
        };
        return new ListSizeSettings(
            assumedSize,
            Names(arguments.GetValueOrDefault("slicingArguments")),
            Names(arguments.GetValueOrDefault("sizedFields")),
            arguments.GetValueOrDefault("requireOneSlicingArgument") is not false);
    }

    private static IReadOnlyList<string> Names(object? value) => value switch
    {
        string single => [single],
        IEnumerable<string> names => names.ToArray(),
        System.Collections.IEnumerable items => items.OfType<string>().ToArray(),
        _ => [],
    };
}
