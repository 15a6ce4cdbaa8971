using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OptimizerGrpc.Client;

namespace OptimizerGrpc.Optimization;

/// <summary>Registers the client and the manager with Microsoft.Extensions.DependencyInjection.</summary>
public static class OptimizationServiceCollectionExtensions
{
    /// <summary>Registers a singleton <see cref="OptimizerClient"/> connected to <paramref name="address"/> (e.g. "http://localhost:50051").</summary>
    public static IServiceCollection AddOptimizerClient(this IServiceCollection services, string address, OptimizerClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        services.TryAddSingleton(_ => new OptimizerClient(address, options));
        return services;
    }

    /// <summary>
    /// Registers the <see cref="OptimizationConfig"/> read from <paramref name="configuration"/> and an
    /// <see cref="OptimizationManager"/> with its components registered. With a <c>ConfigFile</c> key the YAML file it
    /// names is loaded; otherwise the <c>optimization</c> section of <paramref name="configuration"/> is read.
    /// Needs an <see cref="OptimizerClient"/> (see <see cref="AddOptimizerClient"/>).
    /// </summary>
    public static IServiceCollection AddOptimization(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(_ => configuration["ConfigFile"] is { Length: > 0 } file
            ? OptimizationConfig.Load(file)
            : OptimizationConfig.FromConfiguration(configuration));
        services.TryAddSingleton(sp => sp.GetRequiredService<OptimizationConfig>().ApplyTo(new OptimizationManager(sp.GetRequiredService<OptimizerClient>())));
        return services;
    }
}
