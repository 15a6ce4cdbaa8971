using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Syntax.Elements.Types;
using ArchUnitNET.xUnit;

namespace OptimizerGrpc.Architecture.Tests;

/// <summary>
/// "These types reference none of those": ArchUnitNET reads every dependency from IL (fields, signatures,
/// method bodies, attributes, generic arguments, nested and compiler-generated types), and its failure
/// message lists each offending type with the forbidden types it references.
/// </summary>
internal static class LayerRule
{
    /// <summary>Checks that no type chosen by <paramref name="subjects"/> references a type in <paramref name="forbidden"/>.</summary>
    public static void Check(GivenTypesConjunction subjects, IReadOnlyCollection<string> forbidden, string because) =>
        Check(subjects, type => Layers.IsInAny(NamespaceOf(type), forbidden), "reside in " + Layers.Describe(forbidden), because);

    /// <summary>Checks that no type chosen by <paramref name="subjects"/> references a type matching <paramref name="forbidden"/>.</summary>
    public static void Check(GivenTypesConjunction subjects, Func<IType, bool> forbidden, string forbiddenDescription, string because)
    {
        IArchRule rule = subjects
            .Should().NotDependOnAnyTypesThat().FollowCustomPredicate(forbidden, forbiddenDescription)
            .Because(because);
        ArchRuleAssert.CheckRule(ProductAssemblies.Architecture, rule);
    }

    public static string NamespaceOf(IType type) => type.Namespace.FullName;
}
