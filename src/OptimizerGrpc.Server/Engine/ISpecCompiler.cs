using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Engine;

/// <summary>
/// Compiles a stored spec document (the bytes a study was created with) into its plan. The engine stores the document
/// verbatim and never reads it; the edge that defined its format compiles it, at creation and at every restart.
/// </summary>
internal interface ISpecCompiler
{
    StudyPlan Compile(byte[] specDocument);
}
