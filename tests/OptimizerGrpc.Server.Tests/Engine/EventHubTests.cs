using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using static OptimizerGrpc.Server.Tests.Engine.EngineHarness;

namespace OptimizerGrpc.Server.Tests.Engine;

public sealed class EventHubTests
{
    [Fact]
    public async Task Publish_PastTheWatchersCapacity_CompletesItWithOverflow()
    {
        var hub = new EventHub();
        var slow = hub.Subscribe("s1", includeTrials: false);

        hub.Publish([.. Enumerable.Range(1, EventHub.WatcherQueueCapacity + 1).Select(i => Requeued("s1", i))]);
        hub.Publish([Requeued("s1", 20_000)]);

        var received = Drain(slow);

        // The watcher keeps what it had queued; the channel ends with the overflow once that is read.
        Assert.Equal(10_000, EventHub.WatcherQueueCapacity);
        Assert.Equal(Enumerable.Range(1, 10_000).Select(i => (long)i), received.Select(e => e.Sequence));
        var error = await Assert.ThrowsAsync<WatcherOverflowException>(() => slow.Queue.Reader.Completion);
        Assert.Equal("the watcher fell more than 10000 events behind; resume from the last sequence received", error.Message);
    }

    [Fact]
    public void Publish_OverflowOfOneWatcher_LeavesTheOthersSubscribed()
    {
        var hub = new EventHub();
        var slow = hub.Subscribe("s1", includeTrials: false);
        var fast = hub.Subscribe("s1", includeTrials: false);

        for (int i = 1; i <= EventHub.WatcherQueueCapacity + 1; i++)
        {
            hub.Publish([Requeued("s1", i)]);
            Assert.True(fast.Queue.Reader.TryRead(out _));
        }

        hub.Publish([Requeued("s1", 20_000)]);
        int slowQueued = Drain(slow).Count;

        Assert.Equal(10_000, slowQueued);
        Assert.True(slow.Queue.Reader.Completion.IsFaulted);
        Assert.Equal([20_000L], Drain(fast).Select(e => e.Sequence));
        Assert.False(fast.Queue.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void Publish_TrialFinished_SkipsWatchersWithoutTrials()
    {
        var hub = new EventHub();
        var withTrials = hub.Subscribe("s1", includeTrials: true);
        var withoutTrials = hub.Subscribe("s1", includeTrials: false);

        hub.Publish([Finished("s1", 1), Requeued("s1", 2), Finished("s1", 3)]);

        Assert.Equal([1L, 2L, 3L], Drain(withTrials).Select(e => e.Sequence));
        Assert.Equal([2L], Drain(withoutTrials).Select(e => e.Sequence));
    }

    [Fact]
    public void Publish_OtherStudyOrUnsubscribed_DeliversNothing()
    {
        var hub = new EventHub();
        var other = hub.Subscribe("s2", includeTrials: true);
        var gone = hub.Subscribe("s1", includeTrials: true);
        hub.Unsubscribe(gone);

        hub.Publish([Requeued("s1", 1)]);

        Assert.Empty(Drain(other));
        Assert.Empty(Drain(gone));
    }

    [Fact]
    public async Task Close_DeletedStudy_EndsItsWatchersWithStudyDeleted()
    {
        var hub = new EventHub();
        var watcher = hub.Subscribe("s1", includeTrials: false);
        hub.Publish([Requeued("s1", 1)]);

        hub.Close("s1");

        // The events already queued are still delivered; then the feed fails, so WatchStudy ends NOT_FOUND, not OK.
        Assert.Equal([1L], Drain(watcher).Select(e => e.Sequence));
        var error = await Assert.ThrowsAsync<StudyDeletedException>(() => watcher.Queue.Reader.Completion);
        Assert.Equal("s1", error.StudyId);
    }

    [Fact]
    public async Task Tell_CommittedResult_PublishesTheFinishedTrialAndNewBestInSequence()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(Plan(new RandomSettings(), 10, [Float("t.x", 0, 1)]));
        var trial = Assert.Single(await study.LeaseAsync("w1", 1));
        var watcher = h.Events.Subscribe("s1", includeTrials: true);

        await study.TellScoreAsync(trial, 2.0);

        var events = Drain(watcher);
        Assert.Equal([typeof(TrialFinishedEvent), typeof(NewBestEvent)], events.Select(e => e.GetType()));
        // Creation wrote 2 sequences and the lease 1: the finished trial is 4, the new best 5.
        Assert.Equal([4L, 5L], events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal(("s1", Epoch), (e.StudyId, e.Time)));
        Assert.Equal(TrialState.Completed, ((TrialFinishedEvent)events[0]).Trial.State);
        Assert.Equal((0, 0L), (((NewBestEvent)events[1]).StageIndex, ((NewBestEvent)events[1]).Trial.Number));
    }

    private static TrialRequeuedEvent Requeued(string studyId, long sequence) =>
        new(sequence, 2, "w1") { StudyId = studyId, Sequence = sequence, Time = Epoch };

    private static TrialFinishedEvent Finished(string studyId, long sequence) => new(new TrialRecord
    {
        StudyId = studyId,
        StageIndex = 0,
        Number = sequence,
        Space = new SearchSpace([]),
        Params = [],
        Context = DataContext.Whole,
        State = TrialState.Completed,
    })
    { StudyId = studyId, Sequence = sequence, Time = Epoch };

    private static List<StudyEvent> Drain(EventHub.Watcher watcher)
    {
        var events = new List<StudyEvent>();
        while (watcher.Queue.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }
}
