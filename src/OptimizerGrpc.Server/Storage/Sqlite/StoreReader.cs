using Microsoft.EntityFrameworkCore;
using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Spaces;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine.Store;
using OptimizerGrpc.Server.Storage.Sqlite.Codec;
using OptimizerGrpc.Server.Storage.Sqlite.Entities;

namespace OptimizerGrpc.Server.Storage.Sqlite;

/// <summary>The read side of the store, through EF Core. Reads see committed data only (SQLite WAL readers).</summary>
internal sealed class StoreReader(IDbContextFactory<OptimizerDbContext> contexts)
{
    private static readonly ProtoCodec Codec = ProtoCodec.Instance;

    public async Task<IReadOnlyList<StoredStudy>> LoadStudiesAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.Studies.AsNoTracking().OrderBy(s => s.Key).ToListAsync(ct).ConfigureAwait(false);
        return [.. rows.Select(ToStored)];
    }

    public async Task<IReadOnlyList<StoredStudyIndex>> LoadStudyIndexAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.Studies.AsNoTracking().OrderBy(s => s.Key)
            .Select(s => new { s.Key, s.StudyId, s.DisplayName, s.State, s.CreateTimeMs, s.UpdateTimeMs, s.Owner })
            .ToListAsync(ct).ConfigureAwait(false);
        return [.. rows.Select(s => new StoredStudyIndex(s.Key, s.StudyId, s.DisplayName, (StudyState)s.State, s.CreateTimeMs, s.UpdateTimeMs, s.Owner))];
    }

    public async Task<StoredStudy?> LoadStudyAsync(long studyKey, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var row = await db.Studies.AsNoTracking().FirstOrDefaultAsync(s => s.Key == studyKey, ct).ConfigureAwait(false);
        return row is null ? null : ToStored(row);
    }

    public async Task<IReadOnlyList<(long Number, double Score)>?> ReadScoresAsync(long studyKey, int stageIndex, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.Trials.AsNoTracking()
            .Where(t => t.StudyKey == studyKey && t.StageIndex == stageIndex && t.State == (int)TrialState.Completed)
            .OrderBy(t => t.Number)
            .Select(t => new { t.Number, t.Score })
            .ToListAsync(ct).ConfigureAwait(false);
        return rows.Any(r => r.Score is null) ? null : [.. rows.Select(r => (r.Number, r.Score!.Value))];
    }

    public async Task<(long Total, IReadOnlyList<TrialRecord> Page)?> ReadTrialsPageAsync(
        long studyKey, SearchSpace space, int stageIndex, IReadOnlyCollection<TrialState> states, bool byScore, bool descending, int offset, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var stage = db.Trials.AsNoTracking().Where(t => t.StudyKey == studyKey && t.StageIndex == stageIndex);
        if (byScore && await stage.AnyAsync(t => t.State == (int)TrialState.Completed && t.Score == null, ct).ConfigureAwait(false))
        {
            return null;
        }

        if (states.Count > 0)
        {
            int[] wanted = [.. states.Select(s => (int)s)];
            stage = stage.Where(t => wanted.Contains(t.State));
        }

        long total = await stage.LongCountAsync(ct).ConfigureAwait(false);
        if (!byScore)
        {
            var byNumber = descending ? stage.OrderByDescending(t => t.Number) : stage.OrderBy(t => t.Number);
            var rows = await byNumber.Skip(offset).Take(limit).Select(t => t.Payload).ToListAsync(ct).ConfigureAwait(false);
            return (total, [.. rows.Select(p => Codec.DecodeTrial(p, space))]);
        }

        var ordered = stage.OrderBy(t => t.Score == null ? 1 : 0);
        ordered = descending ? ordered.ThenByDescending(t => t.Score) : ordered.ThenBy(t => t.Score);
        var payloads = await ordered.ThenBy(t => t.Number).Skip(offset).Take(limit).Select(t => t.Payload).ToListAsync(ct).ConfigureAwait(false);
        return (total, [.. payloads.Select(p => Codec.DecodeTrial(p, space))]);
    }

    public async Task<IReadOnlyList<KeptEquity>> ReadEquityAsync(long studyKey, int? stageIndex, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var query = db.TrialEquity.AsNoTracking().Where(e => e.StudyKey == studyKey);
        if (stageIndex is { } stage)
        {
            query = query.Where(e => e.StageIndex == stage);
        }

        var rows = await query.ToListAsync(ct).ConfigureAwait(false);
        return [.. rows
            .OrderBy(r => r.StageIndex).ThenByDescending(r => r.Score).ThenBy(r => r.Number)
            .Select(r => new KeptEquity(
                r.Number, r.StageIndex, r.Score, r.StartBar, r.Stride, r.BarCount,
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(r.Payload).ToArray()))];
    }

    public async Task<IReadOnlyList<TrialRecord>> LoadUnfinishedTrialsAsync(long studyKey, SearchSpace space, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var payloads = await db.Trials.AsNoTracking()
            .Where(t => t.StudyKey == studyKey && (t.State == (int)TrialState.Pending || t.State == (int)TrialState.Running))
            .Select(t => t.Payload)
            .ToListAsync(ct).ConfigureAwait(false);
        return [.. payloads.Select(p => Codec.DecodeTrial(p, space))];
    }

    public async Task<TrialRecord?> ReadTrialAsync(long studyKey, long number, SearchSpace space, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var payload = await db.Trials.AsNoTracking()
            .Where(t => t.StudyKey == studyKey && t.Number == number)
            .Select(t => t.Payload)
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
        return payload is null ? null : Codec.DecodeTrial(payload, space);
    }

    /// <summary>One page of trials in number order.</summary>
    public async Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(long studyKey, SearchSpace space, TrialQuery q, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var query = db.Trials.AsNoTracking().Where(t => t.StudyKey == studyKey && t.Number > q.AfterNumber);
        if (q.StageIndex is { } stage)
        {
            query = query.Where(t => t.StageIndex == stage);
        }

        if (q.States.Count > 0)
        {
            int[] states = [.. q.States.Select(s => (int)s)];
            query = query.Where(t => states.Contains(t.State));
        }

        if (q.AfterSequence > 0)
        {
            query = query.Where(t => t.Sequence > q.AfterSequence);
        }

        var payloads = await query.OrderBy(t => t.Number).Take(q.PageSize).Select(t => t.Payload).ToListAsync(ct).ConfigureAwait(false);
        var trials = payloads.Select(p => Codec.DecodeTrial(p, space)).ToList();
        if (q.IncludeReturns && trials.Count > 0)
        {
            long first = trials[0].Number, last = trials[^1].Number;
            var returns = await db.TrialReturns.AsNoTracking()
                .Where(r => r.StudyKey == studyKey && r.Number >= first && r.Number <= last)
                .ToDictionaryAsync(r => r.Number, r => r.Payload, ct).ConfigureAwait(false);
            for (int i = 0; i < trials.Count; i++)
            {
                if (returns.TryGetValue(trials[i].Number, out var bytes))
                {
                    trials[i] = trials[i] with { Returns = TrialReturns.FromBytes(bytes) };
                }
            }
        }

        return trials;
    }

    /// <summary>
    /// Events with sequence in (after, upTo], in order: stored events merged with trial-finished events
    /// rebuilt from the trials table (finished trials keep the sequence of their final change).
    /// </summary>
    public async Task<IReadOnlyList<StudyEvent>> ReadEventsAsync(
        long studyKey, string studyId, StudyPlan plan, long after, long upTo, int limit, bool includeTrials, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var stored = await db.Events.AsNoTracking()
            .Where(e => e.StudyKey == studyKey && e.Sequence > after && e.Sequence <= upTo)
            .OrderBy(e => e.Sequence).Take(limit).Select(e => e.Payload)
            .ToListAsync(ct).ConfigureAwait(false);
        var events = stored.Select(p => ProtoCodec.DecodeEvent(p, plan)).ToList();
        if (includeTrials)
        {
            int[] finished = [(int)TrialState.Completed, (int)TrialState.Infeasible, (int)TrialState.Failed, (int)TrialState.Pruned];
            var trials = await db.Trials.AsNoTracking()
                .Where(t => t.StudyKey == studyKey && t.Sequence > after && t.Sequence <= upTo && finished.Contains(t.State))
                .OrderBy(t => t.Sequence).Take(limit).Select(t => t.Payload)
                .ToListAsync(ct).ConfigureAwait(false);
            foreach (var trial in trials.Select(p => Codec.DecodeTrial(p, plan.Space)))
            {
                events.Add(new TrialFinishedEvent(trial) { StudyId = studyId, Sequence = trial.Sequence, Time = trial.EndTime ?? default });
            }

            events.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            if (events.Count > limit)
            {
                events.RemoveRange(limit, events.Count - limit);
            }
        }

        return events;
    }

    private static StoredStudy ToStored(StudyEntity row) => new(
        row.Key, row.StudyId, row.DisplayName, (StudyState)row.State, row.CreateTimeMs, row.UpdateTimeMs, row.Spec, row.Runtime, row.LastSequence, row.Owner);
}
