using System;
using System.Linq;
using System.Reflection;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Generator.Tests;

/// <summary>
/// Which code shape K gets: rows across lanes with the class work unrolled (block) up to the small-class limit, the
/// runtime's row loops above it; and the LsrGenSmallClassLimit property that moves the limit for measurements.
/// </summary>
public class ShapeSelectionTests
{
    private static readonly string[] s_classIndex = ["ClassIndexForward", "ClassIndexGradient", "ClassIndexBackward"];
    private static readonly string[] s_others = ["LogSoftmax", "Softmax", "ProbabilityForward", "ProbabilityGradient", "ProbabilityBackward"];

    [Theory]
    [InlineData(null, 3, true, true)]
    [InlineData(null, 9, true, true)]
    [InlineData(null, 10, false, true)] // default: the class-index operations run in the runtime's gathered blocks from K = 10
    [InlineData(null, 16, false, true)]
    [InlineData(null, 20, false, true)]
    [InlineData(null, 21, false, false)]
    [InlineData(null, 32, false, false)]
    [InlineData(null, 33, false, false)]
    [InlineData("24", 24, true, true)]
    [InlineData("24", 25, false, false)]
    [InlineData("15", 16, false, false)]
    [InlineData("5", 3, true, true)]
    [InlineData("5", 15, true, true)] // below the minimum: clamped to 15
    [InlineData("5", 16, false, false)]
    [InlineData("99", 32, true, true)] // above the maximum: clamped to 32
    [InlineData("99", 33, false, false)]
    [InlineData("not a number", 10, false, true)]
    [InlineData("not a number", 21, false, false)]
    public void Small_class_limit_picks_the_shape(string? limit, int classes, bool blockClassIndex, bool blockOthers)
    {
        string kernel = KernelSource(limit, classes);
        foreach (string operation in s_classIndex)
        {
            Assert.Equal(!blockClassIndex, IsLoop(kernel, operation));
        }

        foreach (string operation in s_others)
        {
            Assert.Equal(!blockOthers, IsLoop(kernel, operation));
        }

        Assert.Equal(blockClassIndex || blockOthers, kernel.Contains("Avx512.PermuteVar16x32x2", StringComparison.Ordinal));
        Assert.Equal(blockClassIndex || blockOthers, kernel.Contains("LsrContract.IBlockKernel", StringComparison.Ordinal));

        // Vector256 transposes only below 16 classes, where the runtime runs Vector256 blocks without AVX-512.
        Assert.Equal(classes < 16 && (blockClassIndex || blockOthers), kernel.Contains("Avx2.PermuteVar8x32", StringComparison.Ordinal));
    }

    // A member is one call: into the runtime's block driver, or into its row loops.
    private static bool IsLoop(string kernel, string operation)
    {
        int start = kernel.IndexOf(" " + operation + "(in LsrContract.RowArgs<float> args", StringComparison.Ordinal);
        Assert.True(start >= 0, operation + " is missing");
        string member = kernel.Substring(start, 200);
        Assert.NotEqual(member.Contains("LsrShapes.GeneratedBlocks.BlockKernels<", StringComparison.Ordinal), member.Contains("LsrShapes.RowLoops.RowKernels<", StringComparison.Ordinal));
        return member.Contains("LsrShapes.RowLoops.RowKernels<", StringComparison.Ordinal);
    }

    // With the limit at 32 every operation is generated in the block shape, also the class-index ones from K = 10 on
    // and the Vector256 widths from 10 to 15, which no default declaration compiles.
    [Theory]
    [InlineData(10)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(24)]
    [InlineData(32)]
    public void Block_shape_set_by_the_limit_matches_the_oracle(int classes)
    {
        Assembly assembly = GeneratorHarness.GenerateAndLoad(
            GeneratorHarness.CreateDriver(("LsrGenSmallClassLimit", "32")),
            $"using LsrGen; namespace Block{classes}; [GeneratedLsrKernels({classes})] public static partial class Kernels;");
        Type type = assembly.GetType($"Block{classes}.Kernels")!;
        foreach (int rows in new[] { 1, 8, 25 })
        {
            CorrectnessSuite<float>.RandomMatrix(new GeneratedApi<float>(type), classes, rows, seedSalt: 43);
            CorrectnessSuite<double>.RandomMatrix(new GeneratedApi<double>(type), classes, rows, seedSalt: 47);
        }
    }

    private static string KernelSource(string? limit, int classes)
    {
        var driver = limit is null ? GeneratorHarness.CreateDriver() : GeneratorHarness.CreateDriver(("LsrGenSmallClassLimit", limit));
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            driver, GeneratorHarness.Compile($"using LsrGen; namespace Shape; [GeneratedLsrKernels({classes})] public static partial class Kernels;"));
        Assert.Empty(run.OutputDiagnostics);
        return run.Result.GeneratedSources.Single(s => s.HintName.StartsWith("LsrGen.Kernels.K", StringComparison.Ordinal)).SourceText.ToString();
    }
}
