using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.LossMath;

/// <summary>
/// Vector exp and log used by <see cref="LsrKernels"/> and by generated kernels, so that a better
/// implementation here speeds up kernels generated earlier without regenerating them.
/// </summary>
internal static class LsrVectorMath
{
    /// <summary>
    /// Asks the CPU to bring the cache line at <paramref name="offset"/> elements past <paramref name="source"/> into L1.
    /// The row kernels call it for the next row while the current row's exp pass keeps the core busy, so the next row's
    /// max pass reads from L1 instead of waiting on L2 or L3. A no-op where x86 prefetch is not available.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">Where the offset counts from.</param>
    /// <param name="offset">Elements past <paramref name="source"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(ref T source, nuint offset)
        where T : unmanaged
    {
        if (Sse.IsSupported)
        {
            // A raw address, never a managed reference: past the last row it points beyond the array, which a prefetch
            // may do (it never faults). Should the GC move the array meanwhile, only this hint is wasted.
            Sse.Prefetch0((byte*)Unsafe.AsPointer(ref source) + (offset * (nuint)sizeof(T)));
        }
    }

    /// <summary>
    /// Sets <paramref name="count"/> float or double elements to zero with vector stores and no call. Row kernels clear
    /// an ignored row's gradient with it: a call inside their row loop (which <c>Span.Clear</c> and
    /// <c>Unsafe.InitBlock</c> become for a whole row) makes the JIT keep hoisted vector constants on the stack and
    /// reload them in every exp iteration, even when no row is ignored.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="destination">The first element.</param>
    /// <param name="count">How many elements.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear<T>(ref T destination, nuint count)
        where T : unmanaged, INumberBase<T>
    {
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<T>.Count <= count; i += (nuint)Vector512<T>.Count)
            {
                Vector512<T>.Zero.StoreUnsafe(ref destination, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<T>.Count <= count; i += (nuint)Vector256<T>.Count)
            {
                Vector256<T>.Zero.StoreUnsafe(ref destination, i);
            }
        }

        for (; i < count; i++)
        {
            Unsafe.Add(ref destination, i) = T.Zero;
        }
    }

    /// <summary>
    /// Natural log of one row's sum of exps (at least 1, or NaN). For float, the inlined vector log (about 1 ulp) on one
    /// lane instead of a call to MathF.Log; the row kernels run it once per row.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="sum">A value of at least 1, or NaN.</param>
    /// <returns>The natural logarithm of <paramref name="sum"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogOfSum<T>(T sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) && Vector128.IsHardwareAccelerated
            ? T.CreateTruncating(Simd128<float>.LogFloat(Vector128.CreateScalarUnsafe(float.CreateTruncating(sum))).ToScalar())
            : T.Log(sum);

    /// <summary>
    /// log(1 + r) for r &gt;= 0 (or NaN), accurate relative to the result also where r is far below one ulp of 1:
    /// u = 1 + r rounded, then log(u) corrected by the rounding error of u. .NET's LogP1 computes log(1 + r) and loses
    /// r there.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="rest">r, at least 0.</param>
    /// <returns>log(1 + r).</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogOnePlus<T>(T rest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T u = T.One + rest;
        return u == T.One ? rest : LogOfSum(u) - (((u - T.One) - rest) / u);
    }
}
