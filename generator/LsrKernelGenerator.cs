using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LsrGen.Generator.Diagnostics;
using LsrGen.Generator.Emit;
using LsrGen.Generator.Model;
using LsrGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace LsrGen.Generator;

/// <summary>
/// Emits kernels specialised for K classes into every <c>partial</c> type marked <c>[GeneratedLsrKernels(K)]</c>.
/// Pipeline: ForAttributeWithMetadataName -> value model (<see cref="DeclarationResult"/>) -> text. Diagnostics
/// travel apart from the emission model, so moving code around re-reports them without re-emitting.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class LsrKernelGenerator : IIncrementalGenerator
{
    private const string AttributeName = "LsrGen.GeneratedLsrKernelsAttribute";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<DeclarationResult> declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(AttributeName, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax, DeclarationParser.Parse)
            .WithTrackingName(TrackingNames.Declarations);

        IncrementalValuesProvider<KernelSpec> specs = declarations
            .Select(static (d, _) => d.Spec)
            .Where(static s => s is not null)
            .Select(static (s, _) => s!)
            .WithTrackingName(TrackingNames.Specs);

        context.RegisterSourceOutput(specs, static (spc, spec) =>
            spc.AddSource(HintNames.ForType(spec.FullName), SourceText.From(TypeEmitter.Emit(spec), System.Text.Encoding.UTF8)));

        IncrementalValueProvider<ShapeLimits> shapeLimits = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => ShapeOptions.Limits(options.GlobalOptions))
            .WithTrackingName(TrackingNames.ShapeOptions);

        // One row-kernel struct and one registration per distinct K; the registration names the routing winner.
        IncrementalValuesProvider<KernelGroup> groups = specs
            .Select(static (s, _) => new KernelClaim(s.Classes, s.FullName, null))
            .Collect()
            .Combine(shapeLimits)
            .SelectMany(static (pair, _) => KernelGroup.From(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.KernelGroups);

        context.RegisterSourceOutput(groups, static (spc, group) =>
            spc.AddSource(HintNames.ForKernel(group.Classes), SourceText.From(KernelEmitter.Emit(group), System.Text.Encoding.UTF8)));

        IncrementalValuesProvider<DiagnosticInfo> diagnostics = declarations
            .SelectMany(static (d, _) => d.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, info) => Report(spc, info));

        IncrementalValuesProvider<DiagnosticInfo> duplicates = declarations
            .Where(static d => d.Spec is not null)
            .Select(static (d, _) => new KernelClaim(d.Spec!.Classes, d.Spec.FullName, d.Location))
            .Collect()
            .SelectMany(static (claims, _) => DuplicateCheck.Find(claims))
            .WithTrackingName(TrackingNames.Duplicates);
        context.RegisterSourceOutput(duplicates, static (spc, info) => Report(spc, info));
    }

    private static void Report(SourceProductionContext context, DiagnosticInfo info)
    {
        Location location = info.Location is { } l
            ? Location.Create(l.FilePath, new TextSpan(l.Start, l.Length), new LinePositionSpan(new LinePosition(l.StartLine, l.StartCharacter), new LinePosition(l.EndLine, l.EndCharacter)))
            : Location.None;
        context.ReportDiagnostic(Diagnostic.Create(info.Descriptor, location, info.Arguments.Cast<object>().ToArray()));
    }
}
