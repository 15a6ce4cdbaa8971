using OptimizerGrpc.Core.Randomness;
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

    /// <summary>A wide int range searched on a log scale (<see cref="TpeSettings.LogScaleRatio"/>): ln v, kernels truncated to
    /// [ln(low - step/2), ln(high + step/2)] and integrated over the value's cell [ln(v - step/2), ln(v + step/2)], so a
    /// window of 10..20 bars gets as much of the search as one of 200..400 (the scale-free prior of a log-uniform draw).</summary>
    LogInteger,

    /// <summary>Unordered choices (categorical, non-numeric value list), or a single value: the index, a categorical kernel.</summary>
    Choice,
}

/// <summary>One parameter's coding: kind, truncation bounds in coded units, and the number of values (0 for a float range);
/// for <see cref="TpeKind.LogInteger"/> also the range's first value and step.</summary>
internal readonly record struct TpeDimension(TpeKind Kind, double Low, double High, long Levels, long First = 0, long Step = 0);

/// <summary>Maps assignments to the coded values the estimators work on, and back.</summary>
internal sealed class TpeCoding
{
    // The largest int a log scale codes: exp(ln v) comes back within 1e-6 of v, so every value rounds to itself.
    private const long MaxLogInteger = 1_000_000_000;

    private readonly ParameterDomain[] _domains;
    private readonly TpeDimension[] _dimensions;

    /// <param name="space">The space.</param>
    /// <param name="logScaleRatio">Int ranges with high / low at least this (and low above half a step) are coded on a log
    /// scale; 0 for none.</param>
    public TpeCoding(SearchSpace space, double logScaleRatio = 0)
    {
        _domains = [.. space.Parameters.Select(p => p.Domain)];
        _dimensions = [.. _domains.Select(d => Describe(d, logScaleRatio))];
        HasLogScale = _dimensions.Any(d => d.Kind == TpeKind.LogInteger);
        Grid = HasLogScale ? new TpeCoding(space) : this;
    }

    public int Count => _dimensions.Length;

    /// <summary>True when some parameter is coded on a log scale.</summary>
    public bool HasLogScale { get; }

    /// <summary>The same space with every int range coded by its grid index (this coding when none is on a log scale).</summary>
    public TpeCoding Grid { get; }

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
                TpeKind.LogInteger => domain.GridValue(LogIndex(x[d], dim), 2),
                _ => domain.GridValue(Index(x[d], dim), 2),
            };
        }

        return values;
    }

    /// <summary>Rounds a coded value to its grid index (for discrete and choice dimensions).</summary>
    public static long Index(double x, TpeDimension dim) =>
        (long)Math.Clamp(Math.Round(x, MidpointRounding.AwayFromZero), 0, Math.Max(dim.Levels - 1, 0));

    /// <summary>The grid index nearest to exp(x) on a <see cref="TpeKind.LogInteger"/> dimension.</summary>
    public static long LogIndex(double x, TpeDimension dim) =>
        (long)Math.Clamp(Math.Round((Math.Exp(x) - dim.First) / dim.Step, MidpointRounding.AwayFromZero), 0, dim.Levels - 1);

    /// <summary>The coding of value index <paramref name="index"/> on a <see cref="TpeKind.LogInteger"/> dimension.</summary>
    public static double LogValue(long index, TpeDimension dim) => Math.Log(dim.First + (index * dim.Step));

    /// <summary>x moved to the coding of its nearest value on a <see cref="TpeKind.LogInteger"/> dimension.</summary>
    public static double SnapLog(double x, TpeDimension dim) => LogValue(LogIndex(x, dim), dim);

    /// <summary>A coded vector in <see cref="Grid"/>'s coding: log-scale ints replaced by their grid index.</summary>
    public double[] ToGrid(double[] x)
    {
        if (!HasLogScale)
        {
            return x;
        }

        var grid = (double[])x.Clone();
        for (int d = 0; d < grid.Length; d++)
        {
            if (_dimensions[d].Kind == TpeKind.LogInteger)
            {
                grid[d] = LogIndex(x[d], _dimensions[d]);
            }
        }

        return grid;
    }

    /// <summary>The coded rounding cell of value index <paramref name="index"/> on a <see cref="TpeKind.LogInteger"/> dimension.</summary>
    public static (double Low, double High) LogCell(long index, TpeDimension dim)
    {
        double v = dim.First + (index * dim.Step);
        return (Math.Max(Math.Log(v - (0.5 * dim.Step)), dim.Low), Math.Min(Math.Log(v + (0.5 * dim.Step)), dim.High));
    }

    /// <summary>One draw from the uniform prior of every parameter, in space order, one generator draw each: log-uniform on
    /// a <see cref="TpeKind.LogInteger"/> dimension, the domain's own uniform draw elsewhere (so without a log scale it
    /// is exactly <see cref="UniformDraw.Point"/>, the draw random search makes).</summary>
    public ParamValue[] UniformPoint(Xoshiro256StarStar rng)
    {
        var values = new ParamValue[_domains.Length];
        for (int d = 0; d < values.Length; d++)
        {
            double u = rng.NextDouble();
            var dim = _dimensions[d];
            values[d] = dim.Kind == TpeKind.LogInteger
                ? _domains[d].GridValue(LogIndex(dim.Low + (u * (dim.High - dim.Low)), dim), 2)
                : _domains[d].FromUnit(u);
        }

        return values;
    }

    private double Encode(int d, ParamValue value)
    {
        var domain = _domains[d];
        switch (_dimensions[d].Kind)
        {
            case TpeKind.Continuous:
                var f = (FloatDomain)domain;
                double v = value.TryAsNumber(out double number) ? Math.Clamp(number, f.Low, f.High) : f.Low;
                return f.Log ? Math.Log(v) : v;
            case TpeKind.LogInteger:
                return LogValue(IndexOf(domain, value), _dimensions[d]);
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

    private static TpeDimension Describe(ParameterDomain domain, double logScaleRatio)
    {
        switch (domain)
        {
            case IntDomain i when logScaleRatio > 0 && 2 * i.Low > i.Step && i.High <= MaxLogInteger && i.High >= logScaleRatio * i.Low:
                long last = i.Low + ((i.Count - 1) * i.Step);
                return new TpeDimension(TpeKind.LogInteger, Math.Log(i.Low - (0.5 * i.Step)), Math.Log(last + (0.5 * i.Step)), i.Count, i.Low, i.Step);
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
