using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;
using static OptimizerGrpc.Server.Tests.Engine.EngineHarness;

namespace OptimizerGrpc.Server.Tests.Engine;

public sealed class TrialQueueTests
{
    private static readonly SearchSpace Space = new([Int("t.a", 1, 9)]);

    [Fact]
    public void TakeNumber_FirstCall_ReservesOneBlockAndFlagsTheBatch()
    {
        var queue = new TrialQueue();

        long number = queue.TakeNumber();

        Assert.Equal(0, number);
        Assert.Equal(1, queue.NextNumber);
        Assert.Equal(4096, queue.ReservedNumber);
        Assert.True(queue.ReservedInBatch);
    }

    [Fact]
    public void TakeNumber_WithinTheBlock_DoesNotReserveAgain()
    {
        var queue = new TrialQueue();
        queue.TakeNumber();
        queue.ReservedInBatch = false;

        long last = 0;
        for (int i = 1; i < TrialQueue.NumberBlock; i++)
        {
            last = queue.TakeNumber();
        }

        Assert.Equal(4095, last);
        Assert.Equal(4096, queue.ReservedNumber);
        Assert.False(queue.ReservedInBatch);
    }

    [Fact]
    public void TakeNumber_PastTheBlock_ReservesTheNextBlock()
    {
        var queue = new TrialQueue { NextNumber = 4096, ReservedNumber = 4096 };

        long number = queue.TakeNumber();

        Assert.Equal(4096, number);
        Assert.Equal(8192, queue.ReservedNumber);
        Assert.True(queue.ReservedInBatch);
    }

    [Fact]
    public void TryDequeue_RequeuedTrial_ComesBeforeNewOnes()
    {
        var queue = new TrialQueue();
        foreach (long n in new long[] { 0, 1, 2 })
        {
            queue.Add(Active(n));
        }

        queue.Enqueue(0, front: false);
        queue.Enqueue(1, front: false);
        queue.Enqueue(2, front: true);

        Assert.Equal([2L, 0L, 1L], DrainNumbers(queue));
        Assert.Equal(0, queue.PendingCount);
        Assert.Equal(3, queue.Active.Count());
    }

    [Fact]
    public void TryDequeue_Empty_ReturnsFalse()
    {
        var queue = new TrialQueue();

        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public async Task Lease_NewStudy_NumbersTrialsFromZero()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(Plan(new RandomSettings(), 10, [Float("t.x", 0, 1)]));

        var first = await study.LeaseAsync("w1", 3);
        var second = await study.LeaseAsync("w2", 2);

        Assert.Equal([0L, 1L, 2L], first.Select(t => t.Number));
        Assert.Equal([3L, 4L], second.Select(t => t.Number));
    }

    [Fact]
    public async Task Lease_AfterAnExpiredLease_HandsOutTheRequeuedTrialFirst()
    {
        await using var h = await CreateAsync();
        var study = await h.CreateStudyAsync(Plan(new RandomSettings(), 10, [Float("t.x", 0, 1)]));
        var first = await study.LeaseAsync("w1", 2);
        h.Clock.Advance(Lease);
        await study.ExpireLeases();

        var next = await study.LeaseAsync("w2", 3);

        // Each expired trial goes to the front, so the later one (1) comes out first; then new work.
        Assert.Equal([1L, 0L, 2L], next.Select(t => t.Number));
        Assert.Equal([2, 2, 1], next.Select(t => t.Attempt));
        Assert.Equal(first[0].Params, next[1].Params);
    }

    [Fact]
    public async Task Lease_FirstInABlock_CommitsDurablyThenRelaxed()
    {
        await using var h = await CreateAsync(synchronousFull: true);
        var study = await h.CreateStudyAsync(Plan(new RandomSettings(), 10, [Float("t.x", 0, 1)]));
        long relaxedBefore = h.Store.Writer.RelaxedTransactionCount;

        await study.LeaseAsync("w1", 1);
        long afterReservation = h.Store.Writer.RelaxedTransactionCount;
        await study.LeaseAsync("w1", 1);
        long afterPlainLease = h.Store.Writer.RelaxedTransactionCount;

        Assert.Equal(0, relaxedBefore);
        Assert.Equal(0, afterReservation);
        Assert.Equal(1, afterPlainLease);
    }

    private static List<long> DrainNumbers(TrialQueue queue)
    {
        var numbers = new List<long>();
        while (queue.TryDequeue(out var active))
        {
            numbers.Add(active.Trial.Number);
        }

        return numbers;
    }

    private static ActiveTrial Active(long number)
    {
        ParamValue[] assignment = [ParamValue.Int(number + 1)];
        var trial = new TrialRecord
        {
            StudyId = "s1",
            StageIndex = 0,
            Number = number,
            Space = Space,
            Params = assignment,
            Context = DataContext.Whole,
        };
        return new ActiveTrial(trial, assignment, 0);
    }
}
