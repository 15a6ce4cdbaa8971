using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using OptimizerGrpc.Core.Studies;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Api.Dashboard;

/// <summary>
/// The dashboard's server-sent event streams (docs/dashboard-api.md): one study's events, resumable by sequence
/// (<c>id:</c> lines, <c>Last-Event-ID</c>), with a throttled summary; and the study list. At most
/// <see cref="MaxStreams"/> streams are open at once; a comment line keeps idle connections alive.
/// </summary>
internal sealed class DashboardEvents(
    DashboardQueries queries, Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime, Security.StudyAccess access)
{
    public const int MaxStreams = 64;

    private static readonly TimeSpan SummaryInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private int _open;

    public async Task StudyAsync(HttpContext http, StudyRuntime runtime, long after)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(runtime);
        if (!TryOpen(http))
        {
            return;
        }

        // A stream ends when the page goes away or the server stops (so shutdown never waits for open pages).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            var ct = linked.Token;
            await Start(http);
            if (runtime.IsTerminal && after >= runtime.LastSequence)
            {
                await WriteAsync(http, "summary", DashboardJson.Serialize(queries.Summary(runtime)), null, ct);
                await WriteAsync(http, "end", DashboardJson.Serialize(new { state = DashboardViews.Name(runtime.State) }), null, ct);
                return;
            }

            var lines = Channel.CreateBounded<(string Event, string Data, long? Id)>(new BoundedChannelOptions(4096) { SingleReader = true });
            var pump = Task.Run(async () =>
            {
                try
                {
                    await foreach (var e in StudyEventFeed.ReadAsync(queries.Registry, runtime, after, includeTrials: true, ct))
                    {
                        if (Format(runtime, e) is { } line)
                        {
                            await lines.Writer.WriteAsync(line, ct);
                        }
                    }

                    lines.Writer.TryComplete();
                }
                catch (Exception error) when (error is OperationCanceledException or ChannelClosedException or WatcherOverflowException)
                {
                    lines.Writer.TryComplete(error);
                }
                catch (StudyDeletedException)
                {
                    lines.Writer.TryComplete(); // the page's stream ends; a reconnect gets 404
                }
            }, ct);

            var lastSummary = DateTimeOffset.MinValue;
            var lastWrite = DateTimeOffset.UtcNow;
            bool dirty = true;
            while (!ct.IsCancellationRequested)
            {
                bool more;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    wait.CancelAfter(SummaryInterval);
                    try
                    {
                        more = await lines.Reader.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        more = true;
                    }
                    catch (WatcherOverflowException)
                    {
                        more = false; // the page resumes from its last id
                    }
                    catch (ChannelClosedException)
                    {
                        more = false;
                    }
                }

                while (lines.Reader.TryRead(out var line))
                {
                    await WriteAsync(http, line.Event, line.Data, line.Id, ct);
                    dirty = true;
                    lastWrite = DateTimeOffset.UtcNow;
                }

                var now = DateTimeOffset.UtcNow;
                if ((dirty && now - lastSummary >= SummaryInterval) || !more)
                {
                    await WriteAsync(http, "summary", DashboardJson.Serialize(queries.Summary(runtime)), null, ct);
                    lastSummary = lastWrite = now;
                    dirty = false;
                }
                else if (now - lastWrite >= KeepAlive)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    lastWrite = now;
                }

                if (!more)
                {
                    if (runtime.IsTerminal)
                    {
                        await WriteAsync(http, "end", DashboardJson.Serialize(new { state = DashboardViews.Name(runtime.State) }), null, ct);
                    }

                    break;
                }
            }

            await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The page went away, or the server is stopping (the browser reconnects to the next one).
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    public async Task ListAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!TryOpen(http))
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            var ct = linked.Token;
            await Start(http);
            bool Visible(Engine.StudyEntry entry) => access.CanSee(http.User, entry);
            var studies = await queries.StudiesAsync(Visible, ct);
            await WriteAsync(http, "studies", DashboardJson.Serialize(new { studies }), null, ct);
            var sent = studies.ToDictionary(s => s.Id, s => s, StringComparer.Ordinal);
            var lastWrite = DateTimeOffset.UtcNow;
            using var timer = new PeriodicTimer(SummaryInterval);
            while (await timer.WaitForNextTickAsync(ct))
            {
                var now = await queries.StudiesAsync(Visible, ct);
                foreach (var study in now.Where(s => !sent.TryGetValue(s.Id, out var before) || Changed(before, s)))
                {
                    await WriteAsync(http, "study", DashboardJson.Serialize(study), null, ct);
                    sent[study.Id] = study;
                    lastWrite = DateTimeOffset.UtcNow;
                }

                var ids = now.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
                foreach (string gone in sent.Keys.Where(id => !ids.Contains(id)).ToList())
                {
                    await WriteAsync(http, "deleted", DashboardJson.Serialize(new { id = gone }), null, ct);
                    sent.Remove(gone);
                    lastWrite = DateTimeOffset.UtcNow;
                }

                if (DateTimeOffset.UtcNow - lastWrite >= KeepAlive)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    lastWrite = DateTimeOffset.UtcNow;
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The page went away, or the server is stopping (the browser reconnects to the next one).
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private static bool Changed(StudySummaryJson before, StudySummaryJson now) =>
        before.LastSequence != now.LastSequence || before.State != now.State || Math.Abs(before.TrialsPerSecond - now.TrialsPerSecond) > 1e-9;

    private static (string Event, string Data, long? Id)? Format(StudyRuntime runtime, StudyEvent e) => e switch
    {
        TrialFinishedEvent t => ("trial", DashboardJson.Serialize(new
        {
            seq = e.Sequence,
            number = t.Trial.Number,
            stage = t.Trial.StageId,
            state = DashboardViews.Name(t.Trial.State),
            score = DashboardViews.Score(runtime.Plan.Stages[t.Trial.StageIndex], t.Trial),
            values = t.Trial.Values,
            @params = DashboardViews.Params(t.Trial),
            reason = t.Trial.Reason,
        }), e.Sequence),
        NewBestEvent b => ("best", DashboardJson.Serialize(new
        {
            seq = e.Sequence,
            stage = StageIds.Of(b.StageIndex),
            number = b.Trial.Number,
            score = DashboardViews.Score(runtime.Plan.Stages[b.StageIndex], b.Trial),
        }), e.Sequence),
        StageStartedEvent s => ("stage", DashboardJson.Serialize(new { seq = e.Sequence, stage = DashboardViews.Stage(s.Stage) }), e.Sequence),
        StageCompletedEvent s => ("stage", DashboardJson.Serialize(new { seq = e.Sequence, stage = DashboardViews.Stage(s.Stage) }), e.Sequence),
        StudyStateChangedEvent s => ("state", DashboardJson.Serialize(new
        {
            seq = e.Sequence,
            state = DashboardViews.Name(s.State),
            previous = DashboardViews.Name(s.Previous),
            reason = s.Reason,
        }), e.Sequence),
        _ => null,
    };

    private bool TryOpen(HttpContext http)
    {
        if (Interlocked.Increment(ref _open) <= MaxStreams)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return false;
    }

    private static async Task Start(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        await http.Response.WriteAsync("retry: 2000\n\n", http.RequestAborted);
        await http.Response.Body.FlushAsync(http.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext http, string name, string data, long? id, CancellationToken ct)
    {
        string idLine = id is { } i ? $"id: {i}\n" : "";
        await http.Response.WriteAsync($"{idLine}event: {name}\ndata: {data}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
