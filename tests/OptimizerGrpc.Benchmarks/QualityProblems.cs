using System.Globalization;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Benchmarks;

/// <summary>
/// The problems of the quality suite: five synthetic test functions (minimised) and three real trading objectives
/// (Sharpe ratios, maximised) on three data files, each with the points on which the C# and Python objectives are
/// checked against each other before Optuna's figures are trusted.
/// </summary>
internal static class QualityProblems
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    internal sealed record Problem(string Name, string Domain, SearchSpace Space, Func<ParamValue[], double> Value, bool Minimize, string Optimum)
    {
        public bool IsReal => !Minimize;

        /// <summary>For a real problem: the rule, the data and its size, as printed in the header.</summary>
        public string Description { get; init; } = "";

        /// <summary>For a real problem: assignments (in the space's order) to compare C# and Python on.</summary>
        public ParamValue[][] CheckPoints { get; init; } = [];
    }

    public static List<Problem> All(string dataDir) => [.. Synthetic(), .. Real(dataDir)];

    private static IEnumerable<Problem> Synthetic()
    {
        static SearchSpace Box(params (double Low, double High)[] bounds) =>
            new(bounds.Select((b, i) => new SearchParameter($"x{i}", new FloatDomain(b.Low, b.High, null, false))).ToList());

        static double[] X(ParamValue[] p) => [.. p.Select(v => v.AsFloat)];

        yield return new("branin", "x1 in [-5,10], x2 in [0,15]", Box((-5, 10), (0, 15)), p => TestFunctions.Branin(X(p)), true, "0.397887");
        yield return new("hartmann6", "[0,1]^6", Box(Enumerable.Repeat((0.0, 1.0), 6).ToArray()), p => TestFunctions.Hartmann6(X(p)), true, "-3.32237");
        yield return new("rosenbrock5", "[-2.048,2.048]^5", Box(Enumerable.Repeat((-2.048, 2.048), 5).ToArray()), p => TestFunctions.Rosenbrock(X(p)), true, "0");
        yield return new("rastrigin5", "[-5.12,5.12]^5", Box(Enumerable.Repeat((-5.12, 5.12), 5).ToArray()), p => TestFunctions.Rastrigin(X(p)), true, "0");
        yield return new("ackley5", "[-32.768,32.768]^5", Box(Enumerable.Repeat((-32.768, 32.768), 5).ToArray()), p => TestFunctions.Ackley(X(p)), true, "0");
    }

    private static IEnumerable<Problem> Real(string dataDir)
    {
        static ParamValue I(long v) => ParamValue.Int(v);
        static ParamValue F(double v) => ParamValue.Float(v);
        static ParamValue S(string v) => ParamValue.String(v);

        var maRsi = new MaRsiObjective(Path.Combine(dataDir, "nyse_composite_daily_1966_2002.csv"));
        yield return new("ma_rsi_sharpe", "fast int [2,50], slow int [60,300], period int [2,30], oversold [10,45], overbought [55,90]",
            new SearchSpace(
            [
                new SearchParameter("fast", new IntDomain(2, 50, 1)),
                new SearchParameter("slow", new IntDomain(60, 300, 1)),
                new SearchParameter("period", new IntDomain(2, 30, 1)),
                new SearchParameter("oversold", new FloatDomain(10, 45, null, false)),
                new SearchParameter("overbought", new FloatDomain(55, 90, null, false)),
            ]),
            p => maRsi.Sharpe((int)p[0].AsInt, (int)p[1].AsInt, (int)p[2].AsInt, p[3].AsFloat, p[4].AsFloat), false, "unknown")
        {
            Description = string.Create(Inv, $"long when (SMA(fast) > SMA(slow) and RSI(period) < overbought) or RSI(period) < oversold; commission {MaRsiObjective.Commission}; {maRsi.Bars} daily bars of the NYSE composite"),
            CheckPoints =
            [
                [I(10), I(100), I(14), F(30), F(70)], [I(5), I(200), I(3), F(20), F(80)], [I(50), I(60), I(30), F(45), F(55.5)],
                [I(7), I(123), I(9), F(33.3333), F(71.25)],
            ],
        };

        var bollinger = new BollingerReversionObjective(Path.Combine(dataDir, "usdchf_30min_1996_2001.csv"));
        yield return new("bollinger_usdchf", "window int [10,400], entry [0.5,4] step 0.05, exit [-1,1] step 0.1, side {long,short,both}",
            new SearchSpace(
            [
                new SearchParameter("window", new IntDomain(10, 400, 1)),
                new SearchParameter("entry", new FloatDomain(0.5, 4.0, 0.05, false)),
                new SearchParameter("exit", new FloatDomain(-1.0, 1.0, 0.1, false)),
                new SearchParameter("side", new CategoricalDomain(BollingerReversionObjective.Sides)),
            ]),
            p => bollinger.Sharpe((int)p[0].AsInt, p[1].AsFloat, p[2].AsFloat, p[3].AsString), false, "unknown")
        {
            Description = string.Create(Inv, $"Bollinger mean reversion: enter beyond mean -/+ entry sd, leave at mean +/- exit sd; commission {BollingerReversionObjective.Commission}; the last {BollingerReversionObjective.Bars} 30-minute bars of USD/CHF"),
            CheckPoints =
            [
                [I(20), F(2.0), F(0.0), S("both")], [I(150), F(1.5), F(-0.5), S("long")], [I(400), F(3.95), F(1.0), S("short")],
                [I(10), F(0.5), F(-1.0), S("both")],
            ],
        };

        var breakout = new BreakoutObjective(Path.Combine(dataDir, "swx_daily_2000_2007.csv"));
        yield return new("breakout_swx", "entry int [5,250], exit int [2,120], filter int [20,250], trend_filter {off,on}",
            new SearchSpace(
            [
                new SearchParameter("entry", new IntDomain(5, 250, 1)),
                new SearchParameter("exit", new IntDomain(2, 120, 1)),
                new SearchParameter("filter", new IntDomain(20, 250, 1)),
                new SearchParameter("trend_filter", new CategoricalDomain(BreakoutObjective.Filters)),
            ]),
            p => breakout.Sharpe((int)p[0].AsInt, (int)p[1].AsInt, (int)p[2].AsInt, p[3].AsString), false, "unknown")
        {
            Description = string.Create(Inv, $"Donchian breakout, long only, exit below the exit-bar low, optional SMA(filter) trend filter; commission {BreakoutObjective.Commission}; {breakout.Bars} daily bars of the SWX SPI"),
            CheckPoints =
            [
                [I(20), I(10), I(50), S("off")], [I(55), I(20), I(200), S("on")], [I(250), I(120), I(250), S("on")],
                [I(5), I(2), I(20), S("off")],
            ],
        };
    }
}
