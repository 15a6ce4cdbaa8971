using Microsoft.EntityFrameworkCore;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Storage;

/// <summary>The read side of the store, through EF Core. Reads see committed data only (SQLite WAL readers).</summary>
internal sealed class StoreReader(IDbContextFactory<OptimizerDbContext> contexts)
{
    public async Task<List<StudyEntity>> LoadStudiesAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        return await db.Studies.AsNoTracking().OrderBy(s => s.Key).ToListAsync(ct).ConfigureAwait(false);
    }

    public async Task<List<Trial>> LoadUnfinishedTrialsAsync(long studyKey, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var payloads = await db.Trials.AsNoTracking()
            .Where(t => t.StudyKey == studyKey && (t.State == (int)TrialState.Pending || t.State == (int)TrialState.Running))
            .Select(t => t.Payload)
            .ToListAsync(ct).ConfigureAwait(false);
        return payloads.Select(Trial.Parser.ParseFrom).ToList();
    }

    /// <summary>Every completed or infeasible trial of a study, in number order (restore of reusable results).</summary>
    public async Task<List<Trial>> ListAllFinishedAsync(long studyKey, CancellationToken ct)
    {
        var all = new List<Trial>();
        long after = -1;
        while (true)
        {
            var page = await ListTrialsAsync(studyKey, after, 10_000, null, [(int)TrialState.Completed, (int)TrialState.Infeasible], 0, ct).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < 10_000)
            {
                return all;
            }

            after = page[^1].Number;
        }
    }

    public async Task<Trial?> ReadTrialAsync(long studyKey, long number)
    {
        await using var db = await contexts.CreateDbContextAsync().ConfigureAwait(false);
        var payload = await db.Trials.AsNoTracking()
            .Where(t => t.StudyKey == studyKey && t.Number == number)
            .Select(t => t.Payload)
            .FirstOrDefaultAsync().ConfigureAwait(false);
        return payload is null ? null : Trial.Parser.ParseFrom(payload);
    }

    /// <summary>One page of trials in number order, after <paramref name="afterNumber"/>.</summary>
    public async Task<List<Trial>> ListTrialsAsync(
        long studyKey, long afterNumber, int pageSize, int? stageIndex, IReadOnlyCollection<int> states, long afterSequence, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var query = db.Trials.AsNoTracking().Where(t => t.StudyKey == studyKey && t.Number > afterNumber);
        if (stageIndex is { } stage)
        {
            query = query.Where(t => t.StageIndex == stage);
        }

        if (states.Count > 0)
        {
            query = query.Where(t => states.Contains(t.State));
        }

        if (afterSequence > 0)
        {
            query = query.Where(t => t.Sequence > afterSequence);
        }

        var payloads = await query.OrderBy(t => t.Number).Take(pageSize).Select(t => t.Payload).ToListAsync(ct).ConfigureAwait(false);
        return payloads.Select(Trial.Parser.ParseFrom).ToList();
    }

    /// <summary>
    /// Events with sequence in (after, upTo], in order: stored events merged with trial-finished events
    /// rebuilt from the trials table (finished trials keep the sequence of their final change).
    /// </summary>
    public async Task<List<StudyEvent>> ReadEventsAsync(
        long studyKey, string studyId, long after, long upTo, int limit, bool includeTrials, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var stored = await db.Events.AsNoTracking()
            .Where(e => e.StudyKey == studyKey && e.Sequence > after && e.Sequence <= upTo)
            .OrderBy(e => e.Sequence).Take(limit).Select(e => e.Payload)
            .ToListAsync(ct).ConfigureAwait(false);
        var events = stored.Select(StudyEvent.Parser.ParseFrom).ToList();
        if (includeTrials)
        {
            int[] finished = [(int)TrialState.Completed, (int)TrialState.Infeasible, (int)TrialState.Failed, (int)TrialState.Pruned];
            var trials = await db.Trials.AsNoTracking()
                .Where(t => t.StudyKey == studyKey && t.Sequence > after && t.Sequence <= upTo && finished.Contains(t.State))
                .OrderBy(t => t.Sequence).Take(limit).Select(t => t.Payload)
                .ToListAsync(ct).ConfigureAwait(false);
            foreach (var trial in trials.Select(Trial.Parser.ParseFrom))
            {
                events.Add(new StudyEvent { StudyId = studyId, Sequence = trial.Sequence, Time = trial.EndTime, TrialFinished = new TrialFinished { Trial = trial } });
            }

            events.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            if (events.Count > limit)
            {
                events.RemoveRange(limit, events.Count - limit);
            }
        }

        return events;
    }
}
