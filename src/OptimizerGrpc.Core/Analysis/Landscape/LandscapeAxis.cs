using OptimizerGrpc.Core.Methods;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Analysis.Landscape;

/// <summary>
/// One free parameter as the landscape sees it: a position on the unit scale (<see cref="UnitCoding"/>: continuous floats
/// linear, on ln x for log ranges; the k-th of n discrete values at (k + 0.5) / n) and a cell. Ordered discrete domains
/// with at most MaxLevels values have a cell per value, continuous floats and larger discrete domains equal unit-scale
/// bins, and unordered domains (categoricals, non-numeric value lists) a cell per choice. Value lists are ordered as listed.
/// </summary>
internal sealed class LandscapeAxis
{
    private LandscapeAxis(SearchParameter parameter, CellKind kind, long levels, int cells)
    {
        Parameter = parameter;
        Kind = kind;
        Levels = levels;
        Cells = cells;
    }

    public SearchParameter Parameter { get; }

    public ParameterDomain Domain => Parameter.Domain;

    public CellKind Kind { get; }

    /// <summary>Values of a discrete domain; 0 for a continuous float range.</summary>
    public long Levels { get; }

    public int Cells { get; }

    /// <summary>Whether adjacent cells are near each other (false for choices).</summary>
    public bool Ordered => Kind != CellKind.Choice;

    /// <summary>Whether the cells span a numeric range with two ends worth flagging.</summary>
    public bool HasEdges => Ordered && Domain.IsNumeric && Cells > 1;

    public static LandscapeAxis For(SearchParameter parameter, int bins, int maxLevels)
    {
        var domain = parameter.Domain;
        if (domain is CategoricalDomain || (domain is ValueListDomain && !domain.IsNumeric))
        {
            int choices = (int)domain.GridSize(1);
            return new LandscapeAxis(parameter, CellKind.Choice, choices, choices);
        }

        if (domain is FloatDomain { Step: null } f && f.High > f.Low)
        {
            return new LandscapeAxis(parameter, CellKind.Bin, 0, bins);
        }

        long levels = domain.GridSize(1);
        return levels <= maxLevels
            ? new LandscapeAxis(parameter, CellKind.Value, levels, (int)levels)
            : new LandscapeAxis(parameter, CellKind.Bin, levels, bins);
    }

    public double ToUnit(ParamValue value) => UnitCoding.ToUnit(Domain, value);

    /// <summary>The index of a discrete value from its unit position.</summary>
    public long LevelOf(double unit) => Math.Min((long)(unit * Levels), Levels - 1);

    public int CellOf(double unit) => Kind == CellKind.Bin ? Math.Min((int)(unit * Cells), Cells - 1) : (int)LevelOf(unit);

    public RangeEdge EdgeOf(int cell) => !HasEdges ? RangeEdge.None : cell == 0 ? RangeEdge.Low : cell == Cells - 1 ? RangeEdge.High : RangeEdge.None;

    /// <summary>The cell's unit-scale edges and its value or its bin's edges in the domain.</summary>
    public (ParamValue Low, ParamValue High, double UnitLow, double UnitHigh) Describe(int cell)
    {
        double unitLow = (double)cell / Cells;
        double unitHigh = (double)(cell + 1) / Cells;
        if (Kind != CellKind.Bin)
        {
            var value = Domain.GridValue(cell, 1);
            return (value, value, unitLow, unitHigh);
        }

        return (UnitCoding.FromUnit(Domain, unitLow), UnitCoding.FromUnit(Domain, unitHigh), unitLow, unitHigh);
    }
}
