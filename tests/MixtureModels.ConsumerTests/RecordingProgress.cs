namespace MixtureModels.ConsumerTests;

/// <summary>Records every report synchronously (unlike Progress&lt;T&gt;), and runs an optional action on each.</summary>
internal sealed class RecordingProgress(Action<FitProgress>? onReport = null) : IProgress<FitProgress>
{
    public List<FitProgress> Reports { get; } = [];

    public void Report(FitProgress value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
