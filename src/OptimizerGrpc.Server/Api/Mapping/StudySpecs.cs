using System.Runtime.CompilerServices;
using OptimizerGrpc.Contracts.V1;
using OptimizerGrpc.Server.Engine;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>
/// The wire spec of each study, parsed once from the document the engine stores and dropped with the study's runtime.
/// </summary>
internal static class StudySpecs
{
    private static readonly ConditionalWeakTable<StudyRuntime, StudySpec> Parsed = [];

    public static StudySpec Of(StudyRuntime runtime) =>
        Parsed.GetValue(runtime, r => StudySpec.Parser.ParseFrom(r.SpecDocument));
}
