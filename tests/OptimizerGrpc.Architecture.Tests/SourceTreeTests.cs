namespace OptimizerGrpc.Architecture.Tests;

public sealed class SourceTreeTests
{
    // Past ~300 lines a file owes a reason (CONVENTIONS.md); past 400 it is split.
    private const int MaxLines = 400;

    // The client packages users reference keep one public namespace per package on purpose: a user writes one `using`
    // (`using OptimizerGrpc.Client;`) whatever folder a type lives in, and moving a type between folders never breaks
    // them. Their rule is the opposite one, checked below: every file declares the package's root namespace.
    private static readonly string[] s_flatPackages =
    [
        "clients/csharp/OptimizerGrpc.Client",
        "clients/csharp/OptimizerGrpc.Optimization",
        "clients/csharp/OptimizerGrpc.Trading",
    ];

    public static TheoryData<string> ProjectDirectories()
    {
        var data = new TheoryData<string>();
        foreach (var project in SourceTree.Projects().Where(p => !IsFlatPackage(p.RelativeDirectory)))
        {
            data.Add(project.RelativeDirectory);
        }

        return data;
    }

    public static TheoryData<string> FlatPackageDirectories() => [.. s_flatPackages];

    [Theory]
    [MemberData(nameof(FlatPackageDirectories))]
    public void ClientPackages_DeclaredNamespace_IsThePackageRootNamespace(string projectDirectory)
    {
        var project = SourceTree.Projects().Single(p => p.RelativeDirectory == projectDirectory);
        var violations = SourceTree.HandWrittenFiles(project)
            .SelectMany(file => SourceTree.DeclaredNamespaces(File.ReadAllText(Path.Combine(project.Directory, file)))
                .Where(ns => !string.Equals(ns, project.RootNamespace, StringComparison.Ordinal))
                .Select(ns => $"  {file}: declares {ns}, expected {project.RootNamespace}"))
            .ToList();
        Assert.True(violations.Count == 0,
            $"{violations.Count} file(s) in {projectDirectory} leave the package's one public namespace:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    private static bool IsFlatPackage(string relativeDirectory) =>
        s_flatPackages.Contains(relativeDirectory.Replace('\\', '/'), StringComparer.Ordinal);

    [Fact]
    public void SourceFiles_HandWritten_AreAtMost400Lines()
    {
        var projects = SourceTree.Projects().ToList();
        Assert.NotEmpty(projects);

        var violations = projects
            .SelectMany(project => SourceTree.HandWrittenFiles(project)
                .Select(file => (Path: Path.Combine(project.RelativeDirectory, file),
                    Lines: File.ReadLines(Path.Combine(project.Directory, file)).Count())))
            .Where(file => file.Lines > MaxLines)
            .OrderByDescending(file => file.Lines)
            .Select(file => $"  {file.Path}: {file.Lines} lines")
            .ToList();

        Assert.True(
            violations.Count == 0,
            $"{violations.Count} hand-written file(s) under src/ and clients/ exceed {MaxLines} lines:"
            + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    // One case per project, so a failure names the project and the others still report.
    [Theory]
    [MemberData(nameof(ProjectDirectories))]
    public void SourceFiles_DeclaredNamespace_MatchesRootNamespacePlusFolder(string projectDirectory)
    {
        var project = SourceTree.Projects().Single(p => p.RelativeDirectory == projectDirectory);

        var violations = new List<string>();
        var checkedFiles = 0;
        foreach (var file in SourceTree.HandWrittenFiles(project))
        {
            // Files without a namespace (Program.cs with top-level statements) have nothing to check.
            var declared = SourceTree.DeclaredNamespaces(File.ReadAllText(Path.Combine(project.Directory, file)));
            if (declared.Count == 0)
            {
                continue;
            }

            checkedFiles++;
            var expected = ExpectedNamespace(project.RootNamespace, file);
            violations.AddRange(declared
                .Where(ns => !string.Equals(ns, expected, StringComparison.Ordinal))
                .Select(ns => $"  {file}: declares {ns}, expected {expected}"));
        }

        Assert.True(
            violations.Count == 0,
            $"{violations.Count} of {checkedFiles} file(s) in {projectDirectory} (root namespace {project.RootNamespace}) "
            + "declare a namespace that is not the root namespace plus the folder path:"
            + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    private static string ExpectedNamespace(string rootNamespace, string relativeFile)
    {
        var folder = Path.GetDirectoryName(relativeFile);
        return string.IsNullOrEmpty(folder)
            ? rootNamespace
            : rootNamespace + "." + folder.Replace(Path.DirectorySeparatorChar, '.').Replace(Path.AltDirectorySeparatorChar, '.');
    }
}
