using System;
using System.Reflection;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Generator.Tests;

/// <summary>Kernels compiled in memory (all warnings as errors), loaded and run against the double oracle.</summary>
public class CompileAndRunTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(20)]
    [InlineData(31)]
    [InlineData(4099)]
    public void Generated_kernels_match_the_oracle(int classes)
    {
        Assembly assembly = GeneratorHarness.GenerateAndLoad(
            $"using LsrGen; namespace InMemory{classes}; [GeneratedLsrKernels({classes})] public static partial class Kernels;");
        Type type = assembly.GetType($"InMemory{classes}.Kernels")!;
        foreach (int rows in new[] { 0, 1, 15, 16, 40 })
        {
            CorrectnessSuite<float>.RandomMatrix(new GeneratedApi<float>(type), classes, rows, seedSalt: 31);
            CorrectnessSuite<double>.RandomMatrix(new GeneratedApi<double>(type), classes, rows, seedSalt: 37);
        }

        ErrorSuite<float>.All(new GeneratedApi<float>(type), classes, classesIsParameter: false);
        ErrorSuite<double>.All(new GeneratedApi<double>(type), classes, classesIsParameter: false);
        ErrorSuite<float>.Overlaps(new GeneratedApi<float>(type), classes);
    }

    [Fact]
    public void Struct_and_nested_private_hosts_work()
    {
        Assembly assembly = GeneratorHarness.GenerateAndLoad(
            "using LsrGen; namespace Hosts; public partial struct Outer { [GeneratedLsrKernels(6)] private static partial class Six; public static System.Type SixType => typeof(Six); }");
        Type outer = assembly.GetType("Hosts.Outer")!;
        var six = (Type)outer.GetProperty("SixType")!.GetValue(null)!;
        CorrectnessSuite<float>.RandomMatrix(new GeneratedApi<float>(six), 6, 20, seedSalt: 41);
    }
}
