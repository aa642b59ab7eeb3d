using System.Collections.Generic;
using System.Linq;
using System.Threading;
using LsrGen.Generator.Diagnostics;
using LsrGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LsrGen.Generator.Parsing;

/// <summary>Turns one attributed declaration into values: a <see cref="KernelSpec"/> and/or diagnostics. Never throws on user code.</summary>
internal static class DeclarationParser
{
    public const int MaxClasses = 1 << 20;



    public static DeclarationResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type
            || context.TargetNode is not TypeDeclarationSyntax declaration
            || declaration is InterfaceDeclarationSyntax
            || context.Attributes.Length == 0)
        {
            // Attribute on something it does not apply to: the compiler reports CS0592.
            return new DeclarationResult(null, EquatableArray<DiagnosticInfo>.Empty, null);
        }

        // Half-typed code without a name yet: nothing to declare, and the compiler already complains.
        if (declaration.Identifier.IsMissing || declaration.Ancestors().OfType<TypeDeclarationSyntax>().Any(t => t.Identifier.IsMissing))
        {
            return new DeclarationResult(null, EquatableArray<DiagnosticInfo>.Empty, null);
        }

        AttributeData attribute = context.Attributes[0];
        LocationInfo? location = ToInfo(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation())
            ?? ToInfo(declaration.Identifier.GetLocation());

        // The same type may carry the attribute on several partial declarations (CS0579); only the first emits.
        if (!IsFirstApplication(type, attribute))
        {
            return new DeclarationResult(null, EquatableArray<DiagnosticInfo>.Empty, null);
        }

        string display = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        var diagnostics = new List<DiagnosticInfo>();
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.NotPartial, location, display));
        }

        int? classes = ReadClasses(attribute);
        if (classes is { } k && (k < 1 || k > MaxClasses))
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.ClassCountOutOfRange, location, display, k.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        bool generic = false;
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            generic |= t.TypeParameters.Length > 0;
        }

        var containing = new List<TypeDeclarationSpec>();
        for (SyntaxNode? node = declaration.Parent; node is TypeDeclarationSyntax outer; node = outer.Parent)
        {
            if (!outer.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(Diagnostic(DiagnosticDescriptors.ContainingTypeNotPartial, location, display, outer.Identifier.ValueText));
            }

            containing.Insert(0, new TypeDeclarationSpec(Keyword(outer), Identifier(outer.Identifier.ValueText)));
        }

        if (generic)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.GenericType, location, display));
        }

        if (type.IsFileLocal)
        {
            diagnostics.Add(Diagnostic(DiagnosticDescriptors.FileLocalType, location, display));
        }

        foreach (string member in GeneratedMembers.All)
        {
            if (!type.GetMembers(member).IsEmpty)
            {
                diagnostics.Add(Diagnostic(DiagnosticDescriptors.MemberConflict, location, display, member));
            }
        }

        // A missing, non-constant or non-int argument already has a compiler error; generate nothing.
        if (diagnostics.Count > 0 || classes is null || declaration.Parent is not (BaseNamespaceDeclarationSyntax or CompilationUnitSyntax or TypeDeclarationSyntax))
        {
            return new DeclarationResult(null, new EquatableArray<DiagnosticInfo>(diagnostics), location);
        }

        containing.Add(new TypeDeclarationSpec(Keyword(declaration), Identifier(declaration.Identifier.ValueText)));
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n
            ? n.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted))
            : string.Empty;
        string fullName = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted));
        var spec = new KernelSpec(ns, new EquatableArray<TypeDeclarationSpec>(containing), fullName, classes.Value);
        return new DeclarationResult(spec, EquatableArray<DiagnosticInfo>.Empty, location);
    }

    private static bool IsFirstApplication(INamedTypeSymbol type, AttributeData attribute)
    {
        SyntaxReference? mine = attribute.ApplicationSyntaxReference;
        if (mine is null || attribute.AttributeClass is null)
        {
            return true;
        }

        foreach (AttributeData candidate in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.AttributeClass, attribute.AttributeClass))
            {
                SyntaxReference? theirs = candidate.ApplicationSyntaxReference;
                return theirs is null || (theirs.SyntaxTree == mine.SyntaxTree && theirs.Span == mine.Span);
            }
        }

        return true;
    }

    // A type named like a keyword (@class) must keep its @ when re-declared.
    private static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static int? ReadClasses(AttributeData attribute)
    {
        if (attribute.ConstructorArguments.Length != 1)
        {
            return null;
        }

        TypedConstant argument = attribute.ConstructorArguments[0];
        return argument.Kind == TypedConstantKind.Primitive && argument.Value is int value ? value : null;
    }

    private static string Keyword(TypeDeclarationSyntax declaration) => declaration switch
    {
        RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    private static DiagnosticInfo Diagnostic(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments)
        => new(descriptor, new EquatableArray<string>(arguments), location);

    internal static LocationInfo? ToInfo(Location? location)
    {
        if (location is null || !location.IsInSource)
        {
            return null;
        }

        FileLinePositionSpan lines = location.GetLineSpan();
        return new LocationInfo(
            location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan.Start, location.SourceSpan.Length,
            lines.StartLinePosition.Line, lines.StartLinePosition.Character, lines.EndLinePosition.Line, lines.EndLinePosition.Character);
    }
}
