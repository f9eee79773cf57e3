namespace MixtureModels.CustomComponent.VonMises;

/// <summary>Angle helpers shared by the von Mises family and its sample.</summary>
public static class Angles
{
    /// <summary>The same direction in (−π, π].</summary>
    /// <param name="radians">Any finite angle in radians.</param>
    /// <returns>radians − 2πm for the integer m that puts it in (−π, π].</returns>
    public static double Reduce(double radians)
    {
        double reduced = Math.IEEERemainder(radians, 2 * Math.PI); // in [−π, π]
        return reduced <= -Math.PI ? reduced + (2 * Math.PI) : reduced;
    }

    /// <summary>A direction in compass degrees, in [0, 360).</summary>
    /// <param name="radians">Any finite angle in radians.</param>
    /// <returns>The angle in degrees, reduced to [0, 360).</returns>
    public static double ToDegrees(double radians)
    {
        double degrees = Reduce(radians) * 180 / Math.PI;
        degrees = degrees < 0 ? degrees + 360 : degrees;
        return degrees >= 360 ? 0 : degrees; // −1e-17 + 360 rounds to 360
    }
}
