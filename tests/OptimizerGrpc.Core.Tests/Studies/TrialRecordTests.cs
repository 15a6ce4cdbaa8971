using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Core.Tests.Sequences;

namespace OptimizerGrpc.Core.Tests.Studies;

public sealed class TrialRecordTests
{
    private static TrialRecord Record(IReadOnlyList<ParamValue> parameters) => new()
    {
        StudyId = "study-1",
        StageIndex = 2,
        Number = 41,
        Space = PlanningFixture.Space,
        Params = parameters,
        Context = DataContext.Whole,
    };

    private static readonly ParamValue[] Full = [ParamValue.Int(3), ParamValue.Int(20), ParamValue.Int(14), ParamValue.String("pct")];

    [Fact]
    public void New_RequiredOnly_PendingFirstAttemptWithoutResults()
    {
        var trial = Record(Full);

        Assert.Equal("stage-2", trial.StageId);
        Assert.Equal(1, trial.Attempt);
        Assert.Equal(TrialState.Pending, trial.State);
        Assert.Empty(trial.Values);
        Assert.Empty(trial.ObjectiveValues);
        Assert.Empty(trial.WindowEquity);
        Assert.Equal("", trial.Reason);
        Assert.False(trial.ClosedWithoutResult);
    }

    [Fact]
    public void TryGetParam_FullName_ValueAtItsSpaceIndex()
    {
        Assert.True(Record(Full).TryGetParam("rsi.period", out var value));
        Assert.Equal(ParamValue.Int(14), value);
    }

    [Theory]
    [InlineData("period")]       // short names are not accepted
    [InlineData("rsi.length")]
    public void TryGetParam_UnknownName_False(string name)
    {
        Assert.False(Record(Full).TryGetParam(name, out var value));
        Assert.Equal(default, value);
    }

    [Fact]
    public void TryGetParam_ParamsShorterThanTheSpace_FalseForTheMissingOnes()
    {
        var trial = Record([ParamValue.Int(3), ParamValue.Int(20)]);

        Assert.True(trial.TryGetParam("ma.slow", out _));
        Assert.False(trial.TryGetParam("stop.kind", out _));
    }

    [Fact]
    public void NamedParams_FullAssignment_FullNamesInSpaceOrder()
    {
        Assert.Equal(
            [
                KeyValuePair.Create("ma.fast", ParamValue.Int(3)), KeyValuePair.Create("ma.slow", ParamValue.Int(20)),
                KeyValuePair.Create("rsi.period", ParamValue.Int(14)), KeyValuePair.Create("stop.kind", ParamValue.String("pct")),
            ],
            Record(Full).NamedParams());
    }
}
