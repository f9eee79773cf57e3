namespace MixtureModels.Components;

/// <summary>
/// The thresholds behind <see cref="ComponentDegeneracy.VarianceAtFloor"/>, shared by the built-in families (and
/// available to a family you write): a variance v of a component fitted with regularisation reg is at the floor when
/// v ≤ <see cref="FloorFactor"/>·reg or v ≤ <see cref="RelativeFloor"/>·v_max, where v_max is the component's largest variance.
/// </summary>
public static class DegeneracyThresholds
{
    /// <summary>A variance within this factor of the regularisation (10) is held up by it rather than by the data.</summary>
    public const double FloorFactor = 10;

    /// <summary>A variance this small relative to the component's largest (1e-12) is numerically zero (its reciprocal condition number).</summary>
    public const double RelativeFloor = 1e-12;

    /// <summary>Whether the smallest variance (or eigenvalue) of a component is at the floor.</summary>
    /// <param name="smallest">The smallest variance or eigenvalue.</param>
    /// <param name="largest">The largest variance or eigenvalue.</param>
    /// <param name="regularization">The value the M-step adds to every variance (reg_covar).</param>
    /// <returns>True when <paramref name="smallest"/> ≤ FloorFactor·reg or ≤ RelativeFloor·<paramref name="largest"/>, or is not a positive finite number.</returns>
    public static bool IsAtFloor(double smallest, double largest, double regularization) =>
        !(smallest > FloorFactor * regularization) || !(smallest > RelativeFloor * largest) || !double.IsFinite(smallest);
}
