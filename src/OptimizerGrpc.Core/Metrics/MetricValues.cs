using System.Collections;
using System.Diagnostics.CodeAnalysis;
using static OptimizerGrpc.Core.Studies.UserText;

namespace OptimizerGrpc.Core.Metrics;

/// <summary>How the annualisation factor of a <see cref="MetricValues"/> was chosen.</summary>
public enum AnnualizationSource
{
    /// <summary>Given in <see cref="MetricSettings.AnnualizationFactor"/>.</summary>
    Explicit = 1,

    /// <summary>Inferred from the bar timestamps (see <see cref="MetricCalculator"/>).</summary>
    Timestamps = 2,

    /// <summary>No factor and no timestamps: 252, daily bars assumed.</summary>
    Default = 3,
}

/// <summary>
/// The requested metrics of one record, name to value, in catalog order. Every value is finite. Backed by an array
/// indexed by metric, so lookups cost a frozen-dictionary probe and nothing is boxed.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "The name the server and the spec use; it is a result, not a general dictionary.")]
public sealed class MetricValues : IReadOnlyDictionary<string, double>
{
    private readonly double[] _values;
    private readonly uint _present;

    /// <param name="values">Indexed by <see cref="MetricId"/>.</param>
    /// <param name="present">Bit i set when metric i was requested.</param>
    internal MetricValues(double[] values, uint present, double annualizationFactor, AnnualizationSource source)
    {
        _values = values;
        _present = present;
        Count = System.Numerics.BitOperations.PopCount(present);
        AnnualizationFactorUsed = annualizationFactor;
        AnnualizationSource = source;
    }

    /// <summary>The periods per year every annualised metric used.</summary>
    public double AnnualizationFactorUsed { get; }

    /// <summary>Where <see cref="AnnualizationFactorUsed"/> came from.</summary>
    public AnnualizationSource AnnualizationSource { get; }

    /// <summary>True when the factor was inferred from timestamps or defaulted rather than given.</summary>
    public bool AnnualizationInferred => AnnualizationSource != AnnualizationSource.Explicit;

    public int Count { get; }

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<double> Values => this.Select(p => p.Value);

    public double this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"metric {Quote(key)} was not computed");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        if (MetricCatalog.TryGet(key, out var metric) && IsPresent((int)metric.Id))
        {
            value = _values[(int)metric.Id];
            return true;
        }

        value = 0;
        return false;
    }

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (IsPresent(i))
            {
                yield return new KeyValuePair<string, double>(MetricCatalog.Get((MetricId)i).Name, _values[i]);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private bool IsPresent(int id) => (_present & (1u << id)) != 0;
}
