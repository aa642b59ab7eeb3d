using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.Routing;

/// <summary>The routing table asked about one call's arguments.</summary>
internal static class Routes
{
    /// <summary>The shape that runs <paramref name="operation"/> on <paramref name="args"/> with K = <paramref name="classes"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="operation">The operation.</param>
    /// <param name="classes">K, a constant for a declared K.</param>
    /// <param name="args">The call's arguments (soft-cap, per-row outputs).</param>
    /// <param name="generatedBlocks">Whether the caller is generated block code for this K and operation.</param>
    /// <returns>The shape.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Shape For<T>(RowOperation operation, int classes, in RowArgs<T> args, bool generatedBlocks = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        => RoutingTable.Choose(
            operation, typeof(T) == typeof(float), classes, generatedBlocks, Machine.Sets, args.Softcap != T.Zero, args.HasOutput || args.HasLogSumExp,
            args.HasExtras(operation));
}
