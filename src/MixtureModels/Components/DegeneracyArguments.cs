using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components;

/// <summary>The argument check shared by the built-in <see cref="IDegeneracyCheck{TComponent}"/> implementations.</summary>
internal static class DegeneracyArguments
{
    /// <summary>Throws unless the row counts and the destination have one entry per component.</summary>
    public static void Check(int components, int rowCounts, int destination)
    {
        if (rowCounts != components)
        {
            ThrowHelper.ThrowArgument("effectiveRowCounts", string.Create(CultureInfo.InvariantCulture, $"effectiveRowCounts has {rowCounts} values but there are {components} components. Pass one row count per component."));
        }

        if (destination != components)
        {
            ThrowHelper.ThrowArgument(nameof(destination), string.Create(CultureInfo.InvariantCulture, $"destination has {destination} slots but there are {components} components. Pass one slot per component."));
        }
    }
}
