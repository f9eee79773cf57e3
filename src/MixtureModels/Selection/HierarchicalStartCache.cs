using MixtureModels.Fitting;

namespace MixtureModels.Selection;

/// <summary>
/// The merge tree of the model-based hierarchical start, built once per data set and seed and cut at every K (as mclust
/// computes <c>hc</c> once for <c>Mclust</c>'s whole table). A search fits every candidate on the same converted data,
/// so the tree is shared by all cells of a grid. Thread-safe.
/// </summary>
internal sealed class HierarchicalStartCache
{
    private readonly object _gate = new();
    private DataMatrix? _data;
    private int _seed;
    private HierarchicalTree? _tree;

    /// <summary>
    /// Hard labels in [0, <paramref name="k"/>) of every row: the tree of <paramref name="data"/> (drawn with
    /// <c>new Random(seed)</c> when it is subsampled, as a fit's first initialisation draws it) cut at K.
    /// </summary>
    public int[] Labels(DataMatrix data, int k, int seed, CancellationToken cancellationToken)
    {
        HierarchicalTree tree;
        lock (_gate)
        {
            if (_tree is null || !ReferenceEquals(_data, data) || _seed != seed)
            {
                _tree = HierarchicalTree.Build(data, new Random(seed), cancellationToken);
                _data = data;
                _seed = seed;
            }

            tree = _tree;
        }

        return tree.Cut(k);
    }
}
