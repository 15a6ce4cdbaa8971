using System.Text.Json;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Server.Tests.Api.Dashboard;

/// <summary>The dashboard's server-sent events: replay after a sequence, then live, resumable with Last-Event-ID.</summary>
public sealed class DashboardEventsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StudyEvents_ReplayThenLive_AndAReconnectResumesAfterTheLastIdWithoutRepeats()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("live", Specs.Random(10));
        var trials = await host.Client.AskAsync("live", 10);
        await host.Client.TellAsync(trials[0], Specs.Value(1));
        await host.Client.TellAsync(trials[1], Specs.Value(2));
        using var http = host.Http();

        using (var stream = await EventStream.OpenAsync(http, "/api/studies/live/events?after=0", null))
        {
            // Replayed: both finished trials (and the new bests) with their sequence as id.
            var replayed = await stream.ReadUntilAsync(e => e.Name == "trial", 2);
            Assert.Equal([trials[0].Number, trials[1].Number], replayed.Where(e => e.Name == "trial").Select(e => e.Data.GetProperty("number").GetInt64()));
            Assert.All(replayed.Where(e => e.Name == "trial"), e => Assert.NotNull(e.Id));

            await host.Client.TellAsync(trials[2], Specs.Value(3));
            var live = await stream.ReadUntilAsync(e => e.Name == "trial", 1);
            var trial = live.Single(e => e.Name == "trial");
            Assert.Equal(trials[2].Number, trial.Data.GetProperty("number").GetInt64());
            Assert.Equal(3, trial.Data.GetProperty("score").GetDouble());
            Assert.Equal("COMPLETED", trial.Data.GetProperty("state").GetString());
            Assert.Contains(live.Concat(await stream.ReadUntilAsync(e => e.Name == "summary", 1)), e => e.Name == "summary");
        }

        // Reconnect as a browser does: the same URL, Last-Event-ID of the first trial; the second and third come again, once.
        long firstId = (await host.Client.ListTrialsAsync(new ListTrialsRequest { StudyId = "live" })).Trials.Single(t => t.Number == trials[0].Number).Sequence;
        using var resumed = await EventStream.OpenAsync(http, "/api/studies/live/events?after=0", firstId);
        var again = await resumed.ReadUntilAsync(e => e.Name == "trial", 2);
        Assert.Equal([trials[1].Number, trials[2].Number], again.Where(e => e.Name == "trial").Select(e => e.Data.GetProperty("number").GetInt64()));
    }

    [Fact]
    public async Task StudyEvents_OfAFinishedStudy_EndAfterTheLastEvent()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("done", Specs.Random(2));
        foreach (var trial in await host.Client.AskAsync("done", 2))
        {
            await host.Client.TellAsync(trial, Specs.Value(trial.Number));
        }

        using var http = host.Http();
        using var stream = await EventStream.OpenAsync(http, "/api/studies/done/events", null);

        var events = await stream.ReadToEndAsync();
        Assert.Equal(["summary", "end"], events.Select(e => e.Name));
        Assert.Equal("COMPLETED", events[1].Data.GetProperty("state").GetString());
    }

    [Fact]
    public async Task OpenStreams_EndWhenTheServerStops_SoShutdownDoesNotWaitForPages()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("open", Specs.Random(10));
        using var http = host.Http();
        using var study = await EventStream.OpenAsync(http, "/api/studies/open/events", null);
        using var list = await EventStream.OpenAsync(http, "/api/events", null);
        await list.ReadUntilAsync(e => e.Name == "studies", 1);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await host.RestartAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the restart took {watch.Elapsed.TotalSeconds:F1} s with two pages open");
    }

    [Fact]
    public async Task StudyList_FirstEverySummaryThenEachStudyThatChanges()
    {
        await using var host = await TestServerHost.StartAsync();
        await host.Client.CreateAsync("a", Specs.Random(5));
        using var http = host.Http();
        using var stream = await EventStream.OpenAsync(http, "/api/events", null);

        var first = await stream.ReadUntilAsync(e => e.Name == "studies", 1);
        await host.Client.CreateAsync("b", Specs.Random(5));
        var added = await stream.ReadUntilAsync(e => e.Name == "study", 1);
        await host.Client.DeleteStudyAsync(new DeleteStudyRequest { StudyId = "a" });
        var deleted = await stream.ReadUntilAsync(e => e.Name == "deleted", 1);

        Assert.Equal(["a"], first.Single().Data.GetProperty("studies").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal("b", added.Last().Data.GetProperty("id").GetString());
        Assert.Equal("a", deleted.Last().Data.GetProperty("id").GetString());
    }

    /// <summary>A minimal server-sent events reader over the test server's streamed response.</summary>
    private sealed class EventStream : IDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;

        private EventStream(HttpResponseMessage response, StreamReader reader)
        {
            _response = response;
            _reader = reader;
        }

        public sealed record Event(string Name, JsonElement Data, long? Id);

        public static async Task<EventStream> OpenAsync(HttpClient http, string path, long? lastEventId)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (lastEventId is { } id)
            {
                request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        /// <summary>Reads events until <paramref name="count"/> of them matched.</summary>
        public async Task<List<Event>> ReadUntilAsync(Func<Event, bool> match, int count)
        {
            var events = new List<Event>();
            using var timeout = new CancellationTokenSource(Limit);
            while (events.Count(match) < count)
            {
                events.Add(await NextAsync(timeout.Token) ?? throw new InvalidOperationException("the stream ended"));
            }

            return events;
        }

        public async Task<List<Event>> ReadToEndAsync()
        {
            var events = new List<Event>();
            using var timeout = new CancellationTokenSource(Limit);
            while (await NextAsync(timeout.Token) is { } e)
            {
                events.Add(e);
            }

            return events;
        }

        public void Dispose()
        {
            _reader.Dispose();
            _response.Dispose();
        }

        private async Task<Event?> NextAsync(CancellationToken ct)
        {
            string? name = null, data = null;
            long? id = null;
            while (await _reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name is not null && data is not null)
                    {
                        return new Event(name, JsonDocument.Parse(data).RootElement.Clone(), id);
                    }

                    continue; // a retry or keep-alive block
                }

                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line[6..];
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return null;
        }
    }
}
