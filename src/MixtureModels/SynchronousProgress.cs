namespace MixtureModels;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler at once, on the thread that reports, in the order of the reports.
/// Unlike <see cref="Progress{T}"/>, which posts each report to the captured synchronization context or the thread pool
/// (so a handler can run after the fit returned and, on the thread pool, out of order), every report has been handled
/// when <see cref="Report"/> returns. The fits report from one thread at a time, so the handler needs no locking for its
/// own state; it should be quick, as the fit waits for it.
/// </summary>
/// <typeparam name="T">The report type, e.g. <see cref="FitProgress"/>.</typeparam>
/// <example>
/// <code>
/// var bounds = new List&lt;double&gt;();
/// var model = new GaussianMixture(3).Fit(data, progress: new SynchronousProgress&lt;FitProgress&gt;(p =&gt; bounds.Add(p.LowerBound)));
/// // bounds is complete and in iteration order here
/// </code>
/// </example>
public sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    /// <summary>Creates the reporter.</summary>
    /// <param name="handler">Called with every report, synchronously.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public SynchronousProgress(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
    }

    /// <summary>Runs the handler with <paramref name="value"/> before returning.</summary>
    /// <param name="value">The report.</param>
    public void Report(T value) => _handler(value);
}
