using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Tests.Studies;

public sealed class StatesTests
{
    [Fact]
    public void Values_AsStoredAndOnTheWire_Stable()
    {
        Assert.Equal([1, 2, 3, 4, 5, 6], new[] { StudyState.Created, StudyState.Running, StudyState.Paused, StudyState.Completed, StudyState.Stopped, StudyState.Failed }.Select(s => (int)s));
        Assert.Equal([1, 2, 3, 4], new[] { StageState.Pending, StageState.Running, StageState.Completed, StageState.Skipped }.Select(s => (int)s));
        Assert.Equal([1, 2, 3, 4, 5, 6], new[] { TrialState.Pending, TrialState.Running, TrialState.Completed, TrialState.Infeasible, TrialState.Failed, TrialState.Pruned }.Select(s => (int)s));
        Assert.Equal([1, 2, 3, 4], new[] { TellStatus.Accepted, TellStatus.Duplicate, TellStatus.Expired, TellStatus.Rejected }.Select(s => (int)s));
    }

    [Theory]
    [InlineData(StudyState.Created, false)]
    [InlineData(StudyState.Running, false)]
    [InlineData(StudyState.Paused, false)]
    [InlineData(StudyState.Completed, true)]
    [InlineData(StudyState.Stopped, true)]
    [InlineData(StudyState.Failed, true)]
    public void IsTerminal_StudyState_OnlyCompletedStoppedFailed(StudyState state, bool expected)
    {
        Assert.Equal(expected, state.IsTerminal());
    }

    [Theory]
    [InlineData(TrialState.Pending, false)]
    [InlineData(TrialState.Running, false)]
    [InlineData(TrialState.Completed, true)]
    [InlineData(TrialState.Infeasible, true)]
    [InlineData(TrialState.Failed, true)]
    [InlineData(TrialState.Pruned, true)]
    public void IsFinished_TrialState_AllButPendingAndRunning(TrialState state, bool expected)
    {
        Assert.Equal(expected, state.IsFinished());
    }

    [Theory]
    [InlineData(StageState.Pending, false)]
    [InlineData(StageState.Running, false)]
    [InlineData(StageState.Completed, true)]
    [InlineData(StageState.Skipped, true)]
    public void IsDone_StageState_CompletedOrSkipped(StageState state, bool expected)
    {
        Assert.Equal(expected, state.IsDone());
    }

    [Fact]
    public void EndsStudy_StateChangeToTerminal_OnlyThatEvent()
    {
        Assert.True(new StudyStateChangedEvent(StudyState.Completed, StudyState.Running, "").EndsStudy);
        Assert.False(new StudyStateChangedEvent(StudyState.Paused, StudyState.Running, "paused").EndsStudy);
        Assert.False(new TrialRequeuedEvent(3, 2, "w1").EndsStudy);
    }
}
