using OptimizerGrpc.Testing;

namespace OptimizerGrpc.EndToEnd.Tests.Operations;

/// <summary>One <c>optimizer serve</c> process shared by a test class whose tests use distinct studies.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("optimizer-fixture-").FullName;

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(Path.Combine(_dir, "shared.db"), TimeSpan.FromSeconds(30));

    public Task DisposeAsync()
    {
        Server.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}
