using MixtureModels.Numerics;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// The textbook k-means the library shipped before its vectorised, parallel rewrite: scalar, row by row, one thread.
/// The tests hold the fast k-means to it (the same seeds and labels; centres and inertia to rounding).
/// </summary>
internal static class ReferenceKMeans
{
    /// <summary>Rows between two looks at the cancellation token inside a pass over the data (a power of two).</summary>
    private const int RowsPerCancellationCheck = 4096;

    /// <summary>Result of one Lloyd run.</summary>
    public sealed record Result(double[] Centers, int[] Labels, double Inertia, int Iterations, bool Converged);

    /// <summary>
    /// Greedy k-means++ (Arthur and Vassilvitskii 2007, with 2 + ⌊ln K⌋ local trials per centre as in scikit-learn):
    /// each new centre is drawn with probability ∝ w·D(x)², keeping the candidate that lowers the potential most.
    /// Returns the chosen row indices. The token is checked before any work, before every candidate and every
    /// <see cref="RowsPerCancellationCheck"/> rows of each pass.
    /// </summary>
    public static int[] PlusPlusSeeds(DataMatrix data, double[]? weights, int k, Random random, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int n = data.Rows;
        int trials = 2 + (int)Math.Log(k);
        var seeds = new int[k];
        var closest = new double[n];
        var candidateDistance = new double[n];
        var bestDistance = new double[n];
        seeds[0] = WeightedChoice(weights, n, random);
        double potential = 0;
        for (int i = 0; i < n; i++)
        {
            CheckEvery(i, cancellationToken);
            closest[i] = SquaredDistance(data.Row(i), data.Row(seeds[0]));
            potential += W(weights, i) * closest[i];
        }

        for (int c = 1; c < k; c++)
        {
            int bestCandidate = -1;
            double bestPotential = double.PositiveInfinity;
            for (int t = 0; t < trials; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int candidate = SampleProportional(closest, weights, potential * random.NextDouble());
                double candidatePotential = 0;
                var row = data.Row(candidate);
                for (int i = 0; i < n; i++)
                {
                    CheckEvery(i, cancellationToken);
                    candidateDistance[i] = Math.Min(closest[i], SquaredDistance(data.Row(i), row));
                    candidatePotential += W(weights, i) * candidateDistance[i];
                }

                if (bestCandidate < 0 || candidatePotential < bestPotential)
                {
                    bestPotential = candidatePotential;
                    bestCandidate = candidate;
                    Array.Copy(candidateDistance, bestDistance, n);
                }
            }

            seeds[c] = bestCandidate;
            potential = bestPotential;
            Array.Copy(bestDistance, closest, n);
        }

        return seeds;
    }

    /// <summary>Lloyd iterations from the given centres (K × D, row-major; not modified).</summary>
    public static Result Lloyd(DataMatrix data, double[]? weights, double[] initialCenters, int k, int maxIterations, double tolerance, CancellationToken cancellationToken)
    {
        int n = data.Rows, d = data.Columns;
        var centers = (double[])initialCenters.Clone();
        var next = new double[k * d];
        var mass = new double[k];
        var labels = new int[n];
        double absoluteTolerance = tolerance * ColumnVariance.Mean(data, weights, out _);
        int iteration = 0;
        bool converged = false;
        while (iteration < maxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iteration++;
            bool changed = Assign(data, centers, k, labels, cancellationToken) || iteration == 1;
            Array.Clear(next);
            Array.Clear(mass);
            for (int i = 0; i < n; i++)
            {
                CheckEvery(i, cancellationToken);
                double w = W(weights, i);
                if (w == 0)
                {
                    continue;
                }

                var row = data.Row(i);
                int label = labels[i];
                mass[label] += w;
                for (int j = 0; j < d; j++)
                {
                    next[(label * d) + j] += w * (row[j] - centers[(label * d) + j]);
                }
            }

            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                if (mass[c] == 0)
                {
                    continue; // an empty cluster keeps its centre
                }

                for (int j = 0; j < d; j++)
                {
                    double step = next[(c * d) + j] / mass[c];
                    centers[(c * d) + j] += step;
                    shift += step * step;
                }
            }

            if (!changed || shift <= absoluteTolerance)
            {
                converged = true;
                break;
            }
        }

        Assign(data, centers, k, labels, cancellationToken);
        double inertia = Inertia(data, weights, centers, labels);
        return new Result(centers, labels, inertia, iteration, converged);
    }

    /// <summary>Sets each label to its nearest centre; returns whether any label changed. The token is checked every <see cref="RowsPerCancellationCheck"/> rows.</summary>
    public static bool Assign(DataMatrix data, double[] centers, int k, int[] labels, CancellationToken cancellationToken = default)
    {
        int d = data.Columns;
        bool changed = false;
        for (int i = 0; i < data.Rows; i++)
        {
            CheckEvery(i, cancellationToken);
            var row = data.Row(i);
            int best = 0;
            double bestDistance = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
            {
                double distance = SquaredDistance(row, centers.AsSpan(c * d, d));
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }

            changed |= labels[i] != best;
            labels[i] = best;
        }

        return changed;
    }

    /// <summary>Σ wᵢ‖xᵢ − c_label(i)‖².</summary>
    public static double Inertia(DataMatrix data, double[]? weights, double[] centers, int[] labels)
    {
        int d = data.Columns;
        double inertia = 0;
        for (int i = 0; i < data.Rows; i++)
        {
            inertia += W(weights, i) * SquaredDistance(data.Row(i), centers.AsSpan(labels[i] * d, d));
        }

        return inertia;
    }

    /// <summary>Row index drawn with probability ∝ weight (uniform when unweighted).</summary>
    public static int WeightedChoice(double[]? weights, int n, Random random)
    {
        if (weights is null)
        {
            return random.Next(n);
        }

        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        double target = random.NextDouble() * total, cumulative = 0;
        int last = 0;
        for (int i = 0; i < n; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            last = i;
            cumulative += weights[i];
            if (cumulative > target)
            {
                return i;
            }
        }

        return last;
    }

    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double diff = a[j] - b[j];
            s += diff * diff;
        }

        return s;
    }

    /// <summary>Throws when the token is cancelled, looking at it once every <see cref="RowsPerCancellationCheck"/> rows.</summary>
    private static void CheckEvery(int row, CancellationToken cancellationToken)
    {
        if ((row & (RowsPerCancellationCheck - 1)) == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static double W(double[]? weights, int i) => weights is null ? 1.0 : weights[i];

    /// <summary>First index whose cumulative w·distance reaches the target (the inverse CDF); the last positive one on rounding.</summary>
    private static int SampleProportional(double[] distances, double[]? weights, double target)
    {
        double cumulative = 0;
        int lastPositive = 0;
        for (int i = 0; i < distances.Length; i++)
        {
            double mass = W(weights, i) * distances[i];
            if (mass <= 0)
            {
                continue;
            }

            lastPositive = i;
            cumulative += mass;
            if (cumulative >= target)
            {
                return i;
            }
        }

        return lastPositive;
    }
}
