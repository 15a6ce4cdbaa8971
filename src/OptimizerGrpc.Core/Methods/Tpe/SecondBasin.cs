namespace OptimizerGrpc.Core.Methods.Tpe;

/// <summary>
/// The second centre of TPE's local proposals (<see cref="TpeSettings.SecondBasinFraction"/>): the best good trial that
/// lies in another basin than the best trial, so that a share of the local search climbs a second hill instead of
/// crowding the first. Keeping several local regions alive at once, each centred on a good point, is TuRBO-m's answer to
/// a single trust region stuck on one peak (Eriksson, Pearce, Gardner, Turner and Poloczek, "Scalable global
/// optimization via local Bayesian optimization", NeurIPS 2019); here the regions are the one-exchange neighbourhoods of
/// <see cref="IncumbentNeighbourhood"/>.
/// </summary>
internal static class SecondBasin
{
    /// <summary>How far a good trial must be from the best one, in some numeric parameter, to count as another basin: half
    /// of that parameter's range (in coded units, so a log-scale window by its ratio).</summary>
    public const double MinDistance = 0.5;

    /// <summary>The position in <paramref name="below"/> of the best trial whose distance from the incumbent is at least
    /// <see cref="MinDistance"/> of some numeric parameter's range (ties: the earlier, as TPE orders trials), or -1 when
    /// every good trial is near the incumbent (or the space has only choices).</summary>
    /// <param name="coding">The space's coding.</param>
    /// <param name="below">The good trials, coded, in trial order.</param>
    /// <param name="scores">Their scores, higher is better.</param>
    /// <param name="incumbent">The position of the best trial in <paramref name="below"/>.</param>
    public static int Find(TpeCoding coding, IReadOnlyList<double[]> below, IReadOnlyList<double> scores, int incumbent)
    {
        int found = -1;
        for (int j = 0; j < below.Count; j++)
        {
            if (j != incumbent && (found < 0 || scores[j] > scores[found]) && Distance(coding, below[incumbent], below[j]) >= MinDistance)
            {
                found = j;
            }
        }

        return found;
    }

    /// <summary>The largest gap between <paramref name="a"/> and <paramref name="b"/> over the numeric parameters, each as a
    /// share of its range in coded units (Chebyshev distance on the unit cube; choices do not count).</summary>
    public static double Distance(TpeCoding coding, double[] a, double[] b)
    {
        double largest = 0;
        for (int d = 0; d < coding.Count; d++)
        {
            var dim = coding[d];
            if (dim.Kind != TpeKind.Choice && dim.High > dim.Low)
            {
                largest = Math.Max(largest, Math.Abs(a[d] - b[d]) / (dim.High - dim.Low));
            }
        }

        return largest;
    }
}
