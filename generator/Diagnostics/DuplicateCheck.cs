using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using LsrGen.Generator.Model;

namespace LsrGen.Generator.Diagnostics;

/// <summary>LSR0005: every declaration of an already-claimed K, except the one routing picks, gets a warning.</summary>
internal static class DuplicateCheck
{
    public static IEnumerable<DiagnosticInfo> Find(ImmutableArray<KernelClaim> claims)
    {
        foreach (IGrouping<int, KernelClaim> group in claims.GroupBy(c => c.Classes))
        {
            KernelClaim[] ordered = group.OrderBy(c => c.FullName, System.StringComparer.Ordinal).ToArray();
            for (int i = 1; i < ordered.Length; i++)
            {
                string k = group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
                yield return new DiagnosticInfo(
                    DiagnosticDescriptors.DuplicateClassCount,
                    new EquatableArray<string>(new[] { ordered[i].FullName, k, ordered[0].FullName }),
                    ordered[i].Location);
            }
        }
    }
}
