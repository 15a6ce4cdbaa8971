using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods;

/// <summary>
/// Maps parameter values to and from positions in [0, 1], the normalised cube that evolutionary and swarm
/// methods move in. Continuous floats map linearly (on ln x for log ranges); every discrete domain (int
/// ranges, stepped floats, choices, value lists) maps its k-th of n values to the centre of bin k,
/// (k + 0.5) / n, and decodes position u to bin floor(u * n), so decoding snaps to the domain's grid and
/// a uniform u gives each value the same chance, exactly as <see cref="ParameterDomain.FromUnit"/> does.
/// </summary>
internal static class UnitCoding
{
    /// <summary>True for int and float ranges, whose values are ordered numbers with a meaningful distance.</summary>
    public static bool IsRange(ParameterDomain domain) => domain is IntDomain or FloatDomain;

    public static double ToUnit(ParameterDomain domain, ParamValue value)
    {
        switch (domain)
        {
            case IntDomain d:
                return BinCentre(d.IndexOf(value.AsInt), d.Count);
            case FloatDomain { Step: { } step } d:
                return BinCentre((long)Math.Round((value.AsFloat - d.Low) / step), d.StepCount);
            case FloatDomain d when d.High == d.Low:
                return 0.5;
            case FloatDomain { Log: true } d:
                return Math.Clamp((Math.Log(value.AsFloat) - Math.Log(d.Low)) / (Math.Log(d.High) - Math.Log(d.Low)), 0, 1);
            case FloatDomain d:
                return Math.Clamp((value.AsFloat - d.Low) / (d.High - d.Low), 0, 1);
            default:
                return BinCentre(IndexOf(domain, value), ChoiceCount(domain));
        }
    }

    /// <summary>Decodes a position; positions outside [0, 1] are clamped. A float range's walls decode to its exact bounds,
    /// and no float leaves [low, high] (exp(ln x) and low + u * (high - low) can round one ulp past a bound).</summary>
    public static ParamValue FromUnit(ParameterDomain domain, double u)
    {
        u = double.IsNaN(u) ? 0.5 : Math.Clamp(u, 0, 1);
        if (domain is not FloatDomain f)
        {
            return domain.FromUnit(u);
        }

        if (f.Step is null && (u == 0 || u == 1))
        {
            return ParamValue.Float(u == 0 ? f.Low : f.High);
        }

        return ParamValue.Float(Math.Clamp(f.FromUnit(u).AsFloat, f.Low, f.High));
    }

    /// <summary>The number of values of a choice domain (categorical or value list).</summary>
    public static int ChoiceCount(ParameterDomain domain) => domain switch
    {
        CategoricalDomain c => c.Choices.Count,
        ValueListDomain v => v.Values.Count,
        _ => throw new ArgumentException($"{domain.GetType().Name} is not a choice domain", nameof(domain)),
    };

    /// <summary>The value at <paramref name="index"/> of a choice domain.</summary>
    public static ParamValue Choice(ParameterDomain domain, int index) => domain.GridValue(index, floatPoints: 1);

    private static int IndexOf(ParameterDomain domain, ParamValue value)
    {
        int n = ChoiceCount(domain);
        for (int i = 0; i < n; i++)
        {
            if (Choice(domain, i) == value)
            {
                return i;
            }
        }

        throw new ArgumentException($"{value} is not a value of the domain", nameof(value));
    }

    private static double BinCentre(long index, long count) => (Math.Clamp(index, 0, count - 1) + 0.5) / count;
}
