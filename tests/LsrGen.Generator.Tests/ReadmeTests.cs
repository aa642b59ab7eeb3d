using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LsrGen.Generator.Tests;

/// <summary>Console output is process-wide: the README programs run one at a time, apart from other tests.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>
/// Every C# block of README.md, compiled as the Program.cs of a new console project that references LsrGen (the
/// SDK's implicit usings, nullable on, the generator running), then run: it must compile without a warning, and each
/// line it prints must be what the README's comment on that <c>Console.WriteLine</c> says.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed partial class ReadmeTests
{
    // What `dotnet new console` turns on (ImplicitUsings for Microsoft.NET.Sdk).
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static TheoryData<int> Blocks => [.. Enumerable.Range(0, ReadmeBlocks().Count)];

    [Fact]
    public void Readme_has_csharp_blocks_to_test() => Assert.NotEmpty(ReadmeBlocks());

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Block_compiles_and_runs_as_pasted(int index)
    {
        string program = ReadmeBlocks()[index];
        List<string> expected = [.. program.Split('\n').Select(line => PrintedComment().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value.Trim())];
        Assert.NotEmpty(expected);

        Assembly assembly = Build(program);
        string[] printed = Run(assembly);
        Assert.Equal(expected, printed);
    }

    private static Assembly Build(string program)
    {
        var compilation = CSharpCompilation.Create(
            "ReadmeProgram" + Guid.NewGuid().ToString("N"),
            [
                CSharpSyntaxTree.ParseText(program, GeneratorHarness.ParseOptions, path: "Program.cs"),
                CSharpSyntaxTree.ParseText(ImplicitUsings, GeneratorHarness.ParseOptions, path: "GlobalUsings.g.cs"),
            ],
            [
                .. Net100.References.All,
                MetadataReference.CreateFromFile(typeof(LsrKernels).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location),
            ],
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        return GeneratorHarness.GenerateAndLoad(GeneratorHarness.CreateDriver(), compilation);
    }

    private static string[] Run(Assembly assembly)
    {
        MethodInfo entry = assembly.EntryPoint ?? throw new InvalidOperationException("The README program has no entry point.");
        TextWriter console = Console.Out;
        CultureInfo culture = CultureInfo.CurrentCulture;
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        try
        {
            Console.SetOut(output);
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
        }
        finally
        {
            Console.SetOut(console);
            CultureInfo.CurrentCulture = culture;
        }

        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToArray();
    }

    private static List<string> ReadmeBlocks()
    {
        string directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "LsrGen.sln")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("LsrGen.sln not found above the test's directory.");
        }

        string readme = File.ReadAllText(Path.Combine(directory, "README.md"));
        return [.. CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    // The text a Console.WriteLine line prints, as its comment says: `Console.WriteLine(loss); // 0.5`.
    [GeneratedRegex(@"Console\.WriteLine\(.*\);\s*//(.*)$")]
    private static partial Regex PrintedComment();
}
