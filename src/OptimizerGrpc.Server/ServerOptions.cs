namespace OptimizerGrpc.Server;

/// <summary>Server settings, bound from the command line or configuration section "Optimizer".</summary>
public sealed class ServerOptions
{
    /// <summary>SQLite file of the store. Default <c>optimizer.db</c> in the working directory.</summary>
    public string StoragePath { get; set; } = "optimizer.db";

    /// <summary>Full connection string; overrides <see cref="StoragePath"/> when set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>PRAGMA synchronous=FULL (durable against power loss) when true; NORMAL (durable against process crashes) when false. Default true.</summary>
    public bool SynchronousFull { get; set; } = true;

    /// <summary>
    /// With <see cref="SynchronousFull"/>, commit groups that only hand out trials without an fsync (default true;
    /// see docs/architecture.md for why that is safe and its one limit). False makes every commit fully durable.
    /// </summary>
    public bool RelaxLeaseCommits { get; set; } = true;

    /// <summary>How often expired leases are swept. Default 250 ms.</summary>
    public TimeSpan LeaseSweepInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Heartbeat interval suggested to workers. Default 5 s; leases should be several heartbeats long.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Largest message the server accepts or sends, on every RPC (unary and each message of a stream). Default 64 MiB (a
    /// 1M-bar equity curve is 8 MiB). Kestrel's request-body limit follows it, so a larger message is always
    /// RESOURCE_EXHAUSTED (see docs/limits.md).
    /// </summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Most trials of one study leased out at once (RUNNING). Default 20,000 (a leased trial costs a few KB of memory
    /// until its result or its lease's end). AskTrials hands out what fits and answers RESOURCE_EXHAUSTED when nothing
    /// does; the Work stream waits for room.
    /// </summary>
    public int MaxLeasesPerStudy { get; set; } = 20_000;

    /// <summary>Most trials leased to one worker id at once, over all studies. Default 10,000; same behaviour as <see cref="MaxLeasesPerStudy"/>.</summary>
    public int MaxLeasesPerWorker { get; set; } = 10_000;

    /// <summary>Most studies the server keeps (created and stored, whatever their state). Default 10,000; CreateStudy beyond is RESOURCE_EXHAUSTED.</summary>
    public int MaxStudies { get; set; } = 10_000;

    /// <summary>Longest lease a study spec or an AskTrials may ask for. Default 24 h.</summary>
    public TimeSpan MaxLeaseDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// "host:port" of the dashboard's HTTP/1.1 endpoint (browsers cannot use the gRPC port's cleartext HTTP/2); null
    /// serves no dashboard port. Port 0 picks a free one.
    /// </summary>
    public string? DashboardAddress { get; set; }

    /// <summary>
    /// Serves gRPC server reflection (grpcurl, Postman) when true; null (default) serves it only when the gRPC address
    /// is a loopback one (or the server is in-process), so a server exposed on a network does not describe itself.
    /// </summary>
    public bool? Reflection { get; set; }

    /// <summary>Authentication (API keys, bearer tokens) and TLS; by default none, which only loopback addresses allow.</summary>
    public Security.SecurityOptions Security { get; set; } = new();

    internal string EffectiveConnectionString => ConnectionString ?? $"Data Source={StoragePath};Pooling=True";
}
