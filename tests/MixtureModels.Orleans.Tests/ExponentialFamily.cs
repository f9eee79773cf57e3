using System.Text.Json;
using MixtureModels.Components;

namespace MixtureModels.Orleans.Tests;

/// <summary>
/// A family written as a user would, with the public contracts only (a copy of the core tests' family): exponential
/// components p(x) = λ·e^(−λx), x ≥ 0,
/// with statistics W = Σ w and Σ w·x, their scaling (for online EM) and JSON converters for both.
/// </summary>
internal sealed class ExponentialFamily : IComponentFamily<ExponentialComponent, ExponentialStatistics>, IStatisticsJsonConverter<ExponentialStatistics>, IComponentJsonConverter<ExponentialComponent>
{
    public int Dimension => 1;

    public string StatisticsKind => "ExponentialStatistics";

    public string ComponentKind => "Exponential";

    public int ParameterCount(int componentCount) => componentCount;

    public ExponentialStatistics CreateStatistics(ExponentialComponent? current) => new();

    public void ResetStatistics(ExponentialStatistics statistics, ExponentialComponent? current) => statistics.Clear();

    public void Estimate(ReadOnlySpan<ExponentialStatistics> statistics, Span<ExponentialComponent> destination)
    {
        for (int k = 0; k < statistics.Length; k++)
        {
            var s = statistics[k];
            destination[k] = new ExponentialComponent((s.TotalWeight + 1e-10) / (s.WeightedSum + 1e-10));
        }
    }

    public void WriteStatistics(Utf8JsonWriter writer, ExponentialStatistics statistics)
    {
        writer.WriteStartObject();
        writer.WriteNumber("totalWeight", statistics.TotalWeight);
        writer.WriteNumber("weightedSum", statistics.WeightedSum);
        writer.WriteEndObject();
    }

    public ExponentialStatistics ReadStatistics(JsonElement element)
    {
        double w = element.GetProperty("totalWeight").GetDouble();
        double s = element.GetProperty("weightedSum").GetDouble();
        if (!(w >= 0) || !(s >= 0))
        {
            throw new InvalidDataException("totalWeight and weightedSum must be non-negative.");
        }

        return new ExponentialStatistics(w, s);
    }

    public void WriteComponent(Utf8JsonWriter writer, ExponentialComponent component)
    {
        writer.WriteStartObject();
        writer.WriteNumber("rate", component.Rate);
        writer.WriteEndObject();
    }

    public ExponentialComponent ReadComponent(JsonElement element) => new(element.GetProperty("rate").GetDouble());
}

/// <summary>An exponential distribution with rate λ &gt; 0.</summary>
internal sealed class ExponentialComponent : IComponent
{
    public ExponentialComponent(double rate)
    {
        if (!(rate > 0) || !double.IsFinite(rate))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate must be positive and finite.");
        }

        Rate = rate;
    }

    public double Rate { get; }

    public int Dimension => 1;

    public int ParameterCount => 1;

    public void LogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        for (int n = 0; n < destination.Length; n++)
        {
            destination[n] = LogDensity(rows.Slice(n, 1));
        }
    }

    public double LogDensity(ReadOnlySpan<double> row) => row[0] < 0 ? double.NegativeInfinity : Math.Log(Rate) - (Rate * row[0]);

    public void Sample(Random random, Span<double> destination) => destination[0] = -Math.Log(1 - random.NextDouble()) / Rate;
}

/// <summary>W = Σ w and Σ w·x.</summary>
internal sealed class ExponentialStatistics : ISufficientStatistics<ExponentialStatistics>, IScalableStatistics
{
    public ExponentialStatistics(double totalWeight = 0, double weightedSum = 0)
    {
        TotalWeight = totalWeight;
        WeightedSum = weightedSum;
    }

    public int Dimension => 1;

    public double TotalWeight { get; private set; }

    public double WeightedSum { get; private set; }

    public void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        for (int n = 0; n < weights.Length; n++)
        {
            TotalWeight += weights[n];
            WeightedSum += weights[n] * rows[n];
        }
    }

    public void Merge(ExponentialStatistics other)
    {
        TotalWeight += other.TotalWeight;
        WeightedSum += other.WeightedSum;
    }

    public void Clear() => (TotalWeight, WeightedSum) = (0, 0);

    public void Scale(double factor) => (TotalWeight, WeightedSum) = (TotalWeight * factor, WeightedSum * factor);
}
