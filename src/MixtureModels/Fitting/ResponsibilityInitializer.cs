namespace MixtureModels.Fitting;

/// <summary>Every initialiser produces responsibilities (N × K, row-major); the engine's M-step turns them into a model.</summary>
internal static class ResponsibilityInitializer
{
    public static double[] Create(InitializationMethod method, DataMatrix data, double[]? weights, int k, Random random, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int n = data.Rows;
        var responsibilities = new double[n * k];
        switch (method)
        {
            case InitializationMethod.KMeans:
                var labels = KMeans.Run(data, weights, k, 300, 1e-4, random, cancellationToken).Labels;
                for (int i = 0; i < n; i++)
                {
                    responsibilities[(i * k) + labels[i]] = 1;
                }

                break;
            case InitializationMethod.KMeansStandardized:
                var standardizedLabels = KMeans.Run(Standardized(data, weights), weights, k, 300, 1e-4, random, cancellationToken).Labels;
                for (int i = 0; i < n; i++)
                {
                    responsibilities[(i * k) + standardizedLabels[i]] = 1;
                }

                break;
            case InitializationMethod.ModelBasedHierarchical:
                var hierarchicalLabels = HierarchicalInitializer.Labels(data, k, random, cancellationToken);
                for (int i = 0; i < n; i++)
                {
                    responsibilities[(i * k) + hierarchicalLabels[i]] = 1;
                }

                break;
            case InitializationMethod.KMeansPlusPlus:
                var seeds = KMeansAlgorithm.PlusPlusSeeds(data, weights, k, random, cancellationToken);
                for (int c = 0; c < k; c++)
                {
                    responsibilities[(seeds[c] * k) + c] = 1;
                }

                break;
            case InitializationMethod.RandomResponsibilities:
                for (int i = 0; i < n; i++)
                {
                    if ((i & 4095) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    double total = 0;
                    for (int c = 0; c < k; c++)
                    {
                        double u = random.NextDouble();
                        responsibilities[(i * k) + c] = u;
                        total += u;
                    }

                    for (int c = 0; c < k; c++)
                    {
                        responsibilities[(i * k) + c] /= total;
                    }
                }

                break;
            case InitializationMethod.RandomFromData:
                var chosen = DistinctRows(weights, n, k, random);
                for (int c = 0; c < k; c++)
                {
                    responsibilities[(chosen[c] * k) + c] = 1;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, $"method = {method} is not defined. Use one of KMeans, KMeansPlusPlus, RandomResponsibilities, RandomFromData, ModelBasedHierarchical, KMeansStandardized.");
        }

        return responsibilities;
    }

    /// <summary>
    /// A copy of the data with every column centred on its (sample-weighted) mean and divided by its standard deviation;
    /// a constant column is only centred.
    /// </summary>
    internal static DataMatrix Standardized(DataMatrix data, double[]? weights)
    {
        int n = data.Rows, d = data.Columns;
        var mean = new double[d];
        var spread = new double[d];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double w = weights is null ? 1 : weights[i];
            total += w;
            var row = data.Row(i);
            for (int j = 0; j < d; j++)
            {
                mean[j] += w * row[j];
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= total;
        }

        for (int i = 0; i < n; i++)
        {
            double w = weights is null ? 1 : weights[i];
            var row = data.Row(i);
            for (int j = 0; j < d; j++)
            {
                spread[j] += w * (row[j] - mean[j]) * (row[j] - mean[j]);
            }
        }

        var values = new double[n * d];
        for (int j = 0; j < d; j++)
        {
            double sd = Math.Sqrt(spread[j] / total);
            spread[j] = sd > 0 && double.IsFinite(sd) ? 1 / sd : 1;
        }

        for (int i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (int j = 0; j < d; j++)
            {
                values[(i * d) + j] = (row[j] - mean[j]) * spread[j];
            }
        }

        return DataMatrix.FromRowMajor(values, d);
    }

    /// <summary>K distinct row indices drawn without replacement, with probability ∝ weight among rows not yet drawn.</summary>
    private static int[] DistinctRows(double[]? weights, int n, int k, Random random)
    {
        var remaining = weights is null ? null : (double[])weights.Clone();
        var taken = new bool[n];
        var result = new int[k];
        for (int c = 0; c < k; c++)
        {
            int pick;
            if (remaining is null)
            {
                do
                {
                    pick = random.Next(n);
                }
                while (taken[pick]);
            }
            else
            {
                // When fewer rows than K have positive weight, fall back to any row not yet drawn.
                bool anyPositive = Array.Exists(remaining, w => w > 0);
                pick = anyPositive ? KMeansAlgorithm.WeightedChoice(remaining, n, random) : Array.IndexOf(taken, false);
                remaining[pick] = 0;
            }

            taken[pick] = true;
            result[c] = pick;
        }

        return result;
    }
}
