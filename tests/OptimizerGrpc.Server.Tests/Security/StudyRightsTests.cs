using OptimizerGrpc.Server.Security;

namespace OptimizerGrpc.Server.Tests.Security;

public sealed class StudyRightsTests
{
    private static readonly StudyResource Alices = new("alpha", "alice");
    private static readonly StudyResource Unowned = new("legacy", "");

    private static Caller C(string name, string role, string scope = "*") => new(name, role, StudyScope.Parse(scope));

    // The role table of docs/security.md, row by row: (role, operation on alice's study) -> allowed.
    [Theory]
    [InlineData("admin", StudyOperation.Read, true)]
    [InlineData("admin", StudyOperation.Create, true)]
    [InlineData("admin", StudyOperation.Steer, true)]
    [InlineData("admin", StudyOperation.Work, true)]
    [InlineData("viewer", StudyOperation.Read, true)]
    [InlineData("viewer", StudyOperation.Create, false)]
    [InlineData("viewer", StudyOperation.Steer, false)]
    [InlineData("viewer", StudyOperation.Work, false)]
    [InlineData("worker", StudyOperation.Read, true)]
    [InlineData("worker", StudyOperation.Create, false)]
    [InlineData("worker", StudyOperation.Steer, false)]
    [InlineData("worker", StudyOperation.Work, true)]
    public void Roles_OnAnotherCallersStudy(string role, StudyOperation operation, bool allowed) =>
        Assert.Equal(allowed, StudyRights.Refusal(C("someone", role), operation, Alices) is null);

    [Theory]
    [InlineData(StudyOperation.Read)]
    [InlineData(StudyOperation.Steer)]
    [InlineData(StudyOperation.Work)]
    public void Researcher_OwnStudyOnly(StudyOperation operation)
    {
        Assert.Null(StudyRights.Refusal(C("alice", Roles.Researcher), operation, Alices));
        string? refusal = StudyRights.Refusal(C("bob", Roles.Researcher), operation, Alices);
        Assert.NotNull(refusal);
        Assert.Contains("belongs to 'alice'", refusal, StringComparison.Ordinal);
        Assert.NotNull(StudyRights.Refusal(C("bob", Roles.Researcher), operation, Unowned));
    }

    [Fact]
    public void Worker_Scope_NarrowsButNeverAdds()
    {
        var nightly = C("ci", Roles.Worker, "nightly-*");
        Assert.Null(StudyRights.Refusal(nightly, StudyOperation.Work, new StudyResource("nightly-7", "alice")));
        Assert.Contains("limited to studies nightly-*", StudyRights.Refusal(nightly, StudyOperation.Work, Alices), StringComparison.Ordinal);
        Assert.False(StudyRights.CanSee(nightly, Alices));
        Assert.NotNull(StudyRights.Refusal(nightly, StudyOperation.Steer, new StudyResource("nightly-7", "alice")));
    }

    [Fact]
    public void Unowned_StudiesAreSteeredByAdminsOnly()
    {
        Assert.Null(StudyRights.Refusal(C("root", Roles.Admin), StudyOperation.Steer, Unowned));
        Assert.Contains("belongs to no owner", StudyRights.Refusal(C("alice", Roles.Researcher), StudyOperation.Steer, Unowned), StringComparison.Ordinal);
    }

    [Fact]
    public void RoleRefusal_SaysWhoAndWhat() =>
        Assert.Equal("'v' has role 'viewer', which may not create studies (docs/security.md)", StudyRights.RoleRefusal(C("v", Roles.Viewer), StudyOperation.Create));
}
