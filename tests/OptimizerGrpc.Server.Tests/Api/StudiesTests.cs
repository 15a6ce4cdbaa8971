using Grpc.Core;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api;

public sealed class StudiesTests
{
    [Fact]
    public async Task StudyLifecycle_CreateGetListPauseResumeStopDelete_EachStepVisible()
    {
        await using var host = await TestServerHost.StartAsync();
        var client = host.Client;

        var created = await client.CreateStudyAsync(new CreateStudyRequest { StudyId = "life-1", Spec = Specs.Random(10) });
        Assert.True(created.Created);
        Assert.Equal("life-1", created.Study.StudyId);
        Assert.Equal(StudyState.Running, created.Study.State);
        await client.CreateStudyAsync(new CreateStudyRequest { StudyId = "life-2", Spec = Specs.Random(5), StartPaused = true });

        var got = (await client.GetStudyAsync(new GetStudyRequest { StudyId = "life-1" })).Study;
        var expected = Specs.Random(10);
        expected.FailureBudget = 10; // stored resolved
        Assert.Equal(expected, got.Spec);
        Assert.Equal(new TrialCounts(), got.Counts);
        Assert.Null(got.BestTrial);

        var first = await client.ListStudiesAsync(new ListStudiesRequest { PageSize = 1 });
        Assert.Single(first.Studies);
        Assert.NotEmpty(first.NextPageToken);
        var second = await client.ListStudiesAsync(new ListStudiesRequest { PageSize = 1, PageToken = first.NextPageToken });
        Assert.Single(second.Studies);
        Assert.Empty(second.NextPageToken);
        // The contract pages newest first.
        Assert.Equal(["life-2", "life-1"], new[] { first.Studies[0].StudyId, second.Studies[0].StudyId });
        var paused = await client.ListStudiesAsync(new ListStudiesRequest { States = { StudyState.Paused } });
        Assert.Equal("life-2", Assert.Single(paused.Studies).StudyId);

        Assert.Equal(StudyState.Paused, (await client.PauseStudyAsync(new PauseStudyRequest { StudyId = "life-1" })).Study.State);
        var whilePaused = await client.AskTrialsAsync(new AskTrialsRequest { StudyId = "life-1", Count = 3, WorkerId = "w" });
        Assert.Empty(whilePaused.Trials);
        Assert.Equal(StudyState.Paused, whilePaused.StudyState);
        Assert.Equal(StudyState.Running, (await client.ResumeStudyAsync(new ResumeStudyRequest { StudyId = "life-1" })).Study.State);
        Assert.Equal(2, (await client.AskTrialsAsync(new AskTrialsRequest { StudyId = "life-1", Count = 2, WorkerId = "w" })).Trials.Count);

        var stopped = (await client.StopStudyAsync(new StopStudyRequest { StudyId = "life-1", Reason = "enough" })).Study;
        Assert.Equal(StudyState.Stopped, stopped.State);
        Assert.Equal("enough", stopped.StateReason);
        var resume = await Assert.ThrowsAsync<RpcException>(() => client.ResumeStudyAsync(new ResumeStudyRequest { StudyId = "life-1" }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, resume.StatusCode);

        await client.DeleteStudyAsync(new DeleteStudyRequest { StudyId = "life-1" });
        var missing = await Assert.ThrowsAsync<RpcException>(() => client.GetStudyAsync(new GetStudyRequest { StudyId = "life-1" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal("life-2", Assert.Single((await client.ListStudiesAsync(new ListStudiesRequest())).Studies).StudyId);
    }

    [Fact]
    public async Task CreateStudy_SameIdAndSpec_ReturnsExistingWithCreatedFalse()
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = Specs.Random(10);
        spec.Method.ClearSeed();

        var first = await host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "same", Spec = spec });
        var again = await host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "same", Spec = spec });

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Study.Spec, again.Study.Spec);
        Assert.True(first.Study.Spec.Method.HasSeed, "an unseeded study gets a stored seed");
        Assert.Single((await host.Client.ListStudiesAsync(new ListStudiesRequest())).Studies);
    }

    [Fact]
    public async Task CreateStudy_RegimeSequence_StoresCrossRegimeValidationResolvedAndStaysIdempotent()
    {
        await using var host = await TestServerHost.StartAsync();
        var spec = RegimeSpec();

        var first = await host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "regimes", Spec = spec });
        var again = await host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "regimes", Spec = spec });

        Assert.True(first.Study.Spec.Sequence.RegimeSpecific.HasCrossRegimeValidation);
        Assert.True(first.Study.Spec.Sequence.RegimeSpecific.CrossRegimeValidation);
        Assert.Equal(4, first.Study.Stages.Count); // two regimes and two cross-regime validation stages
        Assert.Equal(["", "", "bull", "bear"], first.Study.Stages.Select(s => s.WinnerOfRegime));
        Assert.False(again.Created);
        var off = RegimeSpec();
        off.Sequence.RegimeSpecific.CrossRegimeValidation = false;
        var ex = await Assert.ThrowsAsync<RpcException>(() => host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "regimes", Spec = off }).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
        Assert.Equal(2, (await host.Client.CreateStudyAsync(new CreateStudyRequest { Spec = off })).Study.Stages.Count);
    }

    [Fact]
    public void Compile_StoredRegimeSpecWithoutTheOption_KeepsTheStagesItWasCreatedWith()
    {
        // A spec stored before cross_regime_validation existed has it unset: it resumes with its regime stages only.
        var plan = OptimizerGrpc.Server.Api.Mapping.StudySpecMapper.Compile(RegimeSpec());

        Assert.Equal(2, plan.Stages.Count);
    }

    private static StudySpec RegimeSpec()
    {
        var spec = Specs.Random(4);
        spec.Data = new DataDescription { Name = "s", BarCount = 8, RegimeLabels = { 0, 0, 0, 0, 1, 1, 1, 1 }, RegimeNames = { "bull", "bear" } };
        spec.Sequence = new SequenceSpec { RegimeSpecific = new RegimeSpecificSequence { MinRegimeData = 2 } };
        return spec;
    }

    [Fact]
    public async Task CreateStudy_SameIdDifferentSpec_AlreadyExistsAndStoredStudyIntact()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "taken", Spec = Specs.Random(10) });
        await host.Client.AskTrialsAsync(new AskTrialsRequest { StudyId = "taken", Count = 2, WorkerId = "w" });

        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            host.Client.CreateStudyAsync(new CreateStudyRequest { StudyId = "taken", Spec = Specs.Random(20) }).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, ex.StatusCode);
        var stored = (await host.Client.GetStudyAsync(new GetStudyRequest { StudyId = "taken" })).Study;
        Assert.Equal(10, stored.Spec.MaxTrials);
        Assert.Equal(2, stored.Counts.Running);
        Assert.Single((await host.Client.ListStudiesAsync(new ListStudiesRequest())).Studies);
    }
}
