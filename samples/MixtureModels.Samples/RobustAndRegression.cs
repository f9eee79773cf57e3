namespace MixtureModels.Samples;

/// <summary>
/// Two things a Gaussian mixture is not built for: data with gross outliers (a Student-t mixture beside the Gaussian
/// one, on Old Faithful with 5 % of rows replaced by outliers) and multi-valued regression (the conditional mixture of a
/// fitted joint Gaussian mixture, on a noisy two-branch curve, with its predictive band).
/// </summary>
internal static class RobustAndRegression
{
    /// <summary>Robust clustering of Old Faithful with and without outliers: Gaussian against Student-t components.</summary>
    public static void RobustClustering(DataMatrix faithful, IReadOnlyList<string> columnNames)
    {
        Report.Heading("Robust clustering: Old Faithful with 5 % gross outliers, Gaussian and Student-t mixtures side by side");
        var clean = faithful.ToArray();
        int n = clean.GetLength(0), outliers = n / 20;
        var dirty = new double[n, 2];
        var random = new Random(7);
        for (int i = 0; i < n; i++)
        {
            // Every twentieth eruption is replaced by a gross outlier, far from both clusters.
            bool outlier = i % 20 == 0 && i / 20 < outliers;
            dirty[i, 0] = outlier ? 8 + (6 * random.NextDouble()) : clean[i, 0];
            dirty[i, 1] = outlier ? (random.NextDouble() < 0.5 ? 5 : 150) + (20 * random.NextDouble()) : clean[i, 1];
        }

        GaussianMixtureModel Gaussian(double[,] x) =>
            new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, InitializationCount = 5, Seed = 42 }).Fit(x);
        StudentTMixtureModel StudentT(double[,] x) =>
            new StudentTMixture(new StudentTMixtureOptions { ComponentCount = 2, InitializationCount = 5, Seed = 42 }).Fit(x);

        var cleanGaussian = Gaussian(clean);
        var gaussian = Gaussian(dirty);
        var cleanT = StudentT(clean);
        var t = StudentT(dirty);

        // How far the outliers move each component's mean, in standard deviations of the clean Gaussian cluster
        // (components matched by their eruption length).
        double Shift(MathNet.Numerics.LinearAlgebra.Matrix<double> means, MathNet.Numerics.LinearAlgebra.Matrix<double> reference)
        {
            double worst = 0;
            for (int c = 0; c < 2; c++)
            {
                int r = Nearest(reference, means[c, 0]);
                var cov = cleanGaussian.GetCovariance(Nearest(cleanGaussian.GetMeans(), reference[r, 0]));
                double dx = (means[c, 0] - reference[r, 0]) / Math.Sqrt(cov[0, 0]);
                double dy = (means[c, 1] - reference[r, 1]) / Math.Sqrt(cov[1, 1]);
                worst = Math.Max(worst, Math.Sqrt((dx * dx) + (dy * dy)));
            }

            return worst;
        }

        Console.WriteLine($"   {outliers} of {n} rows replaced by outliers; means ({columnNames[0]}, {columnNames[1]}):");
        Console.WriteLine($"   {"model",-26}{"component 1",-22}{"component 2",-22}{"moved by",10}");
        Print("Gaussian, clean data", cleanGaussian.GetMeans(), double.NaN);
        Print("Gaussian, with outliers", gaussian.GetMeans(), Shift(gaussian.GetMeans(), cleanGaussian.GetMeans()));
        Print("Student-t, clean data", cleanT.GetMeans(), double.NaN);
        Print("Student-t, with outliers", t.GetMeans(), Shift(t.GetMeans(), cleanT.GetMeans()));
        Console.WriteLine($"   Student-t degrees of freedom with outliers: {string.Join(", ", t.GetDegreesOfFreedom().Select(v => v.ToString("F2")))}");

        // Small expected weights u = (ν + D) / (ν + δ²) flag the outliers.
        var u = t.ExpectedRowWeights(dirty);
        var flagged = Enumerable.Range(0, n).Where(i => u[i] < 0.2).ToArray();
        int caught = flagged.Count(i => i % 20 == 0 && i / 20 < outliers);
        Console.WriteLine($"   rows with expected weight u < 0.2: {flagged.Length}, of which {caught} of the {outliers} outliers");
    }

    /// <summary>Mixture regression of a two-branch curve: the conditional mixture of y given x, its mean and band, and its branches.</summary>
    public static void Regression()
    {
        Report.Heading("Mixture regression: y given x on a noisy two-branch curve (y = sin x and y = 0.4x − 1.5, noise 0.1)");
        var random = new Random(11);
        const int rows = 800;
        var xy = new double[rows, 2];
        for (int i = 0; i < rows; i++)
        {
            double x = 6 * random.NextDouble();
            double noise = 0.1 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            xy[i, 0] = x;
            xy[i, 1] = (i % 2 == 0 ? Math.Sin(x) : (0.4 * x) - 1.5) + noise;
        }

        var joint = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 10, InitializationCount = 5, Seed = 42 }).Fit(xy);
        double[] grid = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5];
        var inputs = new double[grid.Length, 1];
        for (int g = 0; g < grid.Length; g++)
        {
            inputs[g, 0] = grid[g];
        }

        var regression = joint.Regress([0], inputs, includeCovariances: true);
        var means = regression.GetMeans();
        Console.WriteLine($"   joint fit: K = {joint.ComponentCount}, full covariance; E[y | x] ± 2 sd (the predictive band) and the branches");
        Console.WriteLine($"   {"x",5}{"E[y|x]",10}{"band",22}   branches of p(y | x) (weight: mean)            true branches");
        for (int g = 0; g < grid.Length; g++)
        {
            double sd = Math.Sqrt(regression.GetCovariance(g)[0, 0]);
            var conditional = joint.Condition([0], [grid[g]]);
            var branches = Enumerable.Range(0, conditional.ComponentCount)
                .Where(k => conditional.Weights[k] > 0.05)
                .OrderBy(k => conditional.GetMeans()[k, 0])
                .Select(k => $"{conditional.Weights[k]:F2}: {conditional.GetMeans()[k, 0],6:F2}");
            Console.WriteLine($"   {grid[g],5:F1}{means[g, 0],10:F3}   [{means[g, 0] - (2 * sd),7:F3}, {means[g, 0] + (2 * sd),7:F3}]   {string.Join("  ", branches),-44} {Math.Sin(grid[g]),6:F2} {(0.4 * grid[g]) - 1.5,6:F2}");
        }

        Console.WriteLine("   The mean runs between the branches and the band covers both; the conditional mixture keeps them apart.");
    }

    private static int Nearest(MathNet.Numerics.LinearAlgebra.Matrix<double> means, double eruptions)
    {
        int best = 0;
        for (int c = 1; c < means.RowCount; c++)
        {
            if (Math.Abs(means[c, 0] - eruptions) < Math.Abs(means[best, 0] - eruptions))
            {
                best = c;
            }
        }

        return best;
    }

    private static void Print(string label, MathNet.Numerics.LinearAlgebra.Matrix<double> means, double moved)
    {
        var order = Enumerable.Range(0, means.RowCount).OrderBy(c => means[c, 0]).ToArray();
        string Pair(int c) => $"({means[c, 0],5:F2}, {means[c, 1],6:F2})";
        string shift = double.IsNaN(moved) ? string.Empty : $"{moved:F2} sd";
        Console.WriteLine($"   {label,-26}{Pair(order[0]),-22}{Pair(order[1]),-22}{shift,10}");
    }
}
