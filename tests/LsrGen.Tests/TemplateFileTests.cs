using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using LsrGen.Tools;
using Xunit;

namespace LsrGen.Tests;

/// <summary>Every runtime file written from a template is what its template writes: nobody edits written-out code by hand.</summary>
public sealed class TemplateFileTests
{
    public static TheoryData<string> Paths => [.. Templates.All.Select(t => t.Path)];

    [Theory]
    [MemberData(nameof(Paths))]
    public void The_committed_file_is_what_its_template_writes(string path)
    {
        string committed = File.ReadAllText(Path.Combine(Root(), path)).Replace("\r\n", "\n");
        Assert.True(
            committed == Templates.All.Single(t => t.Path == path).Text,
            $"{path} differs from its template: edit the template in tools/LsrGen.Templates and run "
            + "`dotnet run --project tools/LsrGen.Templates` from the repository root.");
    }

    private static string Root([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "..", "..");
}
