using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.Simd;

/// <summary>
/// How the loss sees a logit: as given (<see cref="Uncapped"/>) or soft-capped. A type parameter, so the row passes are
/// written once and the JIT compiles the uncapped ones without a trace of the cap. The maps are tags;
/// <see cref="LogitMap"/> holds their math, picked by typeof tests the JIT folds at import.
/// </summary>
internal interface ILogitMap;

/// <summary>z = x.</summary>
internal readonly struct Uncapped : ILogitMap;

/// <summary>z = c * tanh(x / c).</summary>
internal readonly struct SoftCapped : ILogitMap;

/// <summary>z = c * tanh(x / c) with float z within 1 ulp (Backward's p = exp(z - lse) from a saved lse).</summary>
internal readonly struct SoftCappedPrecise : ILogitMap;

/// <summary>
/// z = c * tanh(x / c) for a float row whose every logit lies in the cap's polynomial range: the polynomial without the
/// range test (<see cref="SoftcapMath{T, TS, TV}.NearForm"/>), the bits <see cref="SoftCapped"/> and
/// <see cref="SoftCappedPrecise"/> give there.
/// </summary>
internal readonly struct NearCapped : ILogitMap;

/// <summary>The math of each <see cref="ILogitMap"/>.</summary>
internal static class LogitMap
{
    /// <summary>z for the logits <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Map<TMap, T, TS, TV>(TV x, in LogitCap cap)
        where TMap : struct, ILogitMap
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        if (typeof(TMap) == typeof(Uncapped))
        {
            return x;
        }

        if (typeof(TMap) == typeof(SoftCapped))
        {
            return cap.Apply(x);
        }

        return typeof(TMap) == typeof(SoftCappedPrecise)
            ? cap.ApplyPrecise(x)
            : SoftcapMath<T, TS, TV>.NearForm(x, TS.Broadcast(cap.InverseAs<T>()), out _);
    }

    /// <summary>z and dz/dx for the logits <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Map<TMap, T, TS, TV>(TV x, in LogitCap cap, out TV slope)
        where TMap : struct, ILogitMap
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        if (typeof(TMap) == typeof(Uncapped))
        {
            slope = TS.Broadcast(T.One);
            return x;
        }

        if (typeof(TMap) != typeof(NearCapped))
        {
            return typeof(TMap) == typeof(SoftCapped) ? cap.Apply(x, out slope) : cap.ApplyPrecise(x, out slope);
        }

        TV inverse = TS.Broadcast(cap.InverseAs<T>());
        TV z = SoftcapMath<T, TS, TV>.NearForm(x, inverse, out _);
        slope = SoftcapMath<T, TS, TV>.NearSlope(z, inverse);
        return z;
    }
}
