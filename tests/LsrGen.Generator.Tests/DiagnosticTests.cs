using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LsrGen.Generator.Tests;

public class DiagnosticTests
{
    /// <summary>Each diagnostic id from a minimal bad declaration; the marked text [| |] is where it must point.</summary>
    [Theory]
    [InlineData("LSR0001", "using LsrGen; [[|GeneratedLsrKernels(3)|]] public static class NotPartial;", "'NotPartial'")]
    [InlineData("LSR0002", "using LsrGen; [[|GeneratedLsrKernels(0)|]] public static partial class Zero;", "0 classes")]
    [InlineData("LSR0002", "using LsrGen; [[|GeneratedLsrKernels(1048577)|]] public static partial class TooMany;", "1048577")]
    [InlineData("LSR0002", "using LsrGen; [[|GeneratedLsrKernels(-5)|]] public static partial class Negative;", "-5")]
    [InlineData("LSR0003", "using LsrGen; public class Outer { [[|GeneratedLsrKernels(3)|]] public static partial class Inner; }", "'Outer'")]
    [InlineData("LSR0004", "using LsrGen; [[|GeneratedLsrKernels(3)|]] public static partial class Generic<T>;", "'Generic<T>'")]
    [InlineData("LSR0004", "using LsrGen; public partial class Outer<T> { [[|GeneratedLsrKernels(3)|]] public static partial class Inner; }", "Inner")]
    [InlineData("LSR0006", "using LsrGen; [[|GeneratedLsrKernels(3)|]] file static partial class Local;", "'Local'")]
    public void Bad_declaration_reports_its_id_at_the_attribute(string id, string marked, string messagePart)
    {
        (string source, int start, int end) = Unmark(marked);
        GeneratorHarness.Run run = GeneratorHarness.Generate(source);
        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);
        Assert.Equal(start, diagnostic.Location.SourceSpan.Start);
        Assert.Equal(end - start, diagnostic.Location.SourceSpan.Length);
        Assert.Contains(messagePart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void Every_applicable_diagnostic_is_reported()
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(
            "using LsrGen; public class Outer { [GeneratedLsrKernels(3)] public static class Inner<T>; }");
        Assert.Equal(["LSR0001", "LSR0003", "LSR0004"], run.GeneratorDiagnostics.Select(d => d.Id).OrderBy(i => i));
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void Duplicate_K_warns_on_each_loser_and_routes_to_the_first_name()
    {
        (string source, int start, int _) = Unmark(
            "using LsrGen; namespace B { [[|GeneratedLsrKernels(5)|]] public static partial class Five; } namespace A { [GeneratedLsrKernels(5)] public static partial class Five; }");
        GeneratorHarness.Run run = GeneratorHarness.Generate(source);
        Diagnostic warning = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("LSR0005", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.DefaultSeverity); // the harness promotes warnings to errors
        Assert.Equal(start, warning.Location.SourceSpan.Start);
        string message = warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'B.Five'", message, StringComparison.Ordinal);
        Assert.Contains("'A.Five'", message, StringComparison.Ordinal);
        string kernel = run.Result.GeneratedSources.Single(s => s.HintName == "LsrGen.Kernels.K5.g.cs").SourceText.ToString();
        Assert.Contains("Register<LsrKernel5>(5, \"A.Five\")", kernel, StringComparison.Ordinal);
        Assert.Equal(3, run.Result.GeneratedSources.Length);
    }

    public static IEnumerable<object[]> Malformed() => MalformedDeclarations.All.Select((s, i) => new object[] { i, s });

    /// <summary>Half-typed or wrong code: only diagnostics, never a generator crash (AD0001, CS8785) or broken generated code.</summary>
    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_declarations_never_break_the_generator(int index, string source)
    {
        GeneratorHarness.Run run = GeneratorHarness.Generate(source);
        Assert.True(run.Result.Exception is null, $"case {index}: {run.Result.Exception}");
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "AD0001" or "CS8785");
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id is "AD0001" or "CS8785");
        var generatedTrees = run.Result.GeneratedSources.Select(s => s.SyntaxTree).ToHashSet();
        // Only an LSR error excuses output that does not compile (LSR0005 is a warning, and its code must compile).
        bool hasLsrDiagnostic = run.GeneratorDiagnostics.Any(d => d.Id.StartsWith("LSR", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error);
        IEnumerable<Diagnostic> inGenerated = run.OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } t && generatedTrees.Contains(t));
        Assert.True(hasLsrDiagnostic || !inGenerated.Any(), $"case {index}: generated code fails to compile: {string.Join("; ", inGenerated)}");
    }

    [Fact]
    public void There_are_at_least_fifty_malformed_cases() => Assert.True(MalformedDeclarations.All.Count >= 50);

    private static (string Source, int Start, int End) Unmark(string marked)
    {
        int start = marked.IndexOf("[|", StringComparison.Ordinal);
        int end = marked.IndexOf("|]", StringComparison.Ordinal) - 2;
        return (marked.Replace("[|", string.Empty, StringComparison.Ordinal).Replace("|]", string.Empty, StringComparison.Ordinal), start, end);
    }

    [Fact]
    public void Every_descriptor_links_to_its_page_in_the_repository()
    {
        DiagnosticDescriptor[] descriptors = [.. typeof(LsrGen.Generator.Diagnostics.DiagnosticDescriptors)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)];
        Assert.Equal(7, descriptors.Length);
        string directory = AppContext.BaseDirectory;
        while (!System.IO.File.Exists(System.IO.Path.Combine(directory, "LsrGen.sln")))
        {
            directory = System.IO.Path.GetDirectoryName(directory)!;
        }

        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            Assert.Equal($"https://github.com/lsrgen/lsrgen/blob/main/docs/diagnostics/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(directory, "docs", "diagnostics", descriptor.Id + ".md")), descriptor.Id);
        }
    }
}
