using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace LsrGen.Generator.Diagnostics;

/// <summary>Every diagnostic the generator reports; ids are stable (README, Diagnostics).</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "LsrGen";
    private static readonly string HelpBase = typeof(DiagnosticDescriptors).Assembly
        .GetCustomAttributes(typeof(AssemblyMetadataAttribute), inherit: false).Cast<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryUrl").Value + "/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor NotPartial = Create(
        "LSR0001",
        "Type with generated kernels must be partial",
        "'{0}' has [GeneratedLsrKernels] but is not partial; declare it 'partial' so the kernels can be added to it",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ClassCountOutOfRange = Create(
        "LSR0002",
        "Class count out of range",
        "'{0}' asks for {1} classes; the class count must lie in 1..1048576",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Create(
        "LSR0003",
        "Containing type must be partial",
        "'{0}' is nested in '{1}', which is not partial; declare every containing type 'partial'",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor GenericType = Create(
        "LSR0004",
        "Generic types cannot hold generated kernels",
        "'{0}' is generic or nested in a generic type; put [GeneratedLsrKernels] on a non-generic type",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DuplicateClassCount = Create(
        "LSR0005",
        "Two types declare kernels for the same class count",
        "'{0}' declares kernels for {1} classes, as '{2}' does; LsrKernels routes {1} to '{2}' (its full name sorts first)",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor FileLocalType = Create(
        "LSR0006",
        "File-local types cannot hold generated kernels",
        "'{0}' is a file-local type; generated code lives in another file, so declare it without the 'file' modifier",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MemberConflict = Create(
        "LSR0007",
        "Generated member name already taken",
        "'{0}' already declares '{1}', which the generated kernels add; rename or remove it",
        DiagnosticSeverity.Error);

    // Every descriptor is enabled by default, in one category, with its page under docs/diagnostics.
    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity)
        => new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md");
}
