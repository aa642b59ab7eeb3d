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

    /// <summary>Fused (left * right) + addend for float or double lanes.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="addend">The value added to the product.</param>
    /// <returns>The fused multiply-add of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd<T>(Vector512<T> left, Vector512<T> right, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(left.As<T, float>(), right.As<T, float>(), addend.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(left.As<T, double>(), right.As<T, double>(), addend.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException();
    }

    /// <summary>Fused (left * right) + addend for float or double lanes.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="addend">The value added to the product.</param>
    /// <returns>The fused multiply-add of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> left, Vector256<T> right, Vector256<T> addend)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(left.As<T, float>(), right.As<T, float>(), addend.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.FusedMultiplyAdd(left.As<T, double>(), right.As<T, double>(), addend.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException();
    }

    /// <summary>Fused (left * right) + addend for float or double lanes.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="addend">The value added to the product.</param>
    /// <returns>The fused multiply-add of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd<T>(Vector128<T> left, Vector128<T> right, Vector128<T> addend)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector128.FusedMultiplyAdd(left.As<T, float>(), right.As<T, float>(), addend.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector128.FusedMultiplyAdd(left.As<T, double>(), right.As<T, double>(), addend.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException();
    }
    /// <summary>e^x for lanes with x &lt;= 0 or NaN (softmax exponents x - max), bit-identical on every call.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">Non-positive exponents.</param>
    /// <returns>e raised to each lane; exactly 1 at 0.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ExpNonPositive<T>(Vector512<T> value)
        => typeof(T) == typeof(float)
            ? LsrFloatMath.ExpNonPositive(value.As<T, float>()).As<float, T>()
            : LsrDoubleMath.ExpNonPositive(value.As<T, double>()).As<double, T>();

    /// <summary>e^x for lanes with x &lt;= 0 or NaN (softmax exponents x - max), bit-identical on every call.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">Non-positive exponents.</param>
    /// <returns>e raised to each lane; exactly 1 at 0.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ExpNonPositive<T>(Vector256<T> value)
        => typeof(T) == typeof(float)
            ? LsrFloatMath.ExpNonPositive(value.As<T, float>()).As<float, T>()
            : LsrDoubleMath.ExpNonPositive(value.As<T, double>()).As<double, T>();

    /// <summary>e^x for lanes with x &lt;= 0 or NaN (softmax exponents x - max), bit-identical on every call.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">Non-positive exponents.</param>
    /// <returns>e raised to each lane; exactly 1 at 0.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ExpNonPositive<T>(Vector128<T> value)
        => typeof(T) == typeof(float)
            ? LsrFloatMath.ExpNonPositive(value.As<T, float>()).As<float, T>()
            : LsrDoubleMath.ExpNonPositive(value.As<T, double>()).As<double, T>();

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
            ? T.CreateTruncating(LsrFloatMath.LogAtLeastOne(Vector128.CreateScalarUnsafe(float.CreateTruncating(sum))).ToScalar())
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

    /// <summary>Natural log of lanes holding values of at least 1 (a row's sum of exps), bit-identical on every call.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">Values of at least 1, or NaN.</param>
    /// <returns>The natural logarithm of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LogAtLeastOne<T>(Vector512<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            return LsrFloatMath.LogAtLeastOne(value.As<T, float>()).As<float, T>();
        }

        // Double: one scalar log per row of the 8-row block; the BCL's vector log rounds differently between JIT tiers.
        Vector512<double> d = value.As<T, double>();
        return Vector512.Create(
            Math.Log(d.GetElement(0)), Math.Log(d.GetElement(1)), Math.Log(d.GetElement(2)), Math.Log(d.GetElement(3)),
            Math.Log(d.GetElement(4)), Math.Log(d.GetElement(5)), Math.Log(d.GetElement(6)), Math.Log(d.GetElement(7))).As<double, T>();
    }
    /// <summary>Natural log of lanes holding values of at least 1 (a row's sum of exps), bit-identical on every call.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">Values of at least 1, or NaN.</param>
    /// <returns>The natural logarithm of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LogAtLeastOne<T>(Vector256<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            return LsrFloatMath.LogAtLeastOne(value.As<T, float>()).As<float, T>();
        }

        Vector256<double> d = value.As<T, double>();
        return Vector256.Create(Math.Log(d.GetElement(0)), Math.Log(d.GetElement(1)), Math.Log(d.GetElement(2)), Math.Log(d.GetElement(3))).As<double, T>();
    }
}
