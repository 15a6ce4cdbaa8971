using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Tpe;

/// <summary>How the Parzen estimator sees one parameter.</summary>
internal enum TpeKind : byte
{
    /// <summary>A float range: the value itself (ln of it on a log range), kernels truncated to [low, high].</summary>
    Continuous,

    /// <summary>An ordered grid (int range, stepped float, numeric value list) of n values: the index k, kernels truncated to
    /// [-0.5, n - 0.5] and integrated over [k - 0.5, k + 0.5] (Optuna's rounding cells, as in Bergstra et al.'s quantised
    /// uniform).</summary>
    Discrete,

    /// <summary>Unordered choices (categorical, non-numeric value list), or a single value: the index, a categorical kernel.</summary>
    Choice,
}

/// <summary>One parameter's coding: kind, truncation bounds in coded units, and the number of values (0 for a float range).</summary>
internal readonly record struct TpeDimension(TpeKind Kind, double Low, double High, long Levels);

/// <summary>Maps assignments to the coded values the estimators work on, and back.</summary>
internal sealed class TpeCoding
{
    private readonly ParameterDomain[] _domains;
    private readonly TpeDimension[] _dimensions;

    public TpeCoding(SearchSpace space)
    {
        _domains = [.. space.Parameters.Select(p => p.Domain)];
        _dimensions = [.. _domains.Select(Describe)];
    }

    public int Count => _dimensions.Length;

    public TpeDimension this[int index] => _dimensions[index];

    public double[] Encode(ParamValue[] values)
    {
        var x = new double[_domains.Length];
        for (int d = 0; d < x.Length; d++)
        {
            x[d] = Encode(d, values[d]);
        }

        return x;
    }

    public ParamValue[] Decode(ReadOnlySpan<double> x)
    {
        var values = new ParamValue[_domains.Length];
        for (int d = 0; d < values.Length; d++)
        {
            var dim = _dimensions[d];
            var domain = _domains[d];
            values[d] = dim.Kind switch
            {
                TpeKind.Continuous when domain is FloatDomain { Log: true } f =>
                    ParamValue.Float(Math.Clamp(Math.Exp(x[d]), f.Low, f.High)),
                TpeKind.Continuous when domain is FloatDomain f => ParamValue.Float(Math.Clamp(x[d], f.Low, f.High)),
                _ => domain.GridValue(Index(x[d], dim), 2),
            };
        }

        return values;
    }

    /// <summary>Rounds a coded value to its grid index (for discrete and choice dimensions).</summary>
    public static long Index(double x, TpeDimension dim) =>
        (long)Math.Clamp(Math.Round(x, MidpointRounding.AwayFromZero), 0, Math.Max(dim.Levels - 1, 0));

    private double Encode(int d, ParamValue value)
    {
        var domain = _domains[d];
        switch (_dimensions[d].Kind)
        {
            case TpeKind.Continuous:
                var f = (FloatDomain)domain;
                double v = value.TryAsNumber(out double number) ? Math.Clamp(number, f.Low, f.High) : f.Low;
                return f.Log ? Math.Log(v) : v;
            default:
                return IndexOf(domain, value);
        }
    }

    private static long IndexOf(ParameterDomain domain, ParamValue value)
    {
        switch (domain)
        {
            case IntDomain i when value.Kind == ParamKind.Int:
                return Math.Clamp(i.IndexOf(value.AsInt), 0, i.Count - 1);
            case FloatDomain { Step: { } step } f when value.TryAsNumber(out double x):
                return Math.Clamp((long)Math.Round((x - f.Low) / step), 0, f.StepCount - 1);
            default:
                long n = domain.GridSize(2);
                for (long k = 0; k < n; k++)
                {
                    if (domain.GridValue(k, 2) == value)
                    {
                        return k;
                    }
                }

                return 0;
        }
    }

    private static TpeDimension Describe(ParameterDomain domain)
    {
        switch (domain)
        {
            case FloatDomain { Step: null } f when f.High > f.Low:
                return f.Log
                    ? new TpeDimension(TpeKind.Continuous, Math.Log(f.Low), Math.Log(f.High), 0)
                    : new TpeDimension(TpeKind.Continuous, f.Low, f.High, 0);
            case CategoricalDomain c:
                return new TpeDimension(TpeKind.Choice, 0, 0, c.Choices.Count);
            case ValueListDomain { IsNumeric: false } v:
                return new TpeDimension(TpeKind.Choice, 0, 0, v.Values.Count);
            default:
                long n = domain.GridSize(2);
                return n <= 1
                    ? new TpeDimension(TpeKind.Choice, 0, 0, 1)
                    : new TpeDimension(TpeKind.Discrete, -0.5, n - 0.5, n);
        }
    }
}
