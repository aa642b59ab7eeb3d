using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.Simd;

/// <summary>
/// How the loss sees a logit: as given (<see cref="Uncapped"/>, which callers test for with typeof, folded before
/// inlining), or soft-capped. A type parameter, so the row passes are written once and the JIT compiles the uncapped
/// ones without a trace of the cap.
/// </summary>
internal interface ILogitMap
{
    /// <summary>z for the logits <paramref name="x"/>.</summary>
    static abstract TV Map<T, TS, TV>(TV x, in LogitCap cap)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct;

    /// <summary>z and dz/dx for the logits <paramref name="x"/>.</summary>
    static abstract TV Map<T, TS, TV>(TV x, in LogitCap cap, out TV slope)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct;
}

/// <summary>z = x.</summary>
internal readonly struct Uncapped : ILogitMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Map<T, TS, TV>(TV x, in LogitCap cap)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct
        => x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Map<T, TS, TV>(TV x, in LogitCap cap, out TV slope)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        slope = TS.Broadcast(T.One);
        return x;
    }
}

/// <summary>z = c * tanh(x / c).</summary>
internal readonly struct SoftCapped : ILogitMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Map<T, TS, TV>(TV x, in LogitCap cap)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct
        => cap.Apply(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Map<T, TS, TV>(TV x, in LogitCap cap, out TV slope)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct
        => cap.Apply(x, out slope);
}

/// <summary>z = c * tanh(x / c) with float z within 1 ulp (Backward's p = exp(z - lse) from a saved lse).</summary>
internal readonly struct SoftCappedPrecise : ILogitMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Map<T, TS, TV>(TV x, in LogitCap cap)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct
        => cap.ApplyPrecise(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Map<T, TS, TV>(TV x, in LogitCap cap, out TV slope)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct
        => cap.ApplyPrecise(x, out slope);
}

/// <summary>
/// z = c * tanh(x / c) for a float row whose every logit lies in the cap's polynomial range: the polynomial without the
/// range test (<see cref="SoftcapMath{T, TS, TV}.NearForm"/>), the bits <see cref="SoftCapped"/> and
/// <see cref="SoftCappedPrecise"/> give there.
/// </summary>
internal readonly struct NearCapped : ILogitMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Map<T, TS, TV>(TV x, in LogitCap cap)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct
        => SoftcapMath<T, TS, TV>.NearForm(x, TS.Broadcast(cap.InverseAs<T>()), out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Map<T, TS, TV>(TV x, in LogitCap cap, out TV slope)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        TV inverse = TS.Broadcast(cap.InverseAs<T>());
        TV z = SoftcapMath<T, TS, TV>.NearForm(x, inverse, out _);
        slope = SoftcapMath<T, TS, TV>.NearSlope(z, inverse);
        return z;
    }
}
