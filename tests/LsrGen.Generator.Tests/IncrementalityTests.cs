using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LsrGen.Generator.Tests;

/// <summary>Edits that do not change a declaration must not re-run emission; changing K must.</summary>
public class IncrementalityTests
{
    private const string Declaration = "using LsrGen; namespace Demo; [GeneratedLsrKernels(3)] public static partial class K3; [GeneratedLsrKernels(40)] public static partial class K40;";
    private static readonly string[] s_tracked = [TrackingNames.Declarations, TrackingNames.Specs, TrackingNames.KernelGroups, TrackingNames.ShapeOptions, TrackingNames.Diagnostics, TrackingNames.Duplicates];

    [Fact]
    public void Unrelated_edit_leaves_every_step_cached()
    {
        CSharpCompilation first = GeneratorHarness.Compile(Declaration, "namespace Other; public static class Util { public static int One() => 1; }");
        GeneratorHarness.Run run1 = GeneratorHarness.Generate(GeneratorHarness.CreateDriver(), first);

        SyntaxTree other = first.SyntaxTrees.Last();
        CSharpCompilation second = first.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace Other; public static class Util { public static int Two() => 2; }", GeneratorHarness.ParseOptions, other.FilePath));
        GeneratorHarness.Run run2 = GeneratorHarness.Generate(run1.Driver, second);

        AssertAllCached(run2.Result);
        Assert.All(run2.Result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Edit_in_the_declaring_file_that_keeps_the_model_does_not_re_emit()
    {
        CSharpCompilation first = GeneratorHarness.Compile(Declaration);
        GeneratorHarness.Run run1 = GeneratorHarness.Generate(GeneratorHarness.CreateDriver(), first);
        SyntaxTree tree = first.SyntaxTrees.Single();
        CSharpCompilation second = first.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText("// a comment moves everything\n" + Declaration, GeneratorHarness.ParseOptions, tree.FilePath));
        GeneratorHarness.Run run2 = GeneratorHarness.Generate(run1.Driver, second);

        foreach (string step in new[] { TrackingNames.Specs, TrackingNames.KernelGroups })
        {
            Assert.All(run2.Result.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
    }

    [Fact]
    public void Changing_K_re_emits()
    {
        CSharpCompilation first = GeneratorHarness.Compile(Declaration);
        GeneratorHarness.Run run1 = GeneratorHarness.Generate(GeneratorHarness.CreateDriver(), first);
        SyntaxTree tree = first.SyntaxTrees.Single();
        CSharpCompilation second = first.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Declaration.Replace("(3)", "(4)"), GeneratorHarness.ParseOptions, tree.FilePath));
        GeneratorHarness.Run run2 = GeneratorHarness.Generate(run1.Driver, second);

        Assert.Contains(run2.Result.TrackedSteps[TrackingNames.Specs].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(run2.Result.GeneratedSources, s => s.HintName == "LsrGen.Kernels.K4.g.cs");
        Assert.DoesNotContain(run2.Result.GeneratedSources, s => s.HintName == "LsrGen.Kernels.K3.g.cs");
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_or_syntax()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(Declaration, "using LsrGen; [GeneratedLsrKernels(0)] partial class Bad; [GeneratedLsrKernels(3)] partial class Three;");
        foreach (string step in s_tracked)
        {
            Assert.True(run.Result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            foreach (IncrementalGeneratorRunStep runStep in run.Result.TrackedSteps[step])
            {
                foreach ((object value, _) in runStep.Outputs)
                {
                    AssertNoRoslynObjects(value, step, depth: 0);
                }
            }
        }
    }

    private static void AssertAllCached(GeneratorRunResult result)
    {
        // Steps with no items (no diagnostics, no duplicates) are not recorded at all.
        Assert.True(result.TrackedSteps.ContainsKey(TrackingNames.Specs) && result.TrackedSteps.ContainsKey(TrackingNames.KernelGroups));
        foreach (string step in s_tracked.Where(result.TrackedSteps.ContainsKey))
        {
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
    }

    private static void AssertNoRoslynObjects(object? value, string step, int depth)
    {
        if (value is null || depth > 8 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or Location or SyntaxTree, $"{step} holds a {value.GetType().Name}");
        if (value is IEnumerable items)
        {
            foreach (object? item in items)
            {
                AssertNoRoslynObjects(item, step, depth + 1);
            }

            return;
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), step, depth + 1);
        }
    }
}
