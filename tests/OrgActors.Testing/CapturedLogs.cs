using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrgActors.Testing;

/// <summary>
/// A logger provider for tests that read what an operator would see: every line logged at
/// <c>minimumLevel</c> (warning unless told) or above, as text, and with its category and level in
/// <see cref="Entries"/>. Add it to a host's services as an <see cref="ILoggerProvider"/>.
/// </summary>
public sealed class CapturedLogs(LogLevel minimumLevel = LogLevel.Warning) : ILoggerProvider
{
    private readonly LogLevel _minimumLevel = minimumLevel;
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyList<string> Lines => _entries.Select(e => e.Text).ToArray();

    public IReadOnlyList<CapturedLogEntry> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new CategoryLogger(this, categoryName);

    public void Dispose() { }

    private sealed class CategoryLogger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner._entries.Enqueue(new CapturedLogEntry(category, logLevel, formatter(state, exception)));
        }
    }
}

/// <summary>One captured line: who logged it, at what level, and the text.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, string Text);
