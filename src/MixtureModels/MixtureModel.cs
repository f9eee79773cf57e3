using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
public class MixtureModel<TComponent> : IMissingValueComponent, IUncheckedComponent
    where TComponent : IComponent
{
    private const int BlockRows = 256;
    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly TComponent[] _components;
    private readonly Func<IBlockDensityKernel<TComponent>?>? _kernelFactory;
    private BlockEStep<TComponent>? _eStep;        // built on the first query (with the family's kernel, when there is one)
    private readonly IDataValidator? _validator;
    private int _deferFiniteCheck;                 // 0 not decided yet, 1 queries check finiteness inside their pass, 2 before it

    /// <summary>Creates a mixture from weights and components; the parameter count is (K − 1) + Σ_k (component parameters).</summary>
    /// <param name="weights">π_k: K finite, non-negative values summing to 1 (within 1e-8).</param>
    /// <param name="components">K components of one dimension.</param>
    /// <exception cref="ArgumentException">The counts differ, the weights are invalid, or the dimensions differ.</exception>
    public MixtureModel(IReadOnlyList<double> weights, IReadOnlyList<TComponent> components)
        : this(weights, components, SumParameterCounts(components))
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
        _components = [.. components];
        if (_components.Length == 0)
        {
            ThrowHelper.ThrowArgument(nameof(components), "components is empty. Pass at least one component.");
        }

        EnsureNoNullComponent(_components);
        _weights = ValidateWeights(weights, components.Count, nameof(weights));
        int d = _components[0].Dimension;
        for (int k = 0; k < _components.Length; k++)
        {
            if (_components[k].Dimension != d)
            {
                ThrowHelper.ThrowArgument(nameof(components), string.Create(CultureInfo.InvariantCulture, $"components[{k}] has dimension {_components[k].Dimension} but components[0] has {d}. All components must share one dimension."));
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
        data = StartQuery(data, out var check);
        var result = HugePages.NewArray<double>(data.Rows);
        EStep.Run(data, -1, (start, count, logProb, stride) =>
        {
            check?.Block(start, count);
            EStepKernel.LogSumExp(logProb, count, ComponentCount, stride, result.AsSpan(start, count), default);
        });
        check?.Finish(nameof(data));
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
        data = StartQuery(data, out var check);
        var result = HugePages.NewArray<double>(data.Rows, ComponentCount);
        int componentCount = ComponentCount;
        EStep.Run(data, -1, (start, count, logProb, stride) =>
        {
            check?.Block(start, count);
            Span<double> logLikelihood = stackalloc double[count];
            EStepKernel.Responsibilities(logProb, count, componentCount, stride, default, logLikelihood);

            // The block's rows of the N × K result, as one row-major span (the array's memory is contiguous).
            var rows = MemoryMarshal.CreateSpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(result)), result.Length)
                .Slice(start * componentCount, count * componentCount);
            for (int k = 0; k < componentCount; k++)
            {
                var column = logProb.Slice(k * stride, count);
                for (int n = 0; n < column.Length; n++)
                {
                    rows[(n * componentCount) + k] = column[n];
                }
            }
        });
        check?.Finish(nameof(data));
        return result;
    }

    /// <summary>The most probable component of every row (scikit-learn's predict).</summary>
    /// <param name="data">N × D data with the model's column count.</param>
    /// <exception cref="ArgumentException">The column count differs from the model's, or a value is not finite.</exception>
    public int[] Predict(DataMatrix data)
    {
        data = StartQuery(data, out var check);
        var result = HugePages.NewArray<int>(data.Rows);
        EStep.Run(data, -1, (start, count, logProb, stride) =>
        {
            check?.Block(start, count);
            EStepKernel.ArgMax(logProb, count, ComponentCount, stride, result.AsSpan(start, count));
        });
        check?.Finish(nameof(data));
        return result;
    }

    /// <summary>The most probable component of one row: the same answer as <see cref="Predict(DataMatrix)"/> for that row.</summary>
    /// <param name="row">D values (NaN only where the model marginalises missing values).</param>
    /// <returns>The component index in [0, K).</returns>
    /// <exception cref="ArgumentException">The row's length differs from the model's dimension, or a value is invalid.</exception>
    public int Predict(ReadOnlySpan<double> row) => Predict(SingleRow(row))[0];

    /// <summary>
    /// p(z = k | x) of one row: the numbers <see cref="PredictProbabilities(DataMatrix)"/> gives for that row, to the last
    /// bits (a block of rows takes the vectorised exponential, a single row the scalar one).
    /// </summary>
    /// <param name="row">D values (NaN only where the model marginalises missing values).</param>
    /// <returns>K probabilities that sum to 1.</returns>
    /// <exception cref="ArgumentException">The row's length differs from the model's dimension, or a value is invalid.</exception>
    public double[] PredictProbabilities(ReadOnlySpan<double> row)
    {
        var probabilities = PredictProbabilities(SingleRow(row));
        var result = new double[ComponentCount];
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = probabilities[0, k];
        }

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
        var rows = HugePages.NewArray<double>(count, Dimension);
        var labels = new int[count];
        var row = new double[Dimension];
        for (int i = 0; i < count; i++)
        {
            int k = DrawComponent(random);
            ComponentDensities.Sample(_components[k], random, row);
            labels[i] = k;
            for (int j = 0; j < Dimension; j++)
            {
                rows[i, j] = row[j];
            }
        }

        return new MixtureSample(rows, labels);
    }

    /// <summary>
    /// Writes log p(xₙ) for a block of rows (the <see cref="IComponent"/> view of the mixture). NaN is a missing entry
    /// exactly where the <see cref="DataMatrix"/> queries treat it so: with <see cref="MissingValues"/> =
    /// <see cref="MissingValueHandling.Marginalize"/> a row with NaN gets the marginal density of its observed entries
    /// (as in <see cref="LogDensity(DataMatrix)"/>); otherwise NaN, like ±∞, is invalid.
    /// </summary>
    /// <param name="rows">destination.Length rows of D values each, row-major.</param>
    /// <param name="destination">One log-density per row.</param>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not a whole number of rows of D values, <paramref name="destination"/> does not have one slot per row, a value is ±∞ or (without missing-value support) NaN, or a row has every entry missing.</exception>
    public void LogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        LogDensity(rows, destination, incomplete: CheckRows(rows, nameof(rows)));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not a whole number of rows of D values, <paramref name="destination"/> does not have one slot per row, a value is ±∞, or a row has every entry missing.</exception>
    /// <exception cref="NotSupportedException">The components do not implement <see cref="IMissingValueComponent"/>.</exception>
    public void MarginalLogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        SpanArguments.ObservedOrMissing(rows, Dimension, nameof(rows));
        RequireMissingValueComponents();
        LogDensity(rows, destination, incomplete: true);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="row"/> or <paramref name="destination"/> does not have length D, the row holds ±∞, or every entry is missing.</exception>
    /// <exception cref="NotSupportedException">The components do not implement <see cref="IMissingValueComponent"/>.</exception>
    public void ConditionalMean(ReadOnlySpan<double> row, Span<double> destination)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.Length(destination.Length, Dimension, nameof(destination));
        SpanArguments.ObservedOrMissing(row, Dimension, nameof(row));
        RequireMissingValueComponents();
        ConditionalMeanUnchecked(row, destination);
    }

    /// <summary>E[x_M | x_O] of one row of length D with an observed entry (no checks).</summary>
    private void ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination)
    {
        int k = ComponentCount, d = Dimension;
        Span<double> logProb = k <= 64 ? stackalloc double[k] : new double[k];
        for (int c = 0; c < k; c++)
        {
            ComponentDensities.MarginalLogDensity((IMissingValueComponent)_components[c], row, logProb.Slice(c, 1));
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

            ComponentDensities.ConditionalMean((IMissingValueComponent)_components[c], row, completed);
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

        data = CheckQueryData(data);
        RequireMissingValueComponents();
        var result = HugePages.NewArray<double>(data.Rows, Dimension);
        EStep.Run(data, -1, (start, count, _, _) =>
        {
            Span<double> completed = Dimension <= 128 ? stackalloc double[Dimension] : new double[Dimension];
            for (int n = start; n < start + count; n++)
            {
                var row = data.Row(n);
                if (data.BlockHasMissing(n, 1))
                {
                    ConditionalMeanUnchecked(row, completed);
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

    /// <summary>log p(x) of one row; NaN marks a missing entry under the same rule as <see cref="LogDensity(ReadOnlySpan{double}, Span{double})"/>.</summary>
    /// <param name="row">A row of length D.</param>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have length D, holds ±∞ or (without missing-value support) NaN, or every entry is missing.</exception>
    public double LogDensity(ReadOnlySpan<double> row)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        Span<double> result = stackalloc double[1];
        LogDensity(row, result, incomplete: CheckRows(row, nameof(row)));
        return result[0];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have length D.</exception>
    public void Sample(Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        SpanArguments.Length(destination.Length, Dimension, nameof(destination));
        ComponentDensities.Sample(_components[DrawComponent(random)], random, destination);
    }

    void IUncheckedComponent.LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) =>
        LogDensity(rows, destination, incomplete: MissingValues == MissingValueHandling.Marginalize && SpanArguments.HasNaN(rows));

    void IUncheckedComponent.MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) => LogDensity(rows, destination, incomplete: true);

    void IUncheckedComponent.ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination) => ConditionalMeanUnchecked(row, destination);

    void IUncheckedComponent.SampleUnchecked(Random random, Span<double> destination) =>
        ComponentDensities.Sample(_components[DrawComponent(random)], random, destination);

    /// <summary>
    /// Checks rows given as a span as the <see cref="DataMatrix"/> queries check data: ±∞ is invalid, NaN is a missing
    /// entry with missing-value support (a row needs an observed entry) and invalid without. Returns whether a NaN was seen.
    /// </summary>
    private bool CheckRows(ReadOnlySpan<double> rows, string parameterName)
    {
        if (MissingValues != MissingValueHandling.Marginalize)
        {
            SpanArguments.Finite(rows, Dimension, parameterName, missingAllowedElsewhere: false);
            return false;
        }

        SpanArguments.ObservedOrMissing(rows, Dimension, parameterName);
        return SpanArguments.HasNaN(rows);
    }

    /// <summary>Checks query data and returns the matrix the rest of the query uses (see <see cref="DataMatrix.ForCall"/>).</summary>
    /// <summary>A one-row copy of <paramref name="row"/> after checking its length (the batch query then checks its values).</summary>
    private DataMatrix SingleRow(ReadOnlySpan<double> row)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        return DataMatrix.FromRowMajor(row.ToArray(), Dimension);
    }

    /// <summary>
    /// The matrix a batch query reads and, when its finiteness can be checked inside the query's own pass, that check
    /// (<see cref="DeferredFiniteCheck"/>: same exception, one read of the data fewer). Otherwise the data is checked
    /// here in full (<see cref="CheckQueryData"/>) and <paramref name="check"/> is null.
    /// </summary>
    private DataMatrix StartQuery(DataMatrix data, out DeferredFiniteCheck? check)
    {
        if (CanDeferFiniteCheck)
        {
            ArgumentNullException.ThrowIfNull(data);
            data.EnsureColumns(Dimension, nameof(data));
            check = DeferredFiniteCheck.Start(data, out var view);
            return view;
        }

        check = null;
        return CheckQueryData(data);
    }

    /// <summary>
    /// Whether a query may check finiteness inside its pass: NaN is invalid (no missing-value support), there is no
    /// further data check (a family validator or an override of <see cref="ValidateQueryData"/>, which must see checked
    /// data first), and complete blocks go through one of this library's batched kernels (plain arithmetic, which takes
    /// a bad value without throwing; a user family's kernel might not). Decided on the first query.
    /// </summary>
    private bool CanDeferFiniteCheck
    {
        get
        {
            int known = Volatile.Read(ref _deferFiniteCheck);
            if (known == 0)
            {
                var validation = GetType().GetMethod(nameof(ValidateQueryData), BindingFlags.Instance | BindingFlags.NonPublic, [typeof(DataMatrix)]);
                bool can = MissingValues == MissingValueHandling.Reject && _validator is null && EStep.UsesLibraryKernel
                    && validation?.DeclaringType == typeof(MixtureModel<TComponent>);
                known = can ? 1 : 2;
                Volatile.Write(ref _deferFiniteCheck, known);
            }

            return known == 1;
        }
    }

    private DataMatrix CheckQueryData(DataMatrix data)
    {
        data = InputValidation.QueryData(data, Dimension, MissingValues);
        ValidateQueryData(data);
        return data;
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

    /// <summary>Σ_k components[k].ParameterCount, after checking that no component is null (for the public constructor's chained call).</summary>
    private static int SumParameterCounts(IReadOnlyList<TComponent>? components)
    {
        if (components is null)
        {
            return 0; // the constructor it chains to throws ArgumentNullException
        }

        TComponent[] copy = [.. components];
        EnsureNoNullComponent(copy);
        int total = 0;
        foreach (var component in copy)
        {
            total += component.ParameterCount;
        }

        return total;
    }

    /// <summary>Throws an <see cref="ArgumentNullException"/> naming the index of the first null component.</summary>
    private static void EnsureNoNullComponent(TComponent[] components)
    {
        for (int k = 0; k < components.Length; k++)
        {
            if (components[k] is null)
            {
                throw new ArgumentNullException(nameof(components), string.Create(CultureInfo.InvariantCulture, $"components[{k}] is null. Pass K fitted components, none of them null."));
            }
        }
    }

    /// <summary>Shared by the weight checks of the estimators' starting points.</summary>
    internal static double[] CheckWeights(IReadOnlyList<double> weights, int componentCount, string parameterName) =>
        ValidateWeights(weights, componentCount, parameterName);

    /// <summary>The model's type, size and weights, for example "GaussianMixtureModel(K = 2, D = 2, π = [0.356, 0.644])".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{GetType().Name}(K = {ComponentCount}, D = {Dimension}, π = {DisplayText.Vector(_weights)})");
}
