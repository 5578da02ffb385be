using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation;

/// <summary>The specification's type relations used by validation (graphql-js typeComparators).</summary>
public static class TypeComparators
{
    /// <summary>
    /// Can a value of <paramref name="maybeSubType"/> be used where <paramref name="superType"/> is expected?
    /// Non-null may flow into nullable, lists compare item-wise, objects and interfaces into their abstract types.
    /// </summary>
    public static bool IsTypeSubTypeOf(GraphQLSchema schema, GraphQLType maybeSubType, GraphQLType superType)
    {
        while (true)
        {
            if (GraphQLType.AreEqual(maybeSubType, superType)) return true;
            if (superType is NonNullType superNonNull)
            {
                if (maybeSubType is not NonNullType subNonNull) return false;
                maybeSubType = subNonNull.OfType;
                superType = superNonNull.OfType;
                continue;
            }

            if (maybeSubType is NonNullType nonNull)
            {
                maybeSubType = nonNull.OfType;
                continue;
            }

            if (superType is ListType superList)
            {
                if (maybeSubType is not ListType subList) return false;
                maybeSubType = subList.OfType;
                superType = superList.OfType;
                continue;
            }

            if (maybeSubType is ListType) return false;
            return superType is NamedType { IsAbstractType: true } abstractType
                && maybeSubType is ObjectType or InterfaceType
                && schema.IsSubType(abstractType, (NamedType)maybeSubType);
        }
    }

    /// <summary>Could some object be of both composite types (so a fragment on one may be spread in the other)?</summary>
    public static bool DoTypesOverlap(GraphQLSchema schema, NamedType typeA, NamedType typeB)
    {
        if (ReferenceEquals(typeA, typeB)) return true;
        if (typeA.IsAbstractType)
        {
            if (typeB.IsAbstractType)
            {
                foreach (var possibleType in schema.GetPossibleTypes(typeA))
                {
                    if (schema.IsSubType(typeB, possibleType)) return true;
                }

                return false;
            }

            return schema.IsSubType(typeA, typeB);
        }

        return typeB.IsAbstractType && schema.IsSubType(typeB, typeA);
    }
}
