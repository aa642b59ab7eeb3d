using Microsoft.CodeAnalysis;

namespace LsrGen.Generator.Model;

/// <summary>A containing or target type as it must be re-declared: <c>partial {Keyword} {Name}</c>.</summary>
internal sealed record TypeDeclarationSpec(string Keyword, string Name);

/// <summary>
/// Everything emission needs for one valid <c>[GeneratedLsrKernels(K)]</c> type: strings and ints only, no symbols,
/// syntax or locations, so an unrelated edit leaves it equal and emission is skipped.
/// </summary>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="Types">Outermost containing type first, the target type last.</param>
/// <param name="FullName">Ns.Outer.Inner, as C# writes it without global::; decides routing between duplicates.</param>
/// <param name="Classes">The class count K.</param>
internal sealed record KernelSpec(string Namespace, EquatableArray<TypeDeclarationSpec> Types, string FullName, int Classes);

/// <summary>
/// A diagnostic reduced to values: its descriptor (immutable and equatable), message arguments and where it points.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, EquatableArray<string> Arguments, LocationInfo? Location);

/// <summary>A source location as values (file, span, line span), rebuilt into a Location only when reported.</summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter);

/// <summary>What the parser found on one attributed declaration.</summary>
/// <param name="Spec">The kernel to emit, or null when the declaration is invalid or a duplicate part.</param>
/// <param name="Diagnostics">Diagnostics LSR0001..LSR0004 (and LSR0006) for this declaration.</param>
/// <param name="Location">The attribute's location, for LSR0005.</param>
internal sealed record DeclarationResult(KernelSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? Location);

/// <summary>One valid declaration's K, name and place, for the cross-declaration duplicate check (LSR0005).</summary>
internal sealed record KernelClaim(int Classes, string FullName, LocationInfo? Location);
