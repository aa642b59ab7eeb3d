using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LsrGen.Generator.Tests;

/// <summary>Runs the generator in memory the way the compiler does, with every warning reported as an error.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    private static readonly MetadataReference[] s_references =
        [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(LsrKernels).Assembly.Location)];

    public static CSharpCompilation Compile(params string[] sources)
        => CSharpCompilation.Create(
            "LsrGenInMemory" + Guid.NewGuid().ToString("N"),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            s_references,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                warningLevel: 9999,
                deterministic: true));

    /// <param name="buildProperties">MSBuild properties made compiler-visible, by name without the build_property. prefix.</param>
    public static GeneratorDriver CreateDriver(params (string Name, string Value)[] buildProperties)
        => CSharpGeneratorDriver.Create(
            [new LsrKernelGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            optionsProvider: new BuildPropertyOptions(buildProperties),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public sealed record Run(GeneratorDriver Driver, GeneratorRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
    {
        /// <summary>What the compiler would show: warnings and errors (hidden and info diagnostics are IDE hints).</summary>
        public ImmutableArray<Diagnostic> OutputDiagnostics => [.. Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];
    }

    public static Run Generate(params string[] sources) => Generate(CreateDriver(), Compile(sources));

    public static Run Generate(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        return new Run(driver, result, output, diagnostics);
    }

    /// <summary>Generates, asserts the output compiles with zero warnings, and loads it.</summary>
    public static Assembly GenerateAndLoad(params string[] sources) => GenerateAndLoad(CreateDriver(), sources);

    /// <summary>Generates with the given driver, asserts the output compiles with zero warnings, and loads it.</summary>
    public static Assembly GenerateAndLoad(GeneratorDriver driver, params string[] sources) => GenerateAndLoad(driver, Compile(sources));

    /// <summary>Generates into the given compilation, asserts the output compiles with zero warnings, and loads it.</summary>
    public static Assembly GenerateAndLoad(GeneratorDriver driver, Compilation compilation)
    {
        Run run = Generate(driver, compilation);
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.OutputDiagnostics);
        using var stream = new MemoryStream();
        var emit = run.Output.Emit(stream);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics));
        return Assembly.Load(stream.ToArray());
    }
}
