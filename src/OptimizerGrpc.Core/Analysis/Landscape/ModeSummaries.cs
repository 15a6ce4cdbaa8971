using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>Describes the modes <see cref="ModeClustering"/> finds: centre, size and scores, best mode first.</summary>
internal static class ModeSummaries
{
    public static ModeSummary Summarize(LandscapeData data, ModeOptions options)
    {
        if (data.N == 0)
        {
            return new ModeSummary(0, 0, 0, []);
        }

        int[] rows = data.Top(options.TopFraction, 1, options.MaxTrials).ToArray();
        var (labels, count, epsilon) = ModeClustering.Run(data, rows, options);
        var members = new List<int>[count];
        for (int m = 0; m < count; m++)
        {
            members[m] = [];
        }

        int noise = 0;
        for (int p = 0; p < rows.Length; p++)
        {
            if (labels[p] >= 0)
            {
                members[labels[p]].Add(rows[p]);
            }
            else
            {
                noise++;
            }
        }

        var modes = members
            .Select(m => Describe(data, m))
            .OrderByDescending(m => m.BestScore)
            .ThenBy(m => m.BestTrialNumber)
            .ToList();
        return new ModeSummary(rows.Length, noise, epsilon, modes);
    }

    /// <summary>A mode from its member rows, which come best first.</summary>
    private static LandscapeMode Describe(LandscapeData data, List<int> rows)
    {
        int d = data.D;
        var centreUnit = new double[d];
        var centre = new ParamValue[d];
        for (int a = 0; a < d; a++)
        {
            var axis = data.Axes[a];

            // A mode holds a single choice of an unordered parameter: take it as is rather than a rounded mean.
            centreUnit[a] = axis.Ordered ? rows.Average(r => data.Units[(r * d) + a]) : data.Units[(rows[0] * d) + a];
            centre[a] = axis.Ordered ? UnitCoding.FromUnit(axis.Domain, centreUnit[a]) : data.Values[(rows[0] * d) + a];
        }

        var scores = rows.Select(r => data.Scores[r]).ToList();
        double mean = scores.Average();
        double variance = scores.Sum(s => (s - mean) * (s - mean)) / scores.Count;
        return new LandscapeMode(rows.Count, centreUnit, centre, data.Numbers[rows[0]], scores[0], scores.Min(), scores.Max(), Math.Sqrt(variance));
    }
}
