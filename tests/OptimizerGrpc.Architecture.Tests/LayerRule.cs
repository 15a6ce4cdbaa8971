using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Syntax.Elements.Types;

namespace OptimizerGrpc.Architecture.Tests;

/// <summary>
/// "These types reference none of those": ArchUnitNET reads every dependency from IL (fields, signatures,
/// method bodies, attributes, generic arguments, nested types), and the failure message lists each offending
/// type with the forbidden types it references.
/// </summary>
internal static class LayerRule
{
    /// <summary>Checks that no type chosen by <paramref name="subjects"/> references a type in <paramref name="forbidden"/>.</summary>
    public static void Check(GivenTypesConjunction subjects, string subjectDescription, IReadOnlyCollection<string> forbidden, string because) =>
        Check(subjects, subjectDescription, type => Layers.IsInAny(NamespaceOf(type), forbidden), "types in " + Layers.Describe(forbidden), because);

    /// <summary>Checks that no type chosen by <paramref name="subjects"/> references a type matching <paramref name="forbidden"/>.</summary>
    public static void Check(
        GivenTypesConjunction subjects, string subjectDescription, Func<IType, bool> forbidden, string forbiddenDescription, string because)
    {
        IArchRule rule = subjects.Should().NotDependOnAnyTypesThat().FollowCustomPredicate(forbidden, forbiddenDescription);

        // Our own message: ArchUnitNET shortens a long predicate description in its own, which hid the forbidden list.
        // A rule that selects no type must fail, not pass vacuously.
        var subjectCount = subjects.GetObjects(ProductAssemblies.Architecture).Count();
        Assert.True(subjectCount > 0, $"No type matches \"{subjectDescription}\": the rule checks nothing. Has the layer moved?");

        var results = rule.Evaluate(ProductAssemblies.Architecture).ToList();

        var offending = results.Where(result => !result.Passed).Select(result => "  " + result.Description).ToList();
        Assert.True(
            offending.Count == 0,
            $"{subjectDescription} must not reference {forbiddenDescription} ({because}). "
            + $"{offending.Count} of {subjectCount} type(s) do:" + Environment.NewLine + string.Join(Environment.NewLine, offending));
    }

    public static string NamespaceOf(IType type) => type.Namespace.FullName;
}
