using OptimizerGrpc.Core.Methods.Grid;
using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Constraints;

/// <summary>
/// Looks for one assignment that meets the constraints before a study is created, so a space with no feasible
/// point is refused with a message instead of starving a method later. Small grids are scanned exhaustively;
/// every space also gets seeded random draws. A miss on a huge space is possible in principle, not a proof.
/// </summary>
public static class FeasibilityProbe
{
    public const long MaxGridScan = 200_000;
    public const int RandomDraws = 20_000;

    /// <summary>Returns how many points were checked, and whether one was feasible.</summary>
    public static (bool Found, long Checked) FindAny(SearchSpace space, Predicate<ParamValue[]> feasible, int floatPoints)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(feasible);
        long checkedPoints = 0;
        if (space.GridSize(floatPoints) is { } size && size <= MaxGridScan)
        {
            var grid = new GridSearch(space, new GridSettings(floatPoints), null, 0);
            for (long k = 0; k < size; k++)
            {
                checkedPoints++;
                if (feasible(grid.Decode(k)))
                {
                    return (true, checkedPoints);
                }
            }
        }

        var random = new RandomSearch(space, null, 0x5EED);
        var batch = new List<ParamValue[]>(RandomDraws);
        random.Ask(RandomDraws, batch);
        foreach (var point in batch)
        {
            checkedPoints++;
            if (feasible(point))
            {
                return (true, checkedPoints);
            }
        }

        return (false, checkedPoints);
    }
}
