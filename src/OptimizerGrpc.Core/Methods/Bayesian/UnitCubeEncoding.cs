using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Methods.Bayesian;

/// <summary>
/// Maps assignments to points of the unit cube the GP works in, and back. Float ranges are linear in [0, 1]
/// (in ln x for log ranges). Ints, stepped floats and value lists are discrete: level k of n sits at k / (n - 1),
/// and <see cref="Snap"/> rounds to the nearest level, so the model is evaluated only where a trial can be
/// (Garrido-Merchán and Hernández-Lobato, "Dealing with categorical and integer-valued variables in Bayesian
/// optimization with Gaussian processes", Neurocomputing 2020). A categorical of k choices takes k dimensions,
/// one-hot; a snapped candidate is the one-hot vector of its largest coordinate, so choices are equidistant.
/// </summary>
internal sealed class UnitCubeEncoding
{
    private enum SegmentKind : byte
    {
        Continuous,
        Discrete,
        Categorical,
    }

    private readonly Segment[] _segments;

    public UnitCubeEncoding(SearchSpace space)
    {
        _segments = new Segment[space.Count];
        int offset = 0;
        for (int i = 0; i < space.Count; i++)
        {
            var domain = space.Parameters[i].Domain;
            _segments[i] = domain switch
            {
                CategoricalDomain c => new Segment(SegmentKind.Categorical, offset, c.Choices.Count, domain),
                FloatDomain { Step: null } f when f.High > f.Low => new Segment(SegmentKind.Continuous, offset, 0, domain),
                _ => new Segment(SegmentKind.Discrete, offset, domain.GridSize(1), domain),
            };
            offset += _segments[i].Width;
        }

        Dimensions = offset;
    }

    /// <summary>Number of unit-cube coordinates (categoricals count once per choice).</summary>
    public int Dimensions { get; }

    public void Encode(ParamValue[] values, Span<double> u)
    {
        for (int i = 0; i < _segments.Length; i++)
        {
            var s = _segments[i];
            switch (s.Kind)
            {
                case SegmentKind.Continuous:
                    var f = (FloatDomain)s.Domain;
                    double x = values[i].TryAsNumber(out double number) ? number : f.Low;
                    double t = f.Log
                        ? (Math.Log(x) - Math.Log(f.Low)) / (Math.Log(f.High) - Math.Log(f.Low))
                        : (x - f.Low) / (f.High - f.Low);
                    u[s.Offset] = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
                    break;
                case SegmentKind.Discrete:
                    u[s.Offset] = Level(LevelOf(s.Domain, values[i], s.Levels), s.Levels);
                    break;
                default:
                    var choices = ((CategoricalDomain)s.Domain).Choices;
                    for (int k = 0; k < s.Width; k++)
                    {
                        u[s.Offset + k] = values[i].Kind == ParamKind.String && choices[k] == values[i].AsString ? 1 : 0;
                    }

                    break;
            }
        }
    }

    /// <summary>Decodes a point; discrete coordinates round to the nearest level, categoricals take the largest coordinate.</summary>
    public ParamValue[] Decode(ReadOnlySpan<double> u)
    {
        var values = new ParamValue[_segments.Length];
        Decode(u, values);
        return values;
    }

    public void Decode(ReadOnlySpan<double> u, ParamValue[] values)
    {
        for (int i = 0; i < _segments.Length; i++)
        {
            var s = _segments[i];
            switch (s.Kind)
            {
                case SegmentKind.Continuous:
                    var f = (FloatDomain)s.Domain;
                    double t = Math.Clamp(u[s.Offset], 0, 1);
                    double x = f.Log
                        ? Math.Exp(Math.Log(f.Low) + (t * (Math.Log(f.High) - Math.Log(f.Low))))
                        : f.Low + (t * (f.High - f.Low));
                    values[i] = ParamValue.Float(Math.Clamp(x, f.Low, f.High));
                    break;
                case SegmentKind.Discrete:
                    values[i] = s.Domain.GridValue(NearestLevel(u[s.Offset], s.Levels), 2);
                    break;
                default:
                    values[i] = s.Domain.GridValue(ArgMax(u.Slice(s.Offset, s.Width)), 2);
                    break;
            }
        }
    }

    /// <summary>Rounds discrete coordinates to their nearest level and categoricals to one-hot, in place.</summary>
    public void Snap(Span<double> u)
    {
        foreach (var s in _segments)
        {
            switch (s.Kind)
            {
                case SegmentKind.Continuous:
                    u[s.Offset] = Math.Clamp(u[s.Offset], 0, 1);
                    break;
                case SegmentKind.Discrete:
                    u[s.Offset] = Level(NearestLevel(u[s.Offset], s.Levels), s.Levels);
                    break;
                default:
                    var block = u.Slice(s.Offset, s.Width);
                    int k = ArgMax(block);
                    block.Clear();
                    block[k] = 1;
                    break;
            }
        }
    }

    /// <summary>A uniform random snapped point: every level and every choice equally likely, as in random search.</summary>
    public void Sample(Xoshiro256StarStar rng, Span<double> u)
    {
        foreach (var s in _segments)
        {
            switch (s.Kind)
            {
                case SegmentKind.Continuous:
                    u[s.Offset] = rng.NextDouble();
                    break;
                case SegmentKind.Discrete:
                    u[s.Offset] = Level(rng.NextInt64(s.Levels), s.Levels);
                    break;
                default:
                    var block = u.Slice(s.Offset, s.Width);
                    block.Clear();
                    block[(int)rng.NextInt64(s.Width)] = 1;
                    break;
            }
        }
    }

    /// <summary>A snapped Gaussian step of scale <paramref name="sigma"/> from <paramref name="center"/>; each
    /// categorical is redrawn with probability 0.2.</summary>
    public void Perturb(Xoshiro256StarStar rng, ReadOnlySpan<double> center, double sigma, Span<double> u)
    {
        center.CopyTo(u);
        foreach (var s in _segments)
        {
            switch (s.Kind)
            {
                case SegmentKind.Categorical:
                    if (rng.NextDouble() < 0.2)
                    {
                        var block = u.Slice(s.Offset, s.Width);
                        block.Clear();
                        block[(int)rng.NextInt64(s.Width)] = 1;
                    }

                    break;
                default:
                    u[s.Offset] = Math.Clamp(u[s.Offset] + (sigma * rng.NextGaussian()), 0, 1);
                    break;
            }
        }

        Snap(u);
    }

    private static double Level(long k, long levels) => levels <= 1 ? 0 : (double)k / (levels - 1);

    private static long NearestLevel(double u, long levels) =>
        levels <= 1 ? 0 : (long)Math.Clamp(Math.Round(u * (levels - 1), MidpointRounding.AwayFromZero), 0, levels - 1);

    private static long LevelOf(ParameterDomain domain, ParamValue value, long levels)
    {
        long k = domain switch
        {
            IntDomain d when value.Kind == ParamKind.Int => d.IndexOf(value.AsInt),
            FloatDomain { Step: { } step } d when value.TryAsNumber(out double x) => (long)Math.Round((x - d.Low) / step),
            ValueListDomain d => IndexOf(d.Values, value),
            _ => 0,
        };
        return Math.Clamp(k, 0, levels - 1);
    }

    private static long IndexOf(IReadOnlyList<ParamValue> values, ParamValue value)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }

        return 0;
    }

    private static int ArgMax(ReadOnlySpan<double> block)
    {
        int best = 0;
        for (int k = 1; k < block.Length; k++)
        {
            if (block[k] > block[best])
            {
                best = k;
            }
        }

        return best;
    }

    private readonly record struct Segment(SegmentKind Kind, int Offset, long Levels, ParameterDomain Domain)
    {
        public int Width => Kind == SegmentKind.Categorical ? (int)Levels : 1;
    }
}
