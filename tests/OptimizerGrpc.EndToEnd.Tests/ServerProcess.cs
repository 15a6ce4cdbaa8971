using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using OptimizerGrpc.Contracts.V1;

namespace OptimizerGrpc.Testing;

/// <summary>
/// An <c>optimizer serve</c> child process on a loopback port chosen by the OS. Start waits (bounded) for the
/// "listening on" line; <see cref="Kill"/> is SIGKILL on Linux. Shared by the end-to-end tests and the benchmarks.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private List<string> _output = [];

    private ServerProcess(Process process, Uri address, GrpcChannel channel, OptimizerGrpc.Client.OptimizerClientOptions? credentials)
    {
        _process = process;
        Address = address;
        Channel = channel;
        Client = new OptimizerService.OptimizerServiceClient(OptimizerGrpc.Client.OptimizerChannel.WithCredentials(channel, credentials));
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    public OptimizerService.OptimizerServiceClient Client { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the server printed so far (stdout and stderr).</summary>
    public IReadOnlyList<string> Output => Snapshot(_output);

    /// <summary>Path of optimizer.dll next to the running assembly (the CLI is a project reference).</summary>
    public static string DefaultDll => Path.Combine(AppContext.BaseDirectory, "optimizer.dll");

    /// <param name="credentials">
    /// The client's credentials and CA for a server started with keys and TLS (<paramref name="extraArgs"/>); null: none.
    /// </param>
    public static async Task<ServerProcess> StartAsync(
        string storage, TimeSpan timeout, string durability = "full", string? dll = null, IEnumerable<string>? extraArgs = null,
        OptimizerGrpc.Client.OptimizerClientOptions? credentials = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll ?? DefaultDll, "serve", "--address", "127.0.0.1:0", "--dashboard", "none", "--storage", storage, "--durability", durability, "--log-level", "warning" })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var a in extraArgs ?? [])
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the server");
        var output = new List<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("server exited before listening:\n" + string.Join('\n', Snapshot(output))));
                return;
            }

            lock (output)
            {
                output.Add(e.Data);
            }

            var m = ListeningLine().Match(e.Data);
            if (m.Success)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(timeout);
            var channel = credentials is null
                ? GrpcChannel.ForAddress(address, new GrpcChannelOptions
                {
                    MaxReceiveMessageSize = 64 * 1024 * 1024,
                    MaxSendMessageSize = 64 * 1024 * 1024,
                })
                : OptimizerGrpc.Client.OptimizerChannel.Create(address.ToString(), credentials);
            // The server's stdout and stderr lines, as they keep arriving.
            return new ServerProcess(process, address, channel, credentials) { _output = output };
        }
        catch
        {
            KillQuietly(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL (on Linux) and wait, bounded, for the process to be gone.</summary>
    public void Kill()
    {
        KillQuietly(_process);
        Channel.Dispose();
    }

    /// <summary>Sends SIGTERM (what docker stop, systemd and Kubernetes send) and waits, bounded, for the exit code.</summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            Channel.Dispose();
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Resident set size from /proc/PID/status, in MiB; NaN where there is no /proc.</summary>
    public double RssMb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }

        return double.NaN;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static List<string> Snapshot(List<string> output)
    {
        lock (output)
        {
            return [.. output];
        }
    }

    [GeneratedRegex(@"listening on (https?://\S+)")]
    private static partial Regex ListeningLine();
}
