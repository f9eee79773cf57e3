using System.Buffers;
using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Numerics;
using MixtureModels.Selection;

namespace MixtureModels;

/// <summary>
/// A finite mixture p(x) = Σ_k π_k p(x | θ_k). Immutable and safe to query from many threads at once. The mixture is
/// itself a distribution (<see cref="IComponent"/>), so it can be evaluated, sampled and nested like any component.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
public class MixtureModel<TComponent> : IMissingValueComponent
    where TComponent : IComponent
{
    private const int BlockRows = 256;
    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly TComponent[] _components;
    private readonly Func<IBlockDensityKernel<TComponent>?>? _kernelFactory;
    private BlockEStep<TComponent>? _eStep;        // built on the first query (with the family's kernel, when there is one)
    private readonly IDataValidator? _validator;

    /// <summary>Creates a mixture from weights and components; the parameter count is (K − 1) + Σ_k (component parameters).</summary>
    /// <param name="weights">π_k: K finite, non-negative values summing to 1 (within 1e-8).</param>
    /// <param name="components">K components of one dimension.</param>
    /// <exception cref="ArgumentException">The counts differ, the weights are invalid, or the dimensions differ.</exception>
    public MixtureModel(IReadOnlyList<double> weights, IReadOnlyList<TComponent> components)
        : this(weights, components, components is null ? 0 : components.Sum(c => c.ParameterCount))
    {
    }

    /// <summary>Creates a mixture whose components share parameters, given the components' total free-parameter count.</summary>
    /// <param name="weights">π_k: K finite, non-negative values summing to 1 (within 1e-8).</param>
    /// <param name="components">K components of one dimension.</param>
    /// <param name="componentParameterCount">Free parameters of the K components together (without the weights).</param>
    protected MixtureModel(IReadOnlyList<double> weights, IReadOnlyList<TComponent> components, int componentParameterCount)
        : this(weights, components, componentParameterCount, null, null)
    {
    }

    /// <summary>Creates a fitted mixture whose queries use the family's batched kernel and data check.</summary>
    private protected MixtureModel(IReadOnlyList<double> weights, IReadOnlyList<TComponent> components, int componentParameterCount, Func<IBlockDensityKernel<TComponent>?>? kernel, IDataValidator? validator)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(components);
        _weights = ValidateWeights(weights, components.Count, nameof(weights));
        _components = [.. components];
        if (_components.Length == 0)
        {
            ThrowHelper.ThrowArgument(nameof(components), "components is empty. Pass at least one component.");
        }

        int d = _components[0].Dimension;
        for (int k = 0; k < _components.Length; k++)
        {
            if (_components[k] is null || _components[k].Dimension != d)
            {
                ThrowHelper.ThrowArgument(nameof(components), string.Create(CultureInfo.InvariantCulture, $"components[{k}] is null or has another dimension than components[0] ({d}). All components must share one dimension."));
            }
        }

        _logWeights = EStepKernel.LogWeights(_weights);
        _kernelFactory = kernel;
        _validator = validator;
        Dimension = d;
        ParameterCount = (_components.Length - 1) + componentParameterCount;
    }

    /// <summary>What NaN in query data means: <see cref="MissingValueHandling.Reject"/> unless the model was fitted with missing-value support.</summary>
    public virtual MissingValueHandling MissingValues => MissingValueHandling.Reject;

    /// <summary>Number of components K.</summary>
    public int ComponentCount => _components.Length;

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Number of free parameters: K − 1 weights plus the components' parameters (used by BIC and AIC).</summary>
    public int ParameterCount { get; }

    /// <summary>The mixing weights π_k (sum to 1).</summary>
    public IReadOnlyList<double> Weights => Array.AsReadOnly(_weights);

    /// <summary>The components θ_k.</summary>
    public IReadOnlyList<TComponent> Components => Array.AsReadOnly(_components);

    /// <summary>
    /// Checks query data beyond shape and finiteness (for example that Bernoulli data is binary). Called by every
    /// query that takes a <see cref="DataMatrix"/>; the default runs the family's <see cref="IDataValidator"/> when the
    /// model was fitted with one, and otherwise accepts any finite data.
    /// </summary>
    /// <param name="data">The query data, already checked for shape and finiteness.</param>
    /// <exception cref="ArgumentException">The data is not valid for this model.</exception>
    protected virtual void ValidateQueryData(DataMatrix data) =>
        _validator?.Validate(data, nameof(data), MissingValues == MissingValueHandling.Marginalize);

    /// <summary>log p(xₙ) for every row (scikit-learn's score_samples).</summary>
    /// <param name="data">N × D data with the model's column count.</param>
    /// <exception cref="ArgumentException">The column count differs from the model's, or a value is not finite.</exception>
    public double[] LogDensity(DataMatrix data)
    {
        CheckQueryData(data);
        var result = new double[data.Rows];
        EStep.Run(data, -1, (start, count, logProb, stride) =>
            EStepKernel.LogSumExp(logProb, count, ComponentCount, stride, result.AsSpan(start, count), default));
        return result;
    }

    /// <summary>Mean (sample-weighted) log-likelihood per row (scikit-learn's score).</summary>
    /// <param name="data">N × D data with the model's column count.</param>
    /// <param name="sampleWeights">Optional non-negative weight per row.</param>
    /// <exception cref="ArgumentException">The data or weights are invalid.</exception>
    public double MeanLogLikelihood(DataMatrix data, double[]? sampleWeights = null)
    {
        var (total, weight) = TotalLogLikelihood(data, sampleWeights);
        return total / weight;
    }

    /// <summary>Posterior probabilities p(z = k | xₙ) (scikit-learn's predict_proba); every row sums to 1.</summary>
    /// <param name="data">N × D data with the model's column count.</param>
    /// <returns>An N × K array of responsibilities.</returns>
    /// <exception cref="ArgumentException">The column count differs from the model's, or a value is not finite.</exception>
    public double[,] PredictProbabilities(DataMatrix data)
    {
        CheckQueryData(data);
        var result = new double[data.Rows, ComponentCount];
        EStep.Run(data, -1, (start, count, logProb, stride) =>
        {
            Span<double> logLikelihood = stackalloc double[count];
            EStepKernel.Responsibilities(logProb, count, ComponentCount, stride, default, logLikelihood);
            for (int n = 0; n < count; n++)
            {
                for (int k = 0; k < ComponentCount; k++)
                {
                    result[start + n, k] = logProb[(k * stride) + n];
                }
            }
        });
        return result;
    }

    /// <summary>The most probable component of every row (scikit-learn's predict).</summary>
    /// <param name="data">N × D data with the model's column count.</param>
    /// <exception cref="ArgumentException">The column count differs from the model's, or a value is not finite.</exception>
    public int[] Predict(DataMatrix data)
    {
        CheckQueryData(data);
        var result = new int[data.Rows];
        EStep.Run(data, -1, (start, count, logProb, stride) => EStepKernel.ArgMax(logProb, count, ComponentCount, stride, result.AsSpan(start, count)));
        return result;
    }

    /// <summary>Bayesian information criterion on <paramref name="data"/>: −2·Σ wₙ log p(xₙ) + p·ln(Σ wₙ). Lower is better.</summary>
    /// <param name="data">N × D data with the model's column count.</param>
    /// <param name="sampleWeights">Optional non-negative weight per row (n = Σ wₙ).</param>
    public double BayesianInformationCriterion(DataMatrix data, double[]? sampleWeights = null)
    {
        var (total, weight) = TotalLogLikelihood(data, sampleWeights);
        return InformationCriteria.Bayesian(total, ParameterCount, weight);
    }

    /// <summary>Akaike information criterion on <paramref name="data"/>: −2·Σ wₙ log p(xₙ) + 2p. Lower is better.</summary>
    /// <param name="data">N × D data with the model's column count.</param>
    /// <param name="sampleWeights">Optional non-negative weight per row.</param>
    public double AkaikeInformationCriterion(DataMatrix data, double[]? sampleWeights = null)
    {
        var (total, _) = TotalLogLikelihood(data, sampleWeights);
        return InformationCriteria.Akaike(total, ParameterCount);
    }

    /// <summary>Draws <paramref name="count"/> rows: a component k with probability π_k, then a row from it.</summary>
    /// <param name="count">Number of rows, at least 1.</param>
    /// <param name="random">The generator to draw from (for reproducible draws pass <c>new Random(seed)</c>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public MixtureSample Sample(int count, Random random)
    {
        ArgumentChecks.AtLeast(count, 1, nameof(count), "Ask for at least one sample.");
        ArgumentNullException.ThrowIfNull(random);
        var rows = new double[count, Dimension];
        var labels = new int[count];
        var row = new double[Dimension];
        for (int i = 0; i < count; i++)
        {
            int k = DrawComponent(random);
            _components[k].Sample(random, row);
            labels[i] = k;
            for (int j = 0; j < Dimension; j++)
            {
                rows[i, j] = row[j];
            }
        }

        return new MixtureSample(rows, labels);
    }

    /// <inheritdoc />
    public void LogDensity(ReadOnlySpan<double> rows, Span<double> destination) => LogDensity(rows, destination, incomplete: false);

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The components do not implement <see cref="IMissingValueComponent"/>.</exception>
    public void MarginalLogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        RequireMissingValueComponents();
        LogDensity(rows, destination, incomplete: true);
    }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The components do not implement <see cref="IMissingValueComponent"/>.</exception>
    public void ConditionalMean(ReadOnlySpan<double> row, Span<double> destination)
    {
        RequireMissingValueComponents();
        int k = ComponentCount, d = Dimension;
        row = row[..d];
        Span<double> logProb = k <= 64 ? stackalloc double[k] : new double[k];
        for (int c = 0; c < k; c++)
        {
            ((IMissingValueComponent)_components[c]).MarginalLogDensity(row, logProb.Slice(c, 1));
            logProb[c] += _logWeights[c];
        }

        // p(z = c | x_O), normalised against the largest term.
        EStepKernel.NormalizeRow(logProb, 0, k, 1);
        Span<double> completed = d <= 64 ? stackalloc double[d] : new double[d];
        row.CopyTo(destination);
        for (int j = 0; j < d; j++)
        {
            if (double.IsNaN(row[j]))
            {
                destination[j] = 0;
            }
        }

        for (int c = 0; c < k; c++)
        {
            if (logProb[c] == 0)
            {
                continue;
            }

            ((IMissingValueComponent)_components[c]).ConditionalMean(row, completed);
            for (int j = 0; j < d; j++)
            {
                if (double.IsNaN(row[j]))
                {
                    destination[j] += logProb[c] * completed[j];
                }
            }
        }
    }

    /// <summary>
    /// Fills every missing entry (NaN) of <paramref name="data"/> with its conditional expectation under the model,
    /// E[x_M | x_O] = Σ_k p(z = k | x_O) · E_k[x_M | x_O]; observed entries are copied unchanged.
    /// </summary>
    /// <param name="data">N × D data with the model's column count; NaN marks a missing entry.</param>
    /// <returns>A new N × D array without NaN.</returns>
    /// <exception cref="InvalidOperationException">The model was not fitted with <see cref="MissingValueHandling.Marginalize"/>.</exception>
    /// <exception cref="ArgumentException">The column count differs, a value is infinite, or a row has every entry missing.</exception>
    public double[,] Impute(DataMatrix data)
    {
        if (MissingValues != MissingValueHandling.Marginalize)
        {
            throw new InvalidOperationException("Impute needs a model fitted with MissingValues = MissingValueHandling.Marginalize; this one treats NaN as invalid input. Refit with missing-value support switched on.");
        }

        CheckQueryData(data);
        RequireMissingValueComponents();
        var result = new double[data.Rows, Dimension];
        EStep.Run(data, -1, (start, count, _, _) =>
        {
            Span<double> completed = Dimension <= 128 ? stackalloc double[Dimension] : new double[Dimension];
            for (int n = start; n < start + count; n++)
            {
                var row = data.Row(n);
                if (data.BlockHasMissing(n, 1))
                {
                    ConditionalMean(row, completed);
                }
                else
                {
                    row.CopyTo(completed);
                }

                for (int j = 0; j < Dimension; j++)
                {
                    result[n, j] = completed[j];
                }
            }
        });
        return result;
    }

    /// <inheritdoc />
    public double LogDensity(ReadOnlySpan<double> row)
    {
        Span<double> result = stackalloc double[1];
        LogDensity(row, result);
        return result[0];
    }

    /// <inheritdoc />
    public void Sample(Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        _components[DrawComponent(random)].Sample(random, destination);
    }

    private void CheckQueryData(DataMatrix data)
    {
        InputValidation.QueryData(data, Dimension, MissingValues);
        ValidateQueryData(data);
    }

    private (double Total, double Weight) TotalLogLikelihood(DataMatrix data, double[]? sampleWeights)
    {
        var logDensity = LogDensity(data);
        var weights = InputValidation.SampleWeights(sampleWeights, data.Rows);
        double total = 0, weight = 0;
        for (int n = 0; n < logDensity.Length; n++)
        {
            double w = weights?[n] ?? 1.0;
            if (w > 0)
            {
                total += w * logDensity[n];
                weight += w;
            }
        }

        return (total, weight);
    }

    private int DrawComponent(Random random)
    {
        double u = random.NextDouble(), cumulative = 0;
        for (int k = 0; k < _weights.Length; k++)
        {
            cumulative += _weights[k];
            if (u < cumulative)
            {
                return k;
            }
        }

        return Array.FindLastIndex(_weights, w => w > 0);
    }

    /// <summary>log p(xₙ) of rows given as a span, block by block on the calling thread (the <see cref="IComponent"/> view of the mixture).</summary>
    private void LogDensity(ReadOnlySpan<double> rows, Span<double> destination, bool incomplete)
    {
        int k = ComponentCount;
        var pool = ArrayPool<double>.Shared;
        double[] buffer = pool.Rent(k * BlockRows);
        try
        {
            for (int start = 0; start < destination.Length; start += BlockRows)
            {
                int count = Math.Min(BlockRows, destination.Length - start);
                ComponentDensities.JointLogDensity(_components, _logWeights, rows.Slice(start * Dimension, count * Dimension), count, buffer, BlockRows, incomplete);
                for (int n = 0; n < count; n++)
                {
                    destination[start + n] = EStepKernel.RowLogSumExp(buffer, n, k, BlockRows, out _);
                }
            }
        }
        finally
        {
            pool.Return(buffer);
        }
    }

    /// <summary>The query path, prepared once; concurrent first queries may each build one, and one of them is kept.</summary>
    private BlockEStep<TComponent> EStep
    {
        get
        {
            if (Volatile.Read(ref _eStep) is { } built)
            {
                return built;
            }

            var created = new BlockEStep<TComponent>(_components, _logWeights, _kernelFactory?.Invoke());
            return Interlocked.CompareExchange(ref _eStep, created, null) ?? created;
        }
    }

    private void RequireMissingValueComponents()
    {
        if (!typeof(IMissingValueComponent).IsAssignableFrom(typeof(TComponent)) && !Array.TrueForAll(_components, c => c is IMissingValueComponent))
        {
            throw new NotSupportedException($"The components ({typeof(TComponent).Name}) do not implement IMissingValueComponent, so rows with missing entries cannot be evaluated or imputed.");
        }
    }

    private static double[] ValidateWeights(IReadOnlyList<double> weights, int componentCount, string parameterName)
    {
        if (weights.Count != componentCount)
        {
            ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} has {weights.Count} values but there are {componentCount} components. Pass one weight per component."));
        }

        double total = 0;
        for (int k = 0; k < weights.Count; k++)
        {
            if (!(weights[k] >= 0) || !double.IsFinite(weights[k]))
            {
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{k}] = {weights[k]}. Weights must be finite and non-negative."));
            }

            total += weights[k];
        }

        if (Math.Abs(total - 1.0) > 1e-8)
        {
            ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} sums to {total}, not 1. Divide the weights by their sum."));
        }

        return [.. weights];
    }

    /// <summary>Shared by the weight checks of the estimators' starting points.</summary>
    internal static double[] CheckWeights(IReadOnlyList<double> weights, int componentCount, string parameterName) =>
        ValidateWeights(weights, componentCount, parameterName);
}
