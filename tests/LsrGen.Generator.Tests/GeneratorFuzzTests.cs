using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using LsrGen.Tests;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace LsrGen.Generator.Tests;

/// <summary>
/// Seeded random mutations of valid declarations, as an IDE produces them keystroke by keystroke: the generator
/// never throws, never reports AD0001 or CS8785, and every output either compiles or comes with an LSR diagnostic.
/// </summary>
public class GeneratorFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 520;

    private static readonly string[] s_templates =
    [
        "using LsrGen; namespace N; [GeneratedLsrKernels(K)] public static partial class C;",
        "using LsrGen; namespace N { public partial class Outer { [GeneratedLsrKernels(K)] internal partial struct C { } } }",
        "using LsrGen; [GeneratedLsrKernels(K)] internal partial record C;",
        "using LsrGen; namespace N; [GeneratedLsrKernels(K)] public partial record struct C;",
        "using G = LsrGen.GeneratedLsrKernelsAttribute; namespace N; [G(K)] public static partial class C;",
        "namespace N; [global::LsrGen.GeneratedLsrKernels(K)] public sealed partial class C { public void M() { } }",
        "using LsrGen; namespace N; public static partial class Host { [GeneratedLsrKernels(K)] private static partial class C; }",
    ];

    private static readonly string[] s_arguments = ["K", "0", "-1", "1", "3", "16", "17", "1048576", "1048577", "int.MaxValue", "\"10\"", "1.5", "x", "", "K, K", "null", "1 << 30", "(int)3.0"];
    private static readonly string[] s_kinds = ["class", "struct", "interface", "enum", "record", "record struct", "delegate void"];

    [Fact]
    public void Mutated_declarations_never_break_the_generator()
    {
        int seed = RandomData.RunSeed;
        output.WriteLine($"fuzz seed {seed} (set LSRGEN_TEST_SEED to replay)");
        var random = new Random(seed);
        for (int i = 0; i < Cases; i++)
        {
            string[] sources = Mutate(random, i);
            GeneratorHarness.Run run = GeneratorHarness.Generate(sources);
            string context = $"case {i} seed {seed}: {string.Join(" || ", sources)}";
            Assert.True(run.Result.Exception is null, $"{context}: {run.Result.Exception}");
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "AD0001" or "CS8785");
            Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id is "AD0001" or "CS8785");
            HashSet<SyntaxTree> generated = run.Result.GeneratedSources.Select(s => s.SyntaxTree).ToHashSet();
            // Only an LSR error excuses output that does not compile (LSR0005 is a warning, and its code must compile).
            bool lsr = run.GeneratorDiagnostics.Any(d => d.Id.StartsWith("LSR", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error);
            Diagnostic[] broken = run.OutputDiagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } t && generated.Contains(t))
                .ToArray();
            Assert.True(lsr || broken.Length == 0, $"{context}: generated code does not compile: {string.Join("; ", broken.Take(3))}");
        }
    }

    private static string[] Mutate(Random random, int index)
    {
        string k = random.Next(4) switch { 0 => "3", 1 => "10", 2 => "40", _ => "1000" };
        string source = s_templates[random.Next(s_templates.Length)].Replace("namespace N", "namespace N" + index, StringComparison.Ordinal);
        var extra = new List<string>();
        int mutations = random.Next(0, 4);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.Next(9))
            {
                case 0: // wrong, huge, negative or missing argument
                    source = source.Replace("(K)", "(" + s_arguments[random.Next(s_arguments.Length)] + ")", StringComparison.Ordinal);
                    break;
                case 1: // delete one token
                    MatchCollection tokens = Regex.Matches(source, @"\w+|[^\w\s]");
                    Match victim = tokens[random.Next(tokens.Count)];
                    source = source.Remove(victim.Index, victim.Length);
                    break;
                case 2: // another kind of type
                    source = Regex.Replace(source, @"\b(class|struct|record struct|record)\b(?= C)", s_kinds[random.Next(s_kinds.Length)]);
                    break;
                case 3: // the attribute on a method instead
                    source = source.Replace(" C;", " C { [LsrGen.GeneratedLsrKernels(3)] static void M() { } }", StringComparison.Ordinal);
                    break;
                case 4: // a duplicate attribute
                    source = source.Replace("(K)]", "(K), LsrGen.GeneratedLsrKernels(4)]", StringComparison.Ordinal);
                    break;
                case 5: // drop partial, or make it file-local, or generic
                    source = random.Next(3) switch
                    {
                        0 => source.Replace("partial ", string.Empty, StringComparison.Ordinal),
                        1 => source.Replace("public static partial", "file static partial", StringComparison.Ordinal),
                        _ => source.Replace(" C;", " C<T>;", StringComparison.Ordinal),
                    };
                    break;
                case 6: // split over files
                    extra.Add($"namespace N{index}; public static partial class C {{ }}");
                    break;
                case 7: // the same K declared again elsewhere
                    extra.Add($"namespace Other{index}; [LsrGen.GeneratedLsrKernels({k})] public static partial class D;");
                    break;
                default: // truncate mid-keystroke
                    source = source[..random.Next(source.Length / 2, source.Length)];
                    break;
            }
        }

        return [source.Replace("(K", "(" + k, StringComparison.Ordinal).Replace("K)", k + ")", StringComparison.Ordinal), .. extra];
    }
}
