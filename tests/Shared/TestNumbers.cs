using System;
using System.Numerics;

namespace LsrGen.Tests;

/// <summary>Conversions between the element type under test and the double oracle.</summary>
public static class TestNumbers
{
    public static bool IsFloat<T>() => typeof(T) == typeof(float);

    public static T[] To<T>(double[] values)
        where T : IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = T.CreateTruncating(values[i]);
        }

        return result;
    }

    public static double[] ToDouble<T>(ReadOnlySpan<T> values)
        where T : IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateTruncating(values[i]);
        }

        return result;
    }

    /// <summary>Rounds through T, so the oracle sees exactly the inputs the kernel sees.</summary>
    public static double[] RoundTrip<T>(double[] values)
        where T : IFloatingPointIeee754<T>
        => ToDouble<T>(To<T>(values));

    public static T[] Poisoned<T>(int length)
        where T : IFloatingPointIeee754<T>
    {
        var result = new T[length];
        Array.Fill(result, T.NaN);
        return result;
    }
}
