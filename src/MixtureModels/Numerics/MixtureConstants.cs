namespace MixtureModels.Numerics;

/// <summary>Numerical constants shared by the engine and the families.</summary>
internal static class MixtureConstants
{
    /// <summary>10·ε (machine epsilon), added to every component's total weight as in scikit-learn, so an empty component stays finite.</summary>
    public const double EmptyComponentWeight = 10 * 2.220446049250313e-16;
}
