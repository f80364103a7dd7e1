using System.Diagnostics;

namespace Dispatch.Bench;

/// <summary>
/// Prints the first few exceptions the HTTP API turned into 500s (ASP.NET Core's diagnostic events), so that a failed
/// request in a result line has a cause beside it even with the silo's logging turned down.
/// </summary>
public sealed class ServerErrors : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const int MaxPrinted = 5;
    private readonly IDisposable _subscription;
    private readonly List<IDisposable> _listeners = [];
    private int _printed;

    public ServerErrors() => _subscription = DiagnosticListener.AllListeners.Subscribe(this);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == "Microsoft.AspNetCore")
        {
            lock (_listeners)
            {
                _listeners.Add(listener.Subscribe(this, name => name.EndsWith("Exception", StringComparison.Ordinal)));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value?.GetType().GetProperty("exception")?.GetValue(value.Value) is Exception e && Interlocked.Increment(ref _printed) <= MaxPrinted)
        {
            Output.Progress($"  server error ({value.Key}): {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _subscription.Dispose();
        lock (_listeners)
        {
            _listeners.ForEach(l => l.Dispose());
        }
    }
}
