using Microsoft.Data.Sqlite;

namespace OptimizerGrpc.Server.Storage.Sqlite;

/// <summary>The writer's statements, prepared once and bound per operation.</summary>
internal sealed class PreparedStatements : IDisposable
{
    private readonly SqliteCommand _upsertTrial;
    private readonly SqliteCommand _upsertReturns;
    private readonly SqliteCommand _upsertEquity;
    private readonly SqliteCommand _pruneEquity;
    private readonly SqliteCommand _insertStudy;
    private readonly SqliteCommand _updateStudy;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand[] _deleteStudy;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "The delete commands are owned by _deleteStudy and disposed in Dispose with the others; CA2000 does not follow ownership into an array.")]
    public PreparedStatements(SqliteConnection connection)
    {
        _upsertTrial = Create(connection,
            """
            INSERT INTO trials (study_key, number, stage_index, state, sequence, payload, score)
            VALUES ($k, $n, $s, $st, $q, $p, $sc)
            ON CONFLICT(study_key, number) DO UPDATE SET
              stage_index = excluded.stage_index, state = excluded.state, sequence = excluded.sequence, payload = excluded.payload,
              score = excluded.score
            """,
            "$k", "$n", "$s", "$st", "$q", "$p", "$sc");
        _upsertReturns = Create(connection,
            "INSERT OR REPLACE INTO trial_returns (study_key, number, stage_index, payload) VALUES ($k, $n, $s, $p)",
            "$k", "$n", "$s", "$p");
        _upsertEquity = Create(connection,
            """
            INSERT OR REPLACE INTO trial_equity (study_key, number, stage_index, score, start_bar, stride, bar_count, payload)
            VALUES ($k, $n, $s, $sc, $b, $st, $c, $p)
            """,
            "$k", "$n", "$s", "$sc", "$b", "$st", "$c", "$p");
        _pruneEquity = Create(connection,
            "DELETE FROM trial_equity WHERE study_key = $k AND stage_index = $s AND number NOT IN (SELECT value FROM json_each($keep))",
            "$k", "$s", "$keep");
        _insertStudy = Create(connection,
            """
            INSERT INTO studies (key, study_id, display_name, state, create_time_ms, update_time_ms, spec, runtime, last_sequence, owner)
            VALUES ($k, $id, $dn, $st, $ct, $ct, $spec, x'', 0, $o)
            """,
            "$k", "$id", "$dn", "$st", "$ct", "$spec", "$o");
        _updateStudy = Create(connection,
            "UPDATE studies SET state = $st, update_time_ms = $ut, runtime = $rt, last_sequence = $q WHERE key = $k",
            "$k", "$st", "$ut", "$rt", "$q");
        _insertEvent = Create(connection,
            "INSERT OR IGNORE INTO events (study_key, sequence, kind, payload) VALUES ($k, $q, $kind, $p)",
            "$k", "$q", "$kind", "$p");
        _deleteStudy =
        [
            Create(connection, "DELETE FROM trials WHERE study_key = $k", "$k"),
            Create(connection, "DELETE FROM events WHERE study_key = $k", "$k"),
            Create(connection, "DELETE FROM trial_returns WHERE study_key = $k", "$k"),
            Create(connection, "DELETE FROM trial_equity WHERE study_key = $k", "$k"),
            Create(connection, "DELETE FROM studies WHERE key = $k", "$k"),
        ];
    }

    public void Attach(SqliteTransaction tx)
    {
        _upsertTrial.Transaction = tx;
        _upsertReturns.Transaction = tx;
        _upsertEquity.Transaction = tx;
        _pruneEquity.Transaction = tx;
        _insertStudy.Transaction = tx;
        _updateStudy.Transaction = tx;
        _insertEvent.Transaction = tx;
        foreach (var c in _deleteStudy)
        {
            c.Transaction = tx;
        }
    }

    public void Apply(WriteOp op)
    {
        switch (op)
        {
            case UpsertTrialOp t:
                Run(_upsertTrial, t.StudyKey, t.Number, t.StageIndex, t.State, t.Sequence, t.Payload, t.Score is { } score ? score : DBNull.Value);
                if (t.Returns is { } returns)
                {
                    Run(_upsertReturns, t.StudyKey, t.Number, t.StageIndex, returns);
                }

                break;
            case InsertStudyOp s:
                Run(_insertStudy, s.Key, s.StudyId, s.DisplayName, s.State, s.CreateTimeMs, s.Spec, s.Owner);
                break;
            case UpdateStudyOp s:
                Run(_updateStudy, s.Key, s.State, s.UpdateTimeMs, s.Runtime, s.LastSequence);
                break;
            case InsertEventOp e:
                Run(_insertEvent, e.StudyKey, e.Sequence, e.Kind, e.Payload);
                break;
            case UpsertEquityOp e:
                Run(_upsertEquity, e.StudyKey, e.Number, e.StageIndex, e.Score, e.StartBar, e.Stride, e.BarCount, e.Payload);
                break;
            case PruneEquityOp p:
                Run(_pruneEquity, p.StudyKey, p.StageIndex, p.KeepJson);
                break;
            case DeleteStudyOp d:
                foreach (var c in _deleteStudy)
                {
                    Run(c, d.StudyKey);
                }

                break;
            default:
                throw new ArgumentException($"unknown write operation {op.GetType().Name}", nameof(op));
        }
    }

    public void Dispose()
    {
        _upsertTrial.Dispose();
        _upsertReturns.Dispose();
        _upsertEquity.Dispose();
        _pruneEquity.Dispose();
        _insertStudy.Dispose();
        _updateStudy.Dispose();
        _insertEvent.Dispose();
        foreach (var c in _deleteStudy)
        {
            c.Dispose();
        }
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] names)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in names)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return cmd;
    }

    private static void Run(SqliteCommand cmd, params object[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            cmd.Parameters[i].Value = values[i];
        }

        cmd.ExecuteNonQuery();
    }
}
