using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Methods;

public sealed class RandomSearchTests
{
    private static readonly SearchSpace MixedSpace = new(
    [
        new SearchParameter("t.i", new IntDomain(-5, 5, 5)),
        new SearchParameter("t.f", new FloatDomain(0.5, 2.5, null, false)),
        new SearchParameter("t.l", new FloatDomain(1e-4, 1e-1, null, true)),
        new SearchParameter("t.c", new CategoricalDomain(["sma", "ema"])),
        new SearchParameter("t.v", new ValueListDomain([ParamValue.Int(3), ParamValue.Float(0.5), ParamValue.String("x")])),
    ]);

    [Fact]
    public void Ask_SameSeed_SameSequence_DifferentSeed_DifferentSequence()
    {
        static string Run(ulong seed)
        {
            var points = new List<ParamValue[]>();
            new RandomSearch(MixedSpace, null, seed).Ask(20, points);
            return string.Join('|', points.Select(p => string.Join(',', p)));
        }

        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void Ask_ManyDraws_EveryValueInItsDomainAndEveryChoiceSeen()
    {
        var points = new List<ParamValue[]>();
        new RandomSearch(MixedSpace, null, 5).Ask(5000, points);

        for (int i = 0; i < MixedSpace.Count; i++)
        {
            var domain = MixedSpace.Parameters[i].Domain;
            Assert.All(points, p => Assert.True(domain.Contains(p[i]), $"{p[i]} not in {domain}"));
        }

        Assert.Equal(3, points.Select(p => p[0].AsInt).Distinct().Count());
        Assert.Equal(2, points.Select(p => p[3].AsString).Distinct().Count());
        Assert.Equal(3, points.Select(p => p[4]).Distinct().Count());
        // Log-uniform: about a third of the mass in each decade of [1e-4, 1e-1].
        double firstDecade = points.Count(p => p[2].AsFloat < 1e-3) / (double)points.Count;
        Assert.InRange(firstDecade, 0.28, 0.39);
    }

    [Fact]
    public void ReadSnapshot_MidRun_ContinuesTheUninterruptedSequence()
    {
        var uninterrupted = new RandomSearch(MixedSpace, null, 77);
        var expected = new List<ParamValue[]>();
        uninterrupted.Ask(10, []);
        uninterrupted.Ask(10, expected);

        var first = new RandomSearch(MixedSpace, null, 77);
        first.Ask(10, []);
        using var stream = new MemoryStream();
        first.WriteSnapshot(new BinaryWriter(stream));
        stream.Position = 0;
        var resumed = new RandomSearch(MixedSpace, null, 1234);
        resumed.ReadSnapshot(new BinaryReader(stream));
        var actual = new List<ParamValue[]>();
        resumed.Ask(10, actual);

        Assert.Equal(expected.Select(p => string.Join(',', p)), actual.Select(p => string.Join(',', p)));
    }

    [Fact]
    public void Ask_InfeasibleSpace_StopsAndReportsStarved()
    {
        var search = new RandomSearch(MixedSpace, _ => false, 3);
        var points = new List<ParamValue[]>();

        int n = search.Ask(5, points);

        Assert.Equal(0, n);
        Assert.True(search.Starved);
    }
}
