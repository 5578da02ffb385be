using System.Linq.Expressions;
using System.Reflection;

namespace OrgActors.Runtime.Calls;

/// <summary>How a grain interface method returns its result.</summary>
internal enum ReturnKind { Task, TaskOfT, ValueTask, ValueTaskOfT }

/// <summary>
/// Everything the runtime needs to call one grain interface method: a compiled invoker (no reflection
/// per call), its interleaving flags, and how to turn a Task of the result into what the interface
/// method returns. Built once per method at startup.
/// </summary>
internal abstract class MethodDescriptor
{
    protected MethodDescriptor(MethodInfo method, ReturnKind returnKind)
    {
        Method = method;
        ReturnKind = returnKind;
        Name = $"{method.DeclaringType!.Name}.{method.Name}";
        IsReadOnly = method.IsDefined(typeof(ReadOnlyAttribute));
        IsAlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute));
        Invoker = CompileInvoker(method, returnKind);
    }

    public MethodInfo Method { get; }
    public string Name { get; }
    public ReturnKind ReturnKind { get; }
    public bool IsReadOnly { get; }
    public bool IsAlwaysInterleave { get; }

    /// <summary>Calls the method on a grain instance; the returned Task carries the result (Task&lt;T&gt; for results).</summary>
    public Func<object, object?[], Task> Invoker { get; }

    /// <summary>Makes the pending request that a queued call returns to its caller.</summary>
    public abstract Request CreateRequest(object?[] args, Activation.CallChain? callers);

    /// <summary>Converts a Task (of the result type) into the interface method's return value.</summary>
    public abstract object ToReturnValue(Task task);

    /// <summary>The return value for a call that failed before it reached the grain.</summary>
    public abstract object FromException(Exception exception);

    public static MethodDescriptor Create(MethodInfo method)
    {
        var returnType = method.ReturnType;
        if (returnType == typeof(Task)) return new MethodDescriptor<object?>(method, ReturnKind.Task);
        if (returnType == typeof(ValueTask)) return new MethodDescriptor<object?>(method, ReturnKind.ValueTask);
        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            var resultType = returnType.GetGenericArguments()[0];
            var kind = definition == typeof(Task<>) ? ReturnKind.TaskOfT
                : definition == typeof(ValueTask<>) ? ReturnKind.ValueTaskOfT
                : throw Unsupported(method);
            return (MethodDescriptor)Activator.CreateInstance(
                typeof(MethodDescriptor<>).MakeGenericType(resultType),
                BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic,
                binder: null, args: [method, kind], culture: null)!;
        }
        throw Unsupported(method);
    }

    private static NotSupportedException Unsupported(MethodInfo method) => new(
        $"Grain method {method.DeclaringType!.FullName}.{method.Name} returns {method.ReturnType.Name}; grain methods return Task, Task<T>, ValueTask or ValueTask<T>.");

    private static Func<object, object?[], Task> CompileInvoker(MethodInfo method, ReturnKind kind)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var parameters = method.GetParameters();
        var arguments = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            arguments[i] = Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), parameters[i].ParameterType);
        }
        Expression call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, arguments);
        if (kind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT)
        {
            call = Expression.Call(call, method.ReturnType.GetMethod(nameof(ValueTask.AsTask))!);
        }
        return Expression.Lambda<Func<object, object?[], Task>>(Expression.Convert(call, typeof(Task)), grain, args).Compile();
    }
}

/// <summary>A method whose result is <typeparamref name="TResult"/> (object? for Task and ValueTask).</summary>
internal sealed class MethodDescriptor<TResult> : MethodDescriptor
{
    public MethodDescriptor(MethodInfo method, ReturnKind returnKind) : base(method, returnKind) { }

    public override Request CreateRequest(object?[] args, Activation.CallChain? callers) => new Request<TResult>(this, args, callers);

    public override object ToReturnValue(Task task) => ReturnKind switch
    {
        ReturnKind.Task or ReturnKind.TaskOfT => task,
        ReturnKind.ValueTask => new ValueTask(task),
        _ => new ValueTask<TResult>((Task<TResult>)task),
    };

    public override object FromException(Exception exception) =>
        ToReturnValue(ReturnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT ? Task.FromException<TResult>(exception) : Task.FromException(exception));

    /// <summary>The grain's result from its completed Task.</summary>
    public TResult GetResult(Task completed) =>
        ReturnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT ? ((Task<TResult>)completed).Result : default!;
}
