using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Threading;

namespace LsrGen.Contract;

/// <summary>
/// The generated kernels <see cref="LsrKernels"/> routes to, filled by the module initialisers the generator emits.
/// Readers see an immutable snapshot; registration swaps in a new one, so late initialisers never disturb calls
/// in flight. When two types register the same K, the one whose full name sorts first (ordinal) wins, whatever
/// the order the initialisers ran in.
/// For generated code only: not intended to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LsrKernelRegistry
{
    private static readonly object s_gate = new();
    private static Dictionary<int, GeneratedKernel>? s_kernels;

    /// <summary>Registers the generated kernel <typeparamref name="TKernel"/> for <paramref name="classes"/> classes.</summary>
    /// <typeparam name="TKernel">The generated row kernel.</typeparam>
    /// <param name="classes">Its class count K.</param>
    /// <param name="typeName">The full name of the declaring type (Ns.Outer.Inner), which decides between two kernels for one K.</param>
    public static void Register<TKernel>(int classes, string typeName)
        where TKernel : ILsrRowKernel<float>, ILsrRowKernel<double>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentNullException.ThrowIfNull(typeName);
        lock (s_gate)
        {
            Dictionary<int, GeneratedKernel>? current = s_kernels;
            if (current is not null && current.TryGetValue(classes, out GeneratedKernel? existing)
                && string.CompareOrdinal(existing.TypeName, typeName) <= 0)
            {
                return;
            }

            var next = current is null ? new Dictionary<int, GeneratedKernel>() : new Dictionary<int, GeneratedKernel>(current);
            next[classes] = GeneratedKernel.Create<TKernel>(classes, typeName);
            Volatile.Write(ref s_kernels, next);
        }
    }

    /// <summary>Gets the full name of the type whose kernel serves <paramref name="classes"/>, or null.</summary>
    /// <param name="classes">The class count K.</param>
    /// <returns>The routed type's full name, or null when none is registered.</returns>
    public static string? GetRoutedTypeName(int classes) => Find(classes)?.TypeName;

    internal static GeneratedKernel? Find(int classes)
    {
        Dictionary<int, GeneratedKernel>? kernels = Volatile.Read(ref s_kernels);
        return kernels is not null && kernels.TryGetValue(classes, out GeneratedKernel? set) ? set : null;
    }
}
