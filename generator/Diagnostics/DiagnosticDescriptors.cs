using Microsoft.CodeAnalysis;

namespace LsrGen.Generator.Diagnostics;

/// <summary>Every diagnostic the generator reports; ids are stable (README, Diagnostics).</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "LsrGen";
    private const string HelpBase = "https://github.com/lsrgen/lsrgen/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor NotPartial = new(
        "LSR0001",
        "Type with generated kernels must be partial",
        "'{0}' has [GeneratedLsrKernels] but is not partial; declare it 'partial' so the kernels can be added to it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "LSR0001.md");

    public static readonly DiagnosticDescriptor ClassCountOutOfRange = new(
        "LSR0002",
        "Class count out of range",
        "'{0}' asks for {1} classes; the class count must lie in 1..1048576",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "LSR0002.md");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = new(
        "LSR0003",
        "Containing type must be partial",
        "'{0}' is nested in '{1}', which is not partial; declare every containing type 'partial'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "LSR0003.md");

    public static readonly DiagnosticDescriptor GenericType = new(
        "LSR0004",
        "Generic types cannot hold generated kernels",
        "'{0}' is generic or nested in a generic type; put [GeneratedLsrKernels] on a non-generic type",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "LSR0004.md");

    public static readonly DiagnosticDescriptor DuplicateClassCount = new(
        "LSR0005",
        "Two types declare kernels for the same class count",
        "'{0}' declares kernels for {1} classes, as '{2}' does; LsrKernels routes {1} to '{2}' (its full name sorts first)",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + "LSR0005.md");

    public static readonly DiagnosticDescriptor FileLocalType = new(
        "LSR0006",
        "File-local types cannot hold generated kernels",
        "'{0}' is a file-local type; generated code lives in another file, so declare it without the 'file' modifier",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "LSR0006.md");

    public static readonly DiagnosticDescriptor MemberConflict = new(
        "LSR0007",
        "Generated member name already taken",
        "'{0}' already declares '{1}', which the generated kernels add; rename or remove it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "LSR0007.md");
}
