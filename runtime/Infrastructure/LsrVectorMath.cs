using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Infrastructure;

/// <summary>
/// Vector exp and log used by <see cref="LsrKernels"/> and by generated kernels, so that a better
/// implementation here speeds up kernels generated earlier without regenerating them.
/// Infrastructure for generated code: not intended to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LsrVectorMath
{
    /// <summary>Element-wise e^x for float or double lanes.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">The exponents.</param>
    /// <returns>e raised to each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.Exp(value.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.Exp(value.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException();
    }

    /// <summary>Element-wise e^x for float or double lanes.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">The exponents.</param>
    /// <returns>e raised to each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.Exp(value.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.Exp(value.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException();
    }

    /// <summary>Element-wise e^x for float or double lanes.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">The exponents.</param>
    /// <returns>e raised to each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp<T>(Vector128<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector128.Exp(value.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector128.Exp(value.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException();
    }

    /// <summary>Element-wise natural logarithm for float or double lanes.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="value">Positive values.</param>
    /// <returns>The natural logarithm of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.Log(value.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.Log(value.As<T, double>()).As<double, T>();
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
}
