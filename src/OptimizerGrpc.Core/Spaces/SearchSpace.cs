using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Spaces;

/// <summary>One searchable parameter, addressed as <c>target.name</c>.</summary>
public sealed record SearchParameter(string Name, ParameterDomain Domain);

/// <summary>
/// An ordered list of parameters. Assignments are arrays aligned with <see cref="Parameters"/>:
/// index i holds the value of parameter i. The order is the order of the study spec, so it is stable
/// across restarts.
/// </summary>
public sealed class SearchSpace
{
    private readonly Dictionary<string, int> _index;

    public SearchSpace(IReadOnlyList<SearchParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        _index = new Dictionary<string, int>(parameters.Count, StringComparer.Ordinal);
        for (int i = 0; i < parameters.Count; i++)
        {
            if (!_index.TryAdd(parameters[i].Name, i))
            {
                throw new ArgumentException($"duplicate parameter {Quote(parameters[i].Name)}", nameof(parameters));
            }
        }
    }

    public IReadOnlyList<SearchParameter> Parameters { get; }

    public int Count => Parameters.Count;

    /// <summary>The index of a parameter, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out int i) ? i : -1;

    /// <summary>The number of grid points, or null when it does not fit in a signed 64-bit count.</summary>
    public long? GridSize(int floatPoints)
    {
        long total = 1;
        foreach (var p in Parameters)
        {
            long n = p.Domain.GridSize(floatPoints);
            if (n <= 0)
            {
                return 0;
            }

            if (total > long.MaxValue / n)
            {
                return null;
            }

            total *= n;
        }

        return total;
    }
}
