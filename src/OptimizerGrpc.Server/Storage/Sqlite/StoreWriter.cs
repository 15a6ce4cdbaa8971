using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

using OptimizerGrpc.Server.Engine.Store;

namespace OptimizerGrpc.Server.Storage.Sqlite;

/// <summary>
/// The store's single writer. Batches from many concurrent callers are drained together and written in
/// one SQLite transaction (group commit): one fsync serves every tell in the group, which is what makes
/// durable throughput in the tens of thousands of trials per second possible. Statements are prepared once
/// and reused; EF Core owns the schema and the read side.
/// </summary>
internal sealed partial class StoreWriter : IAsyncDisposable
{
    // Upper bound of operations per transaction; keeps one commit's latency bounded under heavy load.
    private const int MaxOpsPerTransaction = 20_000;

    private readonly Channel<RowBatch> _queue = Channel.CreateUnbounded<RowBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private readonly bool _synchronousFull;
    private readonly bool _relaxLeases;
    private Exception? _fault;
    private bool _relaxedNow;

    /// <param name="relaxLeases">Lease-only groups commit without an fsync (see <see cref="WriteBatch.Relaxed"/>).</param>
    public StoreWriter(string connectionString, bool synchronousFull, ILogger logger, bool relaxLeases = true)
    {
        _relaxLeases = relaxLeases;
        _logger = logger;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        _synchronousFull = synchronousFull;
        Execute(synchronousFull ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
        Execute("PRAGMA busy_timeout=5000;");
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Statistics for benchmarks and logs.</summary>
    public long TransactionCount { get; private set; }

    public long OperationCount { get; private set; }

    /// <summary>Transactions committed without an fsync because they only handed out trials.</summary>
    public long RelaxedTransactionCount { get; private set; }

    /// <summary>Queues a batch; await its source's <see cref="WriteBatch.Committed"/> for durability.</summary>
    public Task SubmitAsync(RowBatch batch)
    {
        if (batch.Ops.Count == 0)
        {
            batch.MarkCommitted();
        }
        else if (_fault is not null)
        {
            batch.MarkFailed(new StoreFaultedException(_fault));
        }
        else if (!_queue.Writer.TryWrite(batch))
        {
            batch.MarkFailed(new ObjectDisposedException(nameof(StoreWriter)));
        }

        return batch.Source.Committed;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        using var statements = new PreparedStatements(_connection);
        var group = new List<RowBatch>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            int ops = 0;
            while (ops < MaxOpsPerTransaction && _queue.Reader.TryRead(out var batch))
            {
                group.Add(batch);
                ops += batch.Ops.Count;
            }

            if (_fault is not null)
            {
                group.ForEach(b => b.MarkFailed(new StoreFaultedException(_fault)));
                continue;
            }

            try
            {
                // A group of lease-only batches commits without an fsync; any other batch makes the group fully durable.
                bool relaxed = _relaxLeases && group.TrueForAll(b => b.Relaxed);
                if (_synchronousFull && relaxed != _relaxedNow)
                {
                    Execute(relaxed ? "PRAGMA synchronous=NORMAL;" : "PRAGMA synchronous=FULL;");
                    _relaxedNow = relaxed;
                }

                using (var tx = _connection.BeginTransaction())
                {
                    statements.Attach(tx);
                    var lastUpdate = LastStudyUpdates(group);
                    foreach (var batch in group)
                    {
                        foreach (var op in batch.Ops)
                        {
                            if (op is not UpdateStudyOp u || ReferenceEquals(lastUpdate[u.Key], u))
                            {
                                statements.Apply(op);
                            }
                        }
                    }

                    tx.Commit();
                }

                TransactionCount++;
                if (_synchronousFull && relaxed)
                {
                    RelaxedTransactionCount++;
                }

                OperationCount += ops;
                foreach (var batch in group)
                {
                    // Publishes the batch's events before completing it, so a watcher never lags what a caller was told.
                    batch.MarkCommitted();
                }
            }
            catch (SqliteException ex)
            {
                // The in-memory state already moved on; a store that cannot commit must not acknowledge anything again.
                _fault = ex;
                LogStoreFaulted(ex);
                group.ForEach(b => b.MarkFailed(new StoreFaultedException(ex)));
            }
        }
    }

    private static Dictionary<long, UpdateStudyOp> LastStudyUpdates(List<RowBatch> group)
    {
        var last = new Dictionary<long, UpdateStudyOp>();
        foreach (var batch in group)
        {
            foreach (var op in batch.Ops)
            {
                if (op is UpdateStudyOp u)
                {
                    last[u.Key] = u;
                }
            }
        }

        return last;
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Critical, Message = "Store write failed; the store refuses further writes")]
    private partial void LogStoreFaulted(Exception error);
}
