using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LsrGen.Generator.Emit;

namespace LsrGen.Generator.Model;

/// <summary>
/// All declarations of one K: the shared kernel is registered under the name that sorts first; <paramref name="Shapes"/>
/// says which operations are written in the block shape.
/// </summary>
internal sealed record KernelGroup(int Classes, string RoutedTypeName, ShapeLimits Shapes)
{
    public static IEnumerable<KernelGroup> From(ImmutableArray<KernelClaim> claims, ShapeLimits shapes)
        => claims.GroupBy(c => c.Classes)
            .OrderBy(g => g.Key)
            .Select(g => new KernelGroup(g.Key, g.Select(c => c.FullName).OrderBy(n => n, System.StringComparer.Ordinal).First(), shapes));
}
