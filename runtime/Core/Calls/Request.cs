using OrgActors.Runtime.Activation;

namespace OrgActors.Runtime.Calls;

/// <summary>
/// One call queued at (or running in) an activation: what to run, who called (for cycle diagnostics),
/// when it was issued (for the response timeout), and how to complete the caller.
/// </summary>
internal abstract class Request
{
    protected Request(CallChain? callers) => Callers = callers;

    public CallChain? Callers { get; }

    /// <summary>When the caller issued the call, in <see cref="TimeProvider.GetTimestamp"/> units.</summary>
    public long IssuedTimestamp { get; set; }

    /// <summary>Set once the caller was answered with a timeout; the grain may still be running it.</summary>
    public bool TimedOut { get; set; }

    public abstract string Name { get; }
    public abstract bool IsReadOnly { get; }
    public abstract bool IsAlwaysInterleave { get; }

    /// <summary>False for work the runtime does on its own (timer ticks): nobody waits for it.</summary>
    public virtual bool HasCaller => true;

    /// <summary>False for ticks that must not keep an idle activation alive.</summary>
    public virtual bool CountsAsActivity => true;

    /// <summary>Runs the request's code on the activation (its worker, under its synchronization context).</summary>
    public abstract void Start(ActivationData activation);

    /// <summary>Answers the caller with an error (first answer wins).</summary>
    public abstract void Fail(Exception exception);

    /// <summary>What the interface method returns to the caller for this request.</summary>
    public abstract object ReturnValue { get; }

    /// <summary>Ends the turn when the grain's task completes, then answers the caller.</summary>
    public abstract void Track(ActivationData activation, Task grainTask);

    /// <summary>Completes a caller-facing source without running its continuations on the activation's context.</summary>
    protected static void OutsideActivation<TState>(Action<TState> complete, TState state)
    {
        var previous = SynchronizationContext.Current;
        if (previous is null) { complete(state); return; }
        SynchronizationContext.SetSynchronizationContext(null);
        try { complete(state); }
        finally { SynchronizationContext.SetSynchronizationContext(previous); }
    }
}

/// <summary>A grain method call whose result is <typeparamref name="TResult"/>.</summary>
internal sealed class Request<TResult> : Request
{
    private readonly MethodDescriptor<TResult> _method;
    private readonly object?[] _args;
    private readonly TaskCompletionSource<TResult> _completion = new();
    private ActivationData? _activation;
    private Task? _grainTask;

    public Request(MethodDescriptor<TResult> method, object?[] args, CallChain? callers) : base(callers)
    {
        _method = method;
        _args = args;
    }

    public override string Name => _method.Name;
    public override bool IsReadOnly => _method.IsReadOnly;
    public override bool IsAlwaysInterleave => _method.IsAlwaysInterleave;
    public override object ReturnValue => _method.ToReturnValue(_completion.Task);

    public override void Start(ActivationData activation)
    {
        Task task;
        try { task = _method.Invoker(activation.GrainInstance, _args); }
        catch (Exception exception) { task = Task.FromException(exception); }
        Track(activation, task);
    }

    public override void Track(ActivationData activation, Task grainTask)
    {
        _activation = activation;
        _grainTask = grainTask;
        if (grainTask.IsCompleted) OnGrainTaskCompleted();
        else grainTask.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnGrainTaskCompleted);
    }

    public override void Fail(Exception exception) =>
        OutsideActivation(static s => s.Completion.TrySetException(s.Exception), (Completion: _completion, Exception: exception));

    private void OnGrainTaskCompleted()
    {
        _activation!.OnRequestCompleted(this);
        OutsideActivation(static self => self.AnswerCaller(), this);
    }

    private void AnswerCaller()
    {
        var task = _grainTask!;
        if (task.IsFaulted) _completion.TrySetException(task.Exception!.InnerExceptions);
        else if (task.IsCanceled) _completion.TrySetCanceled();
        else _completion.TrySetResult(_method.GetResult(task));
    }
}
