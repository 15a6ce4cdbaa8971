using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OptimizerGrpc.Server.Security;

namespace OptimizerGrpc.Server.Tests.Security;

public sealed class ApiKeyStoreTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"keys-{Guid.NewGuid():N}.txt");
    private readonly FakeTimeProvider _clock = new();

    public void Dispose() => File.Delete(_file);

    private ApiKeyStore Store(string? inline = null) =>
        new(Options.Create(new ServerOptions { Security = new SecurityOptions { ApiKeysFile = _file, ApiKeys = inline } }), _clock, NullLogger<ApiKeyStore>.Instance);

    [Fact]
    public void Find_MatchesOnlyTheExactSecret_FileAndInlineKeysTogether()
    {
        File.WriteAllText(_file, $"alice researcher {ApiKey.HashText("alice-secret-0000001")}\n");
        var store = Store("ops admin ops-inline-secret-0001");
        Assert.Equal("alice", store.Find("alice-secret-0000001")?.Id);
        Assert.Equal("ops", store.Find("ops-inline-secret-0001")?.Id);
        Assert.Null(store.Find("alice-secret-0000002"));
        Assert.Null(store.Find("alice-secret-000000"));
        Assert.Null(store.Find(""));
        Assert.Null(store.Find(new string('x', ApiKeyStore.MaxPresentedLength + 1)));
    }

    [Fact]
    public void Rotation_TwoSecretsOfOneIdBothWork_ThenTheRemovedOneStopsWithinASecond()
    {
        File.WriteAllText(_file, "w worker old-secret-of-the-worker-1\nw worker new-secret-of-the-worker-2\n");
        var store = Store();
        Assert.Equal("w", store.Find("old-secret-of-the-worker-1")?.Id);
        Assert.Equal("w", store.Find("new-secret-of-the-worker-2")?.Id);

        File.WriteAllText(_file, "w worker new-secret-of-the-worker-2\n");
        File.SetLastWriteTimeUtc(_file, DateTime.UtcNow.AddSeconds(5));
        Assert.NotNull(store.Find("old-secret-of-the-worker-1")); // not re-read before a second passed
        _clock.Advance(TimeSpan.FromSeconds(1.1));
        Assert.Null(store.Find("old-secret-of-the-worker-1"));
        Assert.NotNull(store.Find("new-secret-of-the-worker-2"));
        Assert.True(store.HasId("w"));
    }

    [Fact]
    public void Reload_OfABrokenFileKeepsThePreviousKeys()
    {
        File.WriteAllText(_file, "w worker secret-of-the-worker-1\n");
        var store = Store();
        File.WriteAllText(_file, "w worker short\n");
        File.SetLastWriteTimeUtc(_file, DateTime.UtcNow.AddSeconds(5));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("w", store.Find("secret-of-the-worker-1")?.Id);
    }

    [Fact]
    public void Start_WithABrokenFileFailsWithTheLine()
    {
        File.WriteAllText(_file, "w nobody secret-of-the-worker-1\n");
        var e = Assert.Throws<FormatException>(() => Store());
        Assert.Contains("line 1: role 'nobody'", e.Message, StringComparison.Ordinal);
    }
}
