using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrgActors.Testing;

/// <summary>
/// A logger provider for tests that read what an operator would see: every line logged at warning or
/// above, as text. Add it to a host's services as an <see cref="ILoggerProvider"/>.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel)) _lines.Enqueue(formatter(state, exception));
    }

    public void Dispose() { }
}
