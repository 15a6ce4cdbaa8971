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

/// <summary>Integers low, low + step, ... &lt;= high.</summary>
public sealed record IntDomain(long Low, long High, long Step) : ParameterDomain
{
    public long Count => ((High - Low) / Step) + 1;

    public override bool IsNumeric => true;

    public override long GridSize(int floatPoints) => Count;

    public override ParamValue GridValue(long index, int floatPoints) => ParamValue.Int(Low + (index * Step));

    public override ParamValue FromUnit(double u) => ParamValue.Int(Low + (Math.Min((long)(u * Count), Count - 1) * Step));

    public override bool Contains(ParamValue value) =>
        value.Kind == ParamKind.Int && value.AsInt >= Low && value.AsInt <= High && (value.AsInt - Low) % Step == 0;
}

/// <summary>The interval [low, high]; with a step it is a grid, with log it is searched on ln(x).</summary>
public sealed record FloatDomain(double Low, double High, double? Step, bool Log) : ParameterDomain
{
    public override bool IsNumeric => true;

    /// <summary>Number of step points; the 1e-9 slack keeps (1.0 - 0.0) / 0.1 from losing its last point to rounding.</summary>
    public long StepCount => Step is { } s ? (long)Math.Floor(((High - Low) / s) + 1e-9) + 1 : 0;

    public override long GridSize(int floatPoints) => Step is not null ? StepCount : (High == Low ? 1 : floatPoints);

    public override ParamValue GridValue(long index, int floatPoints)
    {
        if (Step is { } s)
        {
            return ParamValue.Float(Math.Min(Low + (index * s), High));
        }

        long n = GridSize(floatPoints);
        if (n == 1)
        {
            return ParamValue.Float(Low);
        }

        double t = (double)index / (n - 1);
        return ParamValue.Float(Log ? Math.Exp(Math.Log(Low) + (t * (Math.Log(High) - Math.Log(Low)))) : Low + (t * (High - Low)));
    }

    public override ParamValue FromUnit(double u)
    {
        if (Step is { } s)
        {
            long n = StepCount;
            return ParamValue.Float(Math.Min(Low + (Math.Min((long)(u * n), n - 1) * s), High));
        }

        return ParamValue.Float(Log
            ? Math.Exp(Math.Log(Low) + (u * (Math.Log(High) - Math.Log(Low))))
            : Low + (u * (High - Low)));
    }

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
