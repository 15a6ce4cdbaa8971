namespace OptimizerGrpc.Core.Spaces;

/// <summary>
/// The set of values a parameter may take. Every domain can be enumerated by index (for lazy grids),
/// mapped to and from the unit interval (for random search and continuous methods), and checked for membership.
/// </summary>
public abstract record ParameterDomain
{
    /// <summary>How many grid points the domain has; continuous float ranges get <paramref name="floatPoints"/>.</summary>
    public abstract long GridSize(int floatPoints);

    /// <summary>The <paramref name="index"/>-th grid point, 0 &lt;= index &lt; GridSize.</summary>
    public abstract ParamValue GridValue(long index, int floatPoints);

    /// <summary>Maps u in [0, 1) to a value; uniform u gives the domain's natural uniform distribution.</summary>
    public abstract ParamValue FromUnit(double u);

    /// <summary>Whether <paramref name="value"/> belongs to the domain.</summary>
    public abstract bool Contains(ParamValue value);

    /// <summary>Whether the domain is ordered numbers (int or float), so that it has a numeric position.</summary>
    public virtual bool IsNumeric => false;
}

/// <summary>
/// Integers low, low + step, ... &lt;= high. Positions are computed in unsigned 64-bit arithmetic, so any range whose
/// <see cref="Count"/> is at most <see cref="MaxPoints"/> works exactly, even [long.MinValue, long.MaxValue] with a
/// step of 2^11; <see cref="Problem"/> says why a range cannot be a domain.
/// </summary>
public sealed record IntDomain(long Low, long High, long Step) : ParameterDomain
{
    /// <summary>
    /// The most values an int range may have: 2^53, so that every position u * Count of a unit-interval method is an
    /// exact double and every index maps back to exactly one value.
    /// </summary>
    public const long MaxPoints = 1L << 53;

    public long Count => (long)(Width(Low, High) / (ulong)Step) + 1;

    public override bool IsNumeric => true;

    /// <summary>Why (low, high, step) is not a domain, or null: low &lt;= high, step &gt; 0, at most <see cref="MaxPoints"/> values.</summary>
    public static string? Problem(long low, long high, long step) =>
        low > high ? $"low ({low}) must be <= high ({high})"
        : step <= 0 ? $"step must be > 0, got {step}"
        : Width(low, high) / (ulong)step >= (ulong)MaxPoints
            ? $"the range has more than 2^53 values ((high - low) / step + 1 must be <= {MaxPoints}); give it a larger step or narrower bounds"
            : null;

    /// <summary>The position of an integer of the range (its index in low, low + step, ...).</summary>
    public long IndexOf(long value) => (long)(Width(Low, value) / (ulong)Step);

    public override long GridSize(int floatPoints) => Count;

    public override ParamValue GridValue(long index, int floatPoints) => ParamValue.Int(At(index));

    public override ParamValue FromUnit(double u) => ParamValue.Int(At(Math.Clamp((long)(u * Count), 0, Count - 1)));

    public override bool Contains(ParamValue value) =>
        value.Kind == ParamKind.Int && value.AsInt >= Low && value.AsInt <= High && Width(Low, value.AsInt) % (ulong)Step == 0;

    // high - low as an unsigned number: exact for every pair low <= high, where the signed difference overflows past 2^63.
    private static ulong Width(long low, long high) => unchecked((ulong)high - (ulong)low);

    // low + index * step in wrapping arithmetic: the product may pass 2^63, the sum (a value of the range) never does.
    private long At(long index) => unchecked((long)((ulong)Low + ((ulong)index * (ulong)Step)));
}

/// <summary>
/// The interval [low, high]; with a step it is a grid, with log it is searched on ln(x). Every value it hands out is
/// clamped into [low, high] (low + u * (high - low) and exp(ln x) can round one ulp past a bound).
/// </summary>
public sealed record FloatDomain(double Low, double High, double? Step, bool Log) : ParameterDomain
{
    /// <summary>The most points a stepped float range may have, as for int ranges: 2^53.</summary>
    public const long MaxPoints = IntDomain.MaxPoints;

    public override bool IsNumeric => true;

    /// <summary>
    /// Why (low, high, step, log) is not a domain, or null: finite bounds with a finite width, low &lt;= high, a step
    /// that is finite, &gt; 0 and gives at most <see cref="MaxPoints"/> points, log only with low &gt; 0 and no step.
    /// </summary>
    public static string? Problem(double low, double high, double? step, bool log) =>
        !double.IsFinite(low) || !double.IsFinite(high) ? $"low and high must be finite numbers, got [{low}, {high}]"
        : low > high ? $"low ({low}) must be <= high ({high})"
        : !double.IsFinite(high - low) ? $"high - low must be a finite number (at most {double.MaxValue:R}), got [{low}, {high}]"
        : step is { } s && !(s > 0 && double.IsFinite(s)) ? $"step must be a finite number > 0, got {s}"
        : step is { } t && !((high - low) / t < MaxPoints) ? $"the step gives more than 2^53 points ((high - low) / step must be < {MaxPoints}); give a larger step"
        : log && low <= 0 ? $"a log-scale range needs low > 0, got {low}"
        : log && step is not null ? "a log-scale range cannot have a step"
        : null;

    /// <summary>Number of step points; the 1e-9 slack keeps (1.0 - 0.0) / 0.1 from losing its last point to rounding.</summary>
    public long StepCount => Step is { } s ? (long)Math.Floor(((High - Low) / s) + 1e-9) + 1 : 0;

    public override long GridSize(int floatPoints) => Step is not null ? StepCount : (High == Low ? 1 : floatPoints);

    public override ParamValue GridValue(long index, int floatPoints)
    {
        if (Step is { } s)
        {
            return Clamped(Low + (index * s));
        }

        long n = GridSize(floatPoints);
        if (n == 1 || index <= 0)
        {
            return ParamValue.Float(Low);
        }

        if (index >= n - 1)
        {
            return ParamValue.Float(High);
        }

        double t = (double)index / (n - 1);
        return Clamped(Log ? Math.Exp(Math.Log(Low) + (t * (Math.Log(High) - Math.Log(Low)))) : Low + (t * (High - Low)));
    }

    public override ParamValue FromUnit(double u)
    {
        if (Step is { } s)
        {
            long n = StepCount;
            return Clamped(Low + (Math.Clamp((long)(u * n), 0, n - 1) * s));
        }

        return Clamped(Log
            ? Math.Exp(Math.Log(Low) + (u * (Math.Log(High) - Math.Log(Low))))
            : Low + (u * (High - Low)));
    }

    private ParamValue Clamped(double x) => ParamValue.Float(Math.Clamp(x, Low, High));

    public override bool Contains(ParamValue value) =>
        value.Kind == ParamKind.Float && value.AsFloat >= Low && value.AsFloat <= High;
}

/// <summary>An unordered set of string choices.</summary>
public sealed record CategoricalDomain(IReadOnlyList<string> Choices) : ParameterDomain
{
    public override long GridSize(int floatPoints) => Choices.Count;

    public override ParamValue GridValue(long index, int floatPoints) => ParamValue.String(Choices[(int)index]);

    public override ParamValue FromUnit(double u) => ParamValue.String(Choices[Math.Min((int)(u * Choices.Count), Choices.Count - 1)]);

    public override bool Contains(ParamValue value) => value.Kind == ParamKind.String && Choices.Contains(value.AsString);

    public bool Equals(CategoricalDomain? other) => other is not null && Choices.SequenceEqual(other.Choices);

    public override int GetHashCode() => Choices.Count;
}

/// <summary>An explicit ordered list of values (the spec's <c>Dict[str, List[Any]]</c>).</summary>
public sealed record ValueListDomain(IReadOnlyList<ParamValue> Values) : ParameterDomain
{
    public override bool IsNumeric => Values.All(v => v.Kind is ParamKind.Int or ParamKind.Float);

    public override long GridSize(int floatPoints) => Values.Count;

    public override ParamValue GridValue(long index, int floatPoints) => Values[(int)index];

    public override ParamValue FromUnit(double u) => Values[Math.Min((int)(u * Values.Count), Values.Count - 1)];

    public override bool Contains(ParamValue value) => Values.Contains(value);

    public bool Equals(ValueListDomain? other) => other is not null && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => Values.Count;
}
