using System.IO;
using System.Runtime.CompilerServices;
using LsrGen.Tools;
using Xunit;

namespace LsrGen.Tests;

/// <summary>The register rows' file is what its template writes: nobody edits the written-out code by hand.</summary>
public sealed class RegisterRowsTemplateTests
{
    [Fact]
    public void The_committed_register_rows_are_what_the_template_writes()
    {
        string committed = File.ReadAllText(RegisterRowsFile()).Replace("\r\n", "\n");
        Assert.True(
            committed == RegisterRowsTemplate.Render(),
            "runtime/Shapes/RowLoops/RowKernels.Registers.cs differs from its template: edit tools/LsrGen.RegisterRows/RegisterRowsTemplate.cs "
            + "and run `dotnet run --project tools/LsrGen.RegisterRows` from the repository root.");
    }

    [Fact]
    public void The_template_writes_one_method_per_count_of_whole_vectors()
    {
        string text = RegisterRowsTemplate.Render();
        for (int i = 1; i <= RegisterRowsTemplate.SingleRowVectors; i++)
        {
            Assert.Contains($"private readonly struct Whole{i} : IWholeVectors", text);
            Assert.Contains($"{i} => FusedInRegisters<TS, TV, Whole{i}>(args, k, firstRow, endRow),", text);
        }

        Assert.Contains($"TV v{RegisterRowsTemplate.SingleRowVectors - 1} = TWhole.Count > {RegisterRowsTemplate.SingleRowVectors - 1} ?", text);
        Assert.DoesNotContain($"TV v{RegisterRowsTemplate.SingleRowVectors} =", text);
        Assert.Contains($"TV v{RegisterRowsTemplate.PairVectors - 1}B = ", text);
        Assert.DoesNotContain($"TV v{RegisterRowsTemplate.PairVectors}B = ", text);
    }

    private static string RegisterRowsFile([CallerFilePath] string path = "")
        => Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "runtime", "Shapes", "RowLoops", "RowKernels.Registers.cs");
}
