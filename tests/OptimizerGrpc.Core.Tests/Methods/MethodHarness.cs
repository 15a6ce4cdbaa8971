using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Randomness;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods;

/// <summary>Drives a method the way the engine does: asks in batches, tells results back in a scrambled order,
/// keeps some trials outstanding across asks.</summary>
internal sealed class MethodHarness(ISearchMethod method, Func<ParamValue[], Observation> evaluate, ulong tellSeed = 99)
{
    private readonly Xoshiro256StarStar _tellOrder = new(tellSeed);

    public ISearchMethod Method { get; set; } = method;

    /// <summary>Proposals not told yet, oldest first.</summary>
    public List<ParamValue[]> Outstanding { get; } = [];

    /// <summary>Every proposal, in the order asked.</summary>
    public List<ParamValue[]> Proposals { get; } = [];

    public double BestScore { get; private set; } = double.NegativeInfinity;

    public ParamValue[]? Best { get; private set; }

    public int Evaluations { get; private set; }

    /// <summary>One engine round: ask up to <paramref name="batch"/>, then tell a random subset (at least half) of what is out.</summary>
    public int Step(int batch)
    {
        var asked = new List<ParamValue[]>();
        int got = Method.Ask(batch, asked);
        Proposals.AddRange(asked);
        Outstanding.AddRange(asked);
        int tell = Math.Max((Outstanding.Count + 1) / 2, Math.Min(1, Outstanding.Count));
        for (int i = 0; i < tell; i++)
        {
            int k = (int)_tellOrder.NextInt64(Outstanding.Count);
            var assignment = Outstanding[k];
            Outstanding.RemoveAt(k);
            Tell(assignment);
        }

        return got;
    }

    /// <summary>Asks and tells until <paramref name="budget"/> evaluations are told or the method stops proposing.</summary>
    public MethodHarness Run(int budget, int batch)
    {
        while (Evaluations + Outstanding.Count < budget || Outstanding.Count > 0)
        {
            int room = budget - Evaluations - Outstanding.Count;
            bool idle = Outstanding.Count == 0;
            int got = Step(Math.Min(batch, room));
            if (got == 0 && idle)
            {
                break;
            }
        }

        return this;
    }

    private void Tell(ParamValue[] assignment)
    {
        var observation = evaluate(assignment);
        Method.Tell(observation);
        Evaluations++;
        if (observation.Kind == ObservationKind.Completed && observation.Scores[0] > BestScore)
        {
            BestScore = observation.Scores[0];
            Best = assignment;
        }
    }

    public static Observation Completed(ParamValue[] assignment, double score) => new(assignment, [score], ObservationKind.Completed);

    /// <summary>f = -(x - 0.3)^2 - (y - 0.7)^2 on [0, 1]^2, maximal (0) at (0.3, 0.7).</summary>
    public static Observation Sphere(ParamValue[] p) =>
        Completed(p, -Math.Pow(p[0].AsFloat - 0.3, 2) - Math.Pow(p[1].AsFloat - 0.7, 2));

    public static readonly SearchSpace UnitSquare = new(
    [
        new SearchParameter("f.x", new FloatDomain(0, 1, null, false)),
        new SearchParameter("f.y", new FloatDomain(0, 1, null, false)),
    ]);

    /// <summary>Two ordered ints constrained fast &lt; slow, plus every other domain kind.</summary>
    public static readonly SearchSpace MixedSpace = new(
    [
        new SearchParameter("ma.fast", new IntDomain(2, 50, 2)),
        new SearchParameter("ma.slow", new IntDomain(5, 100, 5)),
        new SearchParameter("t.f", new FloatDomain(0.5, 2.5, null, false)),
        new SearchParameter("t.s", new FloatDomain(0.1, 0.9, 0.1, false)),
        new SearchParameter("t.l", new FloatDomain(1e-4, 1e-1, null, true)),
        new SearchParameter("t.c", new CategoricalDomain(["sma", "ema", "wma"])),
        new SearchParameter("t.v", new ValueListDomain([ParamValue.Int(3), ParamValue.Float(0.5), ParamValue.String("x")])),
    ]);

    public static bool FastBelowSlow(ParamValue[] p) => p[0].AsInt < p[1].AsInt;

    /// <summary>A score over the mixed space that some trials fail, to exercise every kind of result.</summary>
    public static Observation MixedObjective(ParamValue[] p)
    {
        if (p[5].AsString == "wma" && p[2].AsFloat > 2.0)
        {
            return new(p, [], ObservationKind.Failed);
        }

        double score = -Math.Abs(p[0].AsInt - 20) - Math.Abs(p[1].AsInt - 60) - p[2].AsFloat + Math.Log10(p[4].AsFloat) + (p[5].AsString == "ema" ? 3 : 0);
        return Completed(p, score);
    }

    /// <summary>Two conflicting objectives over the mixed space; some trials fail, some are infeasible.</summary>
    public static Observation MixedObjectives(ParamValue[] p)
    {
        if (p[5].AsString == "wma" && p[2].AsFloat > 2.0)
        {
            return new(p, [], ObservationKind.Failed);
        }

        if (p[6] == ParamValue.String("x") && p[3].AsFloat > 0.75)
        {
            return new(p, [], ObservationKind.Infeasible);
        }

        double a = -Math.Abs(p[0].AsInt - 20) - p[2].AsFloat + (p[5].AsString == "ema" ? 3 : 0);
        double b = -Math.Abs(p[1].AsInt - 60) + (10 * p[2].AsFloat) + Math.Log10(p[4].AsFloat);
        return new(p, [a, b], ObservationKind.Completed);
    }

    public static string Format(IEnumerable<ParamValue[]> proposals) => string.Join('|', proposals.Select(p => string.Join(',', p)));

    public static ISearchMethod RoundTrip(ISearchMethod from, ISearchMethod into)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            from.WriteSnapshot(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        into.ReadSnapshot(reader);
        Assert.Equal(stream.Length, stream.Position);
        return into;
    }
}
