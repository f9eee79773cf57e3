namespace MixtureModels.Orleans.Shards;

/// <summary>What a pass computes.</summary>
internal enum ShardPassKind
{
    /// <summary>The EM pass: per chunk, the K statistics and Σ log p.</summary>
    Statistics,

    /// <summary>The EM pass of a fit with an objective: statistics, Σ log p and the responsibilities' entropy.</summary>
    StatisticsAndEntropy,

    /// <summary>The final E-step: per chunk Σ log p, and the hard label of every row.</summary>
    Labels,

    /// <summary>The diagnostic E-step: per chunk Σ r_nk for every k and the responsibilities' entropy.</summary>
    Diagnosis,
}
