using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LsrGen.Generator.Tests;

/// <summary>Global analyzer options as MSBuild passes compiler-visible properties (build_property.Name = value).</summary>
internal sealed class BuildPropertyOptions((string Name, string Value)[] properties) : AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(properties.ToDictionary(p => "build_property." + p.Name, p => p.Value));

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new([]);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
