using System.Globalization;

namespace MixtureModels.CustomComponent;

/// <summary>
/// Prints EM's progress synchronously, on the fitting thread (unlike <see cref="Progress{T}"/>, which posts to the
/// thread pool and may print out of order): the first iteration of every restart and then every
/// <see cref="Every"/>-th.
/// </summary>
/// <param name="label">Printed in front of every line, for example "K = 3".</param>
internal sealed class ConsoleFitProgress(string label) : IProgress<FitProgress>
{
    /// <summary>Print every this many iterations.</summary>
    public int Every { get; init; } = 25;

    /// <summary>Number of reports received.</summary>
    public int Count { get; private set; }

    /// <inheritdoc />
    public void Report(FitProgress value)
    {
        Count++;
        if (value.Iteration == 1 || value.Iteration % Every == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label}, restart {value.Initialization}, iteration {value.Iteration,3}: mean log-likelihood {value.LowerBound,10:F6} (change {value.Change:G3})"));
        }
    }
}
