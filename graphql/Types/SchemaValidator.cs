using System.Text.RegularExpressions;
using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Types;

/// <summary>
/// The specification's type-system validation (graphql-js validateSchema), with its messages.
/// Runs once, when the schema is built.
/// </summary>
internal static partial class SchemaValidator
{
    [GeneratedRegex("^[_a-zA-Z][_a-zA-Z0-9]*$")]
    private static partial Regex NamePattern();

    public static List<string> Validate(GraphQLSchema schema)
    {
        var errors = new List<string>();
        ValidateRootTypes(schema, errors);
        foreach (var directive in schema.Directives)
        {
            if (directive.IsSpecified) continue;
            ValidateName(directive.Name, errors);
            if (directive.Locations.Count == 0) errors.Add("Directive @" + directive.Name + " must include 1 or more locations.");
            ValidateArguments(directive.Arguments, "@" + directive.Name, errors);
        }

        foreach (var type in schema.Types)
        {
            if (type.IsIntrospectionType || type is ScalarType { IsSpecified: true }) continue;
            ValidateName(type.Name, errors);
            ValidateAppliedDirectives(schema, type.AppliedDirectives, DirectiveLocationOf(type), type.Name, errors);
            switch (type)
            {
                case ComplexType complex:
                    ValidateFields(schema, complex, errors);
                    ValidateInterfaces(schema, complex, errors);
                    break;
                case UnionType union:
                    ValidateUnion(union, errors);
                    break;
                case EnumType enumType:
                    ValidateEnum(schema, enumType, errors);
                    break;
                case InputObjectType input:
                    ValidateInputObject(schema, input, errors);
                    break;
            }
        }

        ValidateInputObjectCycles(schema, errors);
        return errors;
    }

    private static void ValidateRootTypes(GraphQLSchema schema, List<string> errors)
    {
        var roots = new List<(string Operation, ObjectType? Type)>
        {
            ("query", schema.QueryType), ("mutation", schema.MutationType), ("subscription", schema.SubscriptionType),
        };
        foreach (var group in roots.Where(r => r.Type is not null).GroupBy(r => r.Type!))
        {
            var operations = group.Select(g => g.Operation).ToList();
            if (operations.Count > 1)
            {
                errors.Add("All root types must be different, \"" + group.Key.Name + "\" type is used as "
                    + string.Join(" and ", operations) + " root types.");
            }
        }
    }

    private static void ValidateName(string name, List<string> errors)
    {
        if (name.StartsWith("__", StringComparison.Ordinal))
        {
            errors.Add("Name \"" + name + "\" must not begin with \"__\", which is reserved by GraphQL introspection.");
        }
        else if (!NamePattern().IsMatch(name))
        {
            errors.Add("Names must only contain [_a-zA-Z0-9] but \"" + name + "\" does not.");
        }
    }

    private static void ValidateFields(GraphQLSchema schema, ComplexType type, List<string> errors)
    {
        if (type.Fields.Count == 0) errors.Add("Type " + type.Name + " must define one or more fields.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in type.Fields)
        {
            ValidateName(field.Name, errors);
            if (!seen.Add(field.Name)) errors.Add("Field \"" + type.Name + "." + field.Name + "\" can only be defined once.");
            if (!field.Type.IsOutputType)
            {
                errors.Add("The type of " + type.Name + "." + field.Name + " must be Output Type but got: " + field.Type + ".");
            }

            ValidateArguments(field.Arguments, type.Name + "." + field.Name, errors);
            ValidateAppliedDirectives(schema, field.AppliedDirectives, DirectiveLocation.FieldDefinition, type.Name + "." + field.Name, errors);
            foreach (var argument in field.Arguments)
            {
                ValidateAppliedDirectives(schema, argument.AppliedDirectives, DirectiveLocation.ArgumentDefinition, type.Name + "." + field.Name + "(" + argument.Name + ":)", errors);
            }
        }
    }

    private static void ValidateArguments(IReadOnlyList<InputValueDefinition> arguments, string owner, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            ValidateName(argument.Name, errors);
            string label = owner + "(" + argument.Name + ":)";
            if (!seen.Add(argument.Name)) errors.Add("Argument " + label + " can only be defined once.");
            if (!argument.Type.IsInputType)
            {
                errors.Add("The type of " + label + " must be Input Type but got: " + argument.Type + ".");
            }

            if (argument.IsRequired && argument.IsDeprecated) errors.Add("Required argument " + label + " cannot be deprecated.");
        }
    }

    private static void ValidateInterfaces(GraphQLSchema schema, ComplexType type, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var iface in type.Interfaces)
        {
            if (ReferenceEquals(type, iface))
            {
                errors.Add("Type " + type.Name + " cannot implement itself because it would create a circular reference.");
                continue;
            }

            if (!seen.Add(iface.Name))
            {
                errors.Add("Type " + type.Name + " can only implement " + iface.Name + " once.");
                continue;
            }

            foreach (var transitive in iface.Interfaces)
            {
                if (type.Interfaces.Contains(transitive)) continue;
                errors.Add(ReferenceEquals(transitive, type)
                    ? "Type " + type.Name + " cannot implement " + iface.Name + " because it would create a circular reference."
                    : "Type " + type.Name + " must implement " + transitive.Name + " because it is implemented by " + iface.Name + ".");
            }

            ValidateImplementation(schema, type, iface, errors);
        }
    }

    private static void ValidateImplementation(GraphQLSchema schema, ComplexType type, InterfaceType iface, List<string> errors)
    {
        foreach (var ifaceField in iface.Fields)
        {
            string fieldName = ifaceField.Name;
            var typeField = type.GetField(fieldName);
            if (typeField is null)
            {
                errors.Add("Interface field " + iface.Name + "." + fieldName + " expected but " + type.Name + " does not provide it.");
                continue;
            }

            if (!IsTypeSubTypeOf(schema, typeField.Type, ifaceField.Type))
            {
                errors.Add("Interface field " + iface.Name + "." + fieldName + " expects type " + ifaceField.Type + " but "
                    + type.Name + "." + fieldName + " is type " + typeField.Type + ".");
            }

            foreach (var ifaceArg in ifaceField.Arguments)
            {
                var typeArg = typeField.GetArgument(ifaceArg.Name);
                if (typeArg is null)
                {
                    errors.Add("Interface field argument " + iface.Name + "." + fieldName + "(" + ifaceArg.Name + ":) expected but "
                        + type.Name + "." + fieldName + " does not provide it.");
                    continue;
                }

                if (!GraphQLType.AreEqual(ifaceArg.Type, typeArg.Type))
                {
                    errors.Add("Interface field argument " + iface.Name + "." + fieldName + "(" + ifaceArg.Name + ":) expects type "
                        + ifaceArg.Type + " but " + type.Name + "." + fieldName + "(" + ifaceArg.Name + ":) is type " + typeArg.Type + ".");
                }
            }

            foreach (var typeArg in typeField.Arguments)
            {
                if (ifaceField.GetArgument(typeArg.Name) is null && typeArg.IsRequired)
                {
                    errors.Add("Argument " + type.Name + "." + fieldName + "(" + typeArg.Name + ":) must not be required type " + typeArg.Type
                        + " if not provided by the Interface field " + iface.Name + "." + fieldName + ".");
                }
            }
        }
    }

    /// <summary>Output type covariance: may a field of type <paramref name="maybeSubType"/> stand in for <paramref name="superType"/>?</summary>
    public static bool IsTypeSubTypeOf(GraphQLSchema schema, GraphQLType maybeSubType, GraphQLType superType)
    {
        if (GraphQLType.AreEqual(maybeSubType, superType)) return true;
        if (superType is NonNullType superNonNull)
        {
            return maybeSubType is NonNullType subNonNull && IsTypeSubTypeOf(schema, subNonNull.OfType, superNonNull.OfType);
        }

        if (maybeSubType is NonNullType nonNull) return IsTypeSubTypeOf(schema, nonNull.OfType, superType);
        if (superType is ListType superList)
        {
            return maybeSubType is ListType subList && IsTypeSubTypeOf(schema, subList.OfType, superList.OfType);
        }

        if (maybeSubType is ListType) return false;
        return superType is NamedType { IsAbstractType: true } abstractType
            && maybeSubType is ComplexType complex
            && schema.IsSubType(abstractType, complex);
    }

    private static void ValidateUnion(UnionType union, List<string> errors)
    {
        if (union.Types.Count == 0) errors.Add("Union type " + union.Name + " must define one or more member types.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in union.Types)
        {
            if (!seen.Add(member.Name)) errors.Add("Union type " + union.Name + " can only include type " + member.Name + " once.");
        }
    }

    private static void ValidateEnum(GraphQLSchema schema, EnumType type, List<string> errors)
    {
        if (type.Values.Count == 0) errors.Add("Enum type " + type.Name + " must define one or more values.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in type.Values)
        {
            ValidateName(value.Name, errors);
            if (value.Name is "true" or "false" or "null") errors.Add("Enum type " + type.Name + " cannot include value: " + value.Name + ".");
            if (!seen.Add(value.Name)) errors.Add("Enum value \"" + type.Name + "." + value.Name + "\" can only be defined once.");
            ValidateAppliedDirectives(schema, value.AppliedDirectives, DirectiveLocation.EnumValue, type.Name + "." + value.Name, errors);
        }
    }

    private static void ValidateInputObject(GraphQLSchema schema, InputObjectType type, List<string> errors)
    {
        if (type.Fields.Count == 0) errors.Add("Input Object type " + type.Name + " must define one or more fields.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in type.Fields)
        {
            ValidateName(field.Name, errors);
            string label = type.Name + "." + field.Name;
            if (!seen.Add(field.Name)) errors.Add("Field \"" + label + "\" can only be defined once.");
            if (!field.Type.IsInputType) errors.Add("The type of " + label + " must be Input Type but got: " + field.Type + ".");
            if (field.IsRequired && field.IsDeprecated) errors.Add("Required input field " + label + " cannot be deprecated.");
            if (type.IsOneOf)
            {
                if (field.Type.IsNonNull) errors.Add("OneOf input field " + label + " must be nullable.");
                if (field.HasDefaultValue) errors.Add("OneOf input field " + label + " cannot have a default value.");
            }

            ValidateAppliedDirectives(schema, field.AppliedDirectives, DirectiveLocation.InputFieldDefinition, label, errors);
        }
    }

    private static void ValidateInputObjectCycles(GraphQLSchema schema, List<string> errors)
    {
        var visited = new HashSet<InputObjectType>();
        var fieldPath = new List<InputValueDefinition>();
        var indexByTypeName = new Dictionary<string, int>(StringComparer.Ordinal);

        void Detect(InputObjectType input)
        {
            if (!visited.Add(input)) return;
            indexByTypeName[input.Name] = fieldPath.Count;
            foreach (var field in input.Fields)
            {
                if (field.Type is not NonNullType { OfType: InputObjectType fieldType }) continue;
                fieldPath.Add(field);
                if (indexByTypeName.TryGetValue(fieldType.Name, out int cycleIndex))
                {
                    string path = string.Join(".", fieldPath.Skip(cycleIndex).Select(f => f.Name));
                    errors.Add("Cannot reference Input Object \"" + fieldType.Name + "\" within itself through a series of non-null fields: \"" + path + "\".");
                }
                else
                {
                    Detect(fieldType);
                }

                fieldPath.RemoveAt(fieldPath.Count - 1);
            }

            indexByTypeName.Remove(input.Name);
        }

        foreach (var input in schema.Types.OfType<InputObjectType>()) Detect(input);
    }

    private static void ValidateAppliedDirectives(GraphQLSchema schema, IReadOnlyList<AppliedDirective> applied, DirectiveLocation location, string owner, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directive in applied)
        {
            var definition = schema.GetDirective(directive.Name);
            if (definition is null)
            {
                errors.Add("Unknown directive \"@" + directive.Name + "\" applied to " + owner + ".");
                continue;
            }

            if (!definition.Locations.Contains(location))
            {
                errors.Add("Directive \"@" + directive.Name + "\" may not be used on " + location.ToSdlName() + " (" + owner + ").");
            }

            if (!definition.IsRepeatable && !seen.Add(directive.Name))
            {
                errors.Add("The directive \"@" + directive.Name + "\" can only be used once at " + owner + ".");
            }
        }
    }

    private static DirectiveLocation DirectiveLocationOf(NamedType type) => type.Kind switch
    {
        TypeKind.Scalar => DirectiveLocation.Scalar,
        TypeKind.Object => DirectiveLocation.Object,
        TypeKind.Interface => DirectiveLocation.Interface,
        TypeKind.Union => DirectiveLocation.Union,
        TypeKind.Enum => DirectiveLocation.Enum,
        _ => DirectiveLocation.InputObject,
    };
}
