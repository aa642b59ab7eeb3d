using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <summary>
/// Label smoothing's split of a row's target mass, (1 - eps) to the target (or the target distribution) and eps / K to
/// every class: the one place every shape takes it from, so all of them round it alike.
/// </summary>
internal static class Smoothing
{
    /// <summary>1 - eps.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="labelSmoothing">eps.</param>
    /// <returns>The target's share.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Keep<T>(T labelSmoothing)
        where T : INumberBase<T>
        => T.One - labelSmoothing;

    /// <summary>eps / K.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="labelSmoothing">eps.</param>
    /// <param name="classes">K (for a shard, the global K).</param>
    /// <returns>Each class's share.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Spread<T>(T labelSmoothing, int classes)
        where T : INumberBase<T>
        => labelSmoothing / T.CreateTruncating(classes);
}
