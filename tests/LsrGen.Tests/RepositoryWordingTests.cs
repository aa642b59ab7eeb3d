using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// The repository speaks to its users: README, docs, CHANGELOG, code comments and CI scripts say what LsrGen does, not
/// how the work on it was organised (no sessions, no numbers of this project's own issues). Other projects' issues
/// stay citable as owner/repo#N.
/// </summary>
public sealed partial class RepositoryWordingTests
{
    private static readonly string[] Folders = ["docs", "runtime", "generator", "tools", "tests", "benchmarks", "samples", ".ci"];

    private static readonly string[] Extensions = [".md", ".cs", ".txt", ".csproj", ".props", ".targets", ".sh", ".json", ""];

    [Fact]
    public void No_file_speaks_of_sessions_or_this_projects_issue_numbers()
    {
        string root = RepositoryRoot();
        List<string> files = ["README.md", "CHANGELOG.md"];
        foreach (string folder in Folders.Where(f => Directory.Exists(Path.Combine(root, f))))
        {
            files.AddRange(Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f))
                .Where(f => !IsBuildOutput(f) && Extensions.Contains(Path.GetExtension(f))));
        }

        string self = Path.GetRelativePath(root, ThisFile());
        var hits = new List<string>();
        foreach (string file in files.Where(f => f != self && File.Exists(Path.Combine(root, f))))
        {
            string[] lines = File.ReadAllLines(Path.Combine(root, file));
            for (int i = 0; i < lines.Length; i++)
            {
                if (WorkWords().IsMatch(lines[i]))
                {
                    hits.Add($"{file}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(files.Count > 100, $"only {files.Count} files were read: is the repository root {root}?");
        Assert.True(hits.Count == 0, "Words about how the work was done:" + Environment.NewLine + string.Join(Environment.NewLine, hits));
    }

    [Theory]
    [InlineData("Measured in session 12.")]
    [InlineData("the targets of issue 14")]
    [InlineData("see issue #5")]
    [InlineData("Issue 14's targets")]
    public void The_pattern_catches_what_it_is_for(string line) => Assert.Matches(WorkWords(), line);

    [Theory]
    [InlineData("dotnet/runtime#127508 makes Vector512.Exp slow")]
    [InlineData("a known issue of the JIT")]
    public void The_pattern_leaves_other_projects_issues_alone(string line) => Assert.DoesNotMatch(WorkWords(), line);

    [GeneratedRegex(@"\bsessions?\b|\bissues?\s*#?\d+|\bissue's\s+(targets?|run|note)", RegexOptions.IgnoreCase)]
    private static partial Regex WorkWords();

    private static bool IsBuildOutput(string relative)
        => relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
            .Any(part => part is "bin" or "obj" or "BenchmarkDotNet.Artifacts" or "TestResults");

    private static string RepositoryRoot() => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", ".."));

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
