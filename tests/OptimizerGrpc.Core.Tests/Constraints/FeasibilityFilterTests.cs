using OptimizerGrpc.Core.Constraints;
using OptimizerGrpc.Core.Spaces;

namespace OptimizerGrpc.Core.Tests.Constraints;

public sealed class FeasibilityFilterTests
{
    private static readonly SearchSpace Space = new(
    [
        new SearchParameter("ma.fast", new IntDomain(1, 50, 1)),
        new SearchParameter("ma.slow", new IntDomain(10, 200, 1)),
        new SearchParameter("ma.kind", new CategoricalDomain(["sma", "ema"])),
    ]);

    private static ParamValue[] P(long fast, long slow, string kind) => [ParamValue.Int(fast), ParamValue.Int(slow), ParamValue.String(kind)];

    [Fact]
    public void Create_RelationshipAndBounds_AcceptsOnlyPointsMeetingAll()
    {
        var feasible = FeasibilityFilter.Create(
            Space,
            [new NamedExpression("order", "ma.fast * 2 <= ma.slow and ma.kind == 'sma'", "spec.constraints[0]")],
            [new ParameterBound(1, null, 100, [])])!;

        Assert.True(feasible(P(10, 20, "sma")));
        Assert.False(feasible(P(11, 20, "sma")));
        Assert.False(feasible(P(10, 20, "ema")));
        Assert.False(feasible(P(10, 101, "sma")));
    }

    [Fact]
    public void Create_UnknownParameter_NamesConstraintFieldAndPosition()
    {
        var ex = Assert.Throws<ConstraintException>(() => FeasibilityFilter.Create(
            Space, [new NamedExpression("order", "ma.fast < ma.slw", "spec.constraints[3].relationship.expression")], []));

        Assert.Equal("spec.constraints[3].relationship.expression", ex.Field);
        Assert.Equal("constraint 'order': unknown parameter 'ma.slw' at 10", ex.Message);
    }

    [Fact]
    public void Create_CategoricalComparedWithNumber_IsRefusedAtCreation()
    {
        var ex = Assert.Throws<ConstraintException>(() => FeasibilityFilter.Create(
            Space, [new NamedExpression("bad", "ma.kind < 3", "f")], []));

        Assert.StartsWith("constraint 'bad': ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NothingToCheck_ReturnsNull()
    {
        Assert.Null(FeasibilityFilter.Create(Space, [], []));
    }
}
