using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Relay;

/// <summary>
/// The validated paging arguments of a connection field: first/after/last/before with the field's
/// page-size rules applied. Bad values throw a <see cref="GraphQLException"/> (a field error for the
/// client): negative counts and refused first+last are <see cref="ErrorCodes.BadUserInput"/>, counts
/// above the cap <see cref="ErrorCodes.PageSizeExceeded"/>, foreign or edited cursors
/// <see cref="ErrorCodes.InvalidCursor"/>.
/// </summary>
public sealed class ConnectionArguments
{
    private ConnectionArguments(int? first, int? last, ConnectionCursor? after, ConnectionCursor? before, string cursorScope, bool totalCountRequested)
    {
        First = first;
        Last = last;
        After = after;
        Before = before;
        CursorScope = cursorScope;
        TotalCountRequested = totalCountRequested;
    }

    /// <summary>Items to take from the start of the range; the default page size when neither first nor last was given.</summary>
    public int? First { get; }

    /// <summary>Items to take from the end of the range.</summary>
    public int? Last { get; }

    public ConnectionCursor? After { get; }

    public ConnectionCursor? Before { get; }

    /// <summary>What cursors are bound to (by default "ParentType.field"): cursors of other fields are invalid here.</summary>
    public string CursorScope { get; }

    /// <summary>Whether the query selects totalCount, so a source can skip counting.</summary>
    public bool TotalCountRequested { get; }

    /// <summary>
    /// Reads and validates the arguments of the field being resolved. Cursors are bound to <paramref name="cursorScope"/>,
    /// by default "ParentType.field"; a field whose cursors changed meaning (another sort key) gives a new scope, so
    /// that the cursors it made before are invalid rather than places in the new order.
    /// </summary>
    public static ConnectionArguments Parse(ResolveFieldContext context, ConnectionOptions? options = null, string? cursorScope = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Create(
            context.GetArgument<int?>("first"),
            context.GetArgument<string>("after"),
            context.GetArgument<int?>("last"),
            context.GetArgument<string>("before"),
            options,
            cursorScope ?? context.ParentType.Name + "." + context.FieldName,
            SelectsSubfield(context, "totalCount"));
    }

    /// <summary>Validates raw paging values (for callers outside a resolver).</summary>
    public static ConnectionArguments Create(
        int? first,
        string? after,
        int? last,
        string? before,
        ConnectionOptions? options = null,
        string cursorScope = "",
        bool totalCountRequested = true)
    {
        options ??= ConnectionOptions.Default;
        options.Validate();
        ArgumentNullException.ThrowIfNull(cursorScope);
        CheckCount("first", first, options);
        CheckCount("last", last, options);
        if (first is not null && last is not null && !options.AllowFirstAndLast)
        {
            throw new GraphQLException("Arguments \"first\" and \"last\" cannot be used together on this field.", ErrorCodes.BadUserInput);
        }

        if (first is null && last is null) first = options.DefaultPageSize;
        return new ConnectionArguments(first, last, DecodeCursor("after", after, cursorScope), DecodeCursor("before", before, cursorScope), cursorScope, totalCountRequested);
    }

    /// <summary>Encodes a cursor for this field.</summary>
    public string Encode(ConnectionCursor cursor) => cursor.Encode(CursorScope);

    /// <summary>The position of an offset cursor; an error for key cursors (they belong to keyed connections).</summary>
    internal static int RequireOffset(string argument, ConnectionCursor cursor) =>
        cursor.Kind == CursorKind.Offset ? cursor.Offset : throw InvalidCursor(argument);

    internal static string RequireKey(string argument, ConnectionCursor cursor) =>
        cursor.Kind == CursorKind.Key ? cursor.Key! : throw InvalidCursor(argument);

    private static void CheckCount(string argument, int? count, ConnectionOptions options)
    {
        if (count is not { } value) return;
        if (value < 0)
        {
            throw new GraphQLException(
                "Argument \"" + argument + "\" must be a non-negative integer, but got " + value + ".",
                ErrorCodes.BadUserInput,
                new Dictionary<string, object?> { ["argument"] = argument });
        }

        if (value > options.MaxPageSize)
        {
            throw new GraphQLException(
                "Argument \"" + argument + "\" is " + value + ", but at most " + options.MaxPageSize + " items can be requested per page.",
                ErrorCodes.PageSizeExceeded,
                new Dictionary<string, object?> { ["argument"] = argument, ["maxPageSize"] = options.MaxPageSize });
        }
    }

    private static ConnectionCursor? DecodeCursor(string argument, string? text, string scope)
    {
        if (text is null) return null;
        return ConnectionCursor.TryDecode(text, scope, out var cursor) ? cursor : throw InvalidCursor(argument);
    }

    private static GraphQLException InvalidCursor(string argument) =>
        new("Argument \"" + argument + "\" is not a valid cursor for this field.", ErrorCodes.InvalidCursor, new Dictionary<string, object?> { ["argument"] = argument });

    /// <summary>Whether the field's selection (fragments and @skip/@include applied) includes <paramref name="name"/>.</summary>
    private static bool SelectsSubfield(ResolveFieldContext context, string name)
    {
        var type = context.ReturnType;
        while (type is NonNullType or ListType) type = type is NonNullType nonNull ? nonNull.OfType : ((ListType)type).OfType;
        if (type is not ObjectType objectType) return true; // abstract connection types: assume it is needed

        foreach (var field in FieldCollector.CollectSubfields(context.Request, objectType, context.CollectedField))
        {
            if (field.Definition.Name == name) return true;
        }

        return false;
    }
}
