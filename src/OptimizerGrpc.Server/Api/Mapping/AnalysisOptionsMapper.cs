using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Core.Analysis;
using OptimizerGrpc.Core.Analysis.Landscape;
using OptimizerGrpc.Core.Analysis.Overfitting;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>Analysis options from the wire, each checked against its documented range with the field's path.</summary>
internal static class AnalysisOptionsMapper
{
    public static AnalysisSettings ToDomain(AnalysisOptions? options, string path)
    {
        if (options is null)
        {
            return AnalysisSettings.Default;
        }

        var v = new SpecViolations();
        var d = LandscapeOptions.Default;
        double top = options.HasTopFraction ? options.TopFraction : d.Importance.TopFraction;
        int bins = options.HasBins ? options.Bins : d.Bins;
        int robustTop = options.HasRobustTop ? options.RobustTop : d.Robustness.TopTrials;
        int surfaces = options.HasSurfaceParameters ? options.SurfaceParameters : d.Sensitivity.PairParameters;
        double radius = options.HasModeRadius ? options.ModeRadius : d.Modes.Radius;
        var overfitting = new OverfittingOptions(
            options.HasPboBlocks ? options.PboBlocks : 16,
            options.HasPboMaxTrials ? options.PboMaxTrials : 1000);
        if (!(top > 0 && top <= 1))
        {
            v.Add(path + ".top_fraction", $"must be greater than 0 and at most 1, got {top}");
        }

        Between(v, path + ".bins", bins, 2, LandscapeOptions.MaxCells);
        Between(v, path + ".robust_top", robustTop, 1, RobustnessOptions.MaxTopTrials);
        Between(v, path + ".surface_parameters", surfaces, 0, SensitivityOptions.MaxPairParameters);
        if (!(radius >= ModeOptions.MinRadius && radius <= 1))
        {
            v.Add(path + ".mode_radius", $"must be between {ModeOptions.MinRadius} and 1, got {radius}");
        }

        if (overfitting.PboBlocks is not (2 or 4 or 8 or 16))
        {
            v.Add(path + ".pbo_blocks", $"must be 2, 4, 8 or 16 (it merges the 16 blocks stored per trial), got {overfitting.PboBlocks}");
        }

        Between(v, path + ".pbo_max_trials", overfitting.PboMaxTrials, 2, 10_000);
        v.ThrowIfAny("invalid analysis options");
        var landscape = d with
        {
            Bins = bins,
            Importance = d.Importance with { TopFraction = top },
            Sensitivity = d.Sensitivity with { PairParameters = surfaces },
            Robustness = d.Robustness with { TopTrials = robustTop },
            Modes = d.Modes with { TopFraction = top, Radius = radius },
        };
        return new AnalysisSettings(landscape, overfitting);
    }

    private static void Between(SpecViolations v, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            v.Add(field, $"must be between {min} and {max}, got {value}");
        }
    }
}
