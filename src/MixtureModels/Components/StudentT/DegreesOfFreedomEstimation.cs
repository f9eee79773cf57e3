namespace MixtureModels;

/// <summary>How a Student-t mixture's degrees of freedom ν are estimated.</summary>
public enum DegreesOfFreedomEstimation
{
    /// <summary>Each component has its own ν, re-estimated in every M-step (Peel and McLachlan 2000). K free parameters.</summary>
    PerComponent,

    /// <summary>One ν shared by all components, re-estimated in every M-step from the pooled statistics. One free parameter.</summary>
    Shared,

    /// <summary>ν stays at the given value. No free parameter.</summary>
    Fixed,
}
