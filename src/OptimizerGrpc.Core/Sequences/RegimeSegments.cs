using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Sequences;

/// <summary>Runs of equal regime labels as half-open bar ranges.</summary>
public static class RegimeSegments
{
    /// <summary>The runs of each label 0..regimes-1, in bar order; bars labelled -1 belong to no regime.</summary>
    public static List<BarRange>[] Of(IReadOnlyList<int> labels, int regimes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var result = Enumerable.Range(0, regimes).Select(_ => new List<BarRange>()).ToArray();
        int start = 0;
        for (int i = 1; i <= labels.Count; i++)
        {
            if (i == labels.Count || labels[i] != labels[start])
            {
                if (labels[start] >= 0)
                {
                    result[labels[start]].Add(new BarRange(start, i));
                }

                start = i;
            }
        }

        return result;
    }
}
