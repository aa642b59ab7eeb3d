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
    private static readonly string[] s_hardForward = ["HardForward"];
    private static readonly string[] s_others = ["LogSoftmax", "Softmax", "HardGradient", "SoftForward", "SoftGradient"];

    [Theory]
    [InlineData(null, 16, true, true)]
    [InlineData(null, 20, true, true)]
    [InlineData(null, 21, true, false)] // default: the class-index loss stays in the block shape longer
    [InlineData(null, 32, true, false)]
    [InlineData(null, 33, false, false)]
    [InlineData("24", 24, true, true)]
    [InlineData("24", 25, false, false)]
    [InlineData("15", 16, false, false)]
    [InlineData("5", 3, true, true)]
    [InlineData("5", 15, true, true)] // below the minimum: clamped to 15
    [InlineData("5", 16, false, false)]
    [InlineData("99", 32, true, true)] // above the maximum: clamped to 32
    [InlineData("99", 33, false, false)]
    [InlineData("not a number", 21, true, false)]
    public void Small_class_limit_picks_the_shape(string? limit, int classes, bool blockHardForward, bool blockOthers)
    {
        string kernel = KernelSource(limit, classes);
        foreach (string operation in s_hardForward)
        {
            Assert.Equal(!blockHardForward, IsLoop(kernel, operation));
        }

        foreach (string operation in s_others)
        {
            Assert.Equal(!blockOthers, IsLoop(kernel, operation));
        }

        Assert.Equal(blockHardForward || blockOthers, kernel.Contains("Avx512.PermuteVar16x32x2", StringComparison.Ordinal));
        Assert.Equal(blockHardForward || blockOthers, kernel.Contains("Infra.IBlockKernel", StringComparison.Ordinal));

        // Vector256 transposes only below 16 classes, where the runtime runs Vector256 blocks without AVX-512.
        Assert.Equal(classes < 16 && (blockHardForward || blockOthers), kernel.Contains("Avx2.PermuteVar8x32", StringComparison.Ordinal));
    }

    // A member is one call: into the runtime's block driver, or into its row loops.
    private static bool IsLoop(string kernel, string operation)
    {
        int start = kernel.IndexOf(" " + operation + "(in Infra.RowArgs<float> args", StringComparison.Ordinal);
        Assert.True(start >= 0, operation + " is missing");
        string member = kernel.Substring(start, 200);
        Assert.NotEqual(member.Contains("Infra.BlockKernels<", StringComparison.Ordinal), member.Contains("Infra.RowKernels<", StringComparison.Ordinal));
        return member.Contains("Infra.RowKernels<", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(24)]
    [InlineData(32)]
    public void Block_shape_above_16_classes_matches_the_oracle(int classes)
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
