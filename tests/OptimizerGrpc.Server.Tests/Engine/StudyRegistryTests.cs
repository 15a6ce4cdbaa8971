using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Api.Mapping;
using OptimizerGrpc.Server.Engine;
using OptimizerGrpc.Server.Tests.Api;
using ReportedOutcome = OptimizerGrpc.Core.Studies.ReportedOutcome;
using StudyState = OptimizerGrpc.Core.Studies.StudyState;
using TellStatus = OptimizerGrpc.Core.Studies.TellStatus;
using TrialOutcome = OptimizerGrpc.Core.Studies.TrialOutcome;

namespace OptimizerGrpc.Server.Tests.Engine;

public sealed class StudyRegistryTests
{
    [Fact]
    public async Task CreateAsync_SameIdAndSpec_ReturnsTheExistingStudy()
    {
        await using var h = await EngineHarness.CreateAsync();
        var (first, created) = await h.Registry.CreateAsync(NewStudy("s1", Specs.Random(5)), default);

        var (again, createdAgain) = await h.Registry.CreateAsync(NewStudy("s1", Specs.Random(5)), default);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Same(first, again);
        Assert.Equal(StudyState.Running, again.State);
    }

    [Fact]
    public async Task CreateAsync_SameIdOtherSpec_ThrowsAlreadyExists()
    {
        await using var h = await EngineHarness.CreateAsync();
        await h.Registry.CreateAsync(NewStudy("s1", Specs.Random(5)), default);

        var error = await Assert.ThrowsAsync<StudyAlreadyExistsException>(() => h.Registry.CreateAsync(NewStudy("s1", Specs.Random(6)), default));

        Assert.Equal("study 's1' exists with a different spec", error.Message);
    }

    [Fact]
    public async Task LoadAsync_FreshRegistry_RestoresEachStudyWhereItWasOnFirstUse()
    {
        await using var h = await EngineHarness.CreateAsync();
        var (study, _) = await h.Registry.CreateAsync(NewStudy("s1", Specs.Random(5)), default);
        var (trials, committed) = study.Lease("w1", 2, null);
        await committed;
        var outcome = new TrialOutcome(new Dictionary<string, double> { [Specs.Metric] = 1.0 }, null, 0, null, false);
        var (answers, told) = study.Tell([new ReportedOutcome(trials[0].Number, 1, outcome, "w1")]);
        await told;
        await study.ReleaseReservedNumbers();
        using var restarted = new StudyRegistry(h.Store, new StudySpecMapper(), h.Events, h.Clock, NullLogger<StudyRegistry>.Instance);

        await restarted.LoadAsync(default);

        Assert.Empty(restarted.Loaded);
        var restored = await restarted.GetAsync("s1");
        Assert.Same(restored, Assert.Single(restarted.Loaded));
        var view = restored.View();
        Assert.Equal(TellStatus.Accepted, answers[0].Status);
        Assert.Equal((StudyState.Running, 1L, 1L), (view.State, view.Counts.Pending, view.Counts.Completed));
        Assert.Equal(0, view.Best!.Number);
        Assert.Equal(2, (await restored.ReadTrialAsync(1))!.Attempt);
        Assert.Equal(study.SpecDocument, restored.SpecDocument);
    }

    [Fact]
    public async Task GetAsync_UnknownId_ThrowsNotFound()
    {
        await using var h = await EngineHarness.CreateAsync();

        var error = await Assert.ThrowsAsync<StudyNotFoundException>(async () => await h.Registry.GetAsync("nope"));

        Assert.Equal(("nope", "study 'nope' not found"), (error.StudyId, error.Message));
    }

    /// <summary>A create request as the gRPC service builds it: the normalised spec stored, the requested one compared.</summary>
    private static NewStudy NewStudy(string studyId, StudySpec requested)
    {
        var stored = StudySpecMapper.Normalize(requested);
        return new NewStudy(
            studyId, stored.DisplayName, stored.ToByteArray(), StudySpecMapper.Compile(stored), StartPaused: false,
            document => StudySpecMapper.SameSpec(StudySpec.Parser.ParseFrom(document), requested));
    }
}
