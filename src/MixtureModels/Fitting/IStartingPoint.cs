namespace MixtureModels.Fitting;

/// <summary>User-given starting parameters that override (some of) what an initialiser estimated.</summary>
/// <typeparam name="TComponent">The component type.</typeparam>
internal interface IStartingPoint<TComponent>
{
    /// <summary>Whether every parameter is given, so that no initialiser needs to run.</summary>
    bool IsComplete { get; }

    /// <summary>Throws an <see cref="ArgumentException"/> when the start does not fit K components of dimension D.</summary>
    void Check(int componentCount, int dimension);

    /// <summary>The starting parameters when <see cref="IsComplete"/>.</summary>
    (double[] Weights, TComponent[] Components) Complete();

    /// <summary>Replaces the estimated parameters by the user's where given.</summary>
    (double[] Weights, TComponent[] Components) Apply(double[] weights, TComponent[] components);
}
