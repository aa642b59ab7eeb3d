using System;
using System.Collections.Generic;
using Xunit.Sdk;

namespace LsrGen.Tests;

/// <summary>The accuracy bounds of docs/semantics.md section 5.</summary>
public enum Quantity
{
    /// <summary>Softmax output: absolute 1e-6 in float.</summary>
    Probability,

    /// <summary>Losses, log-probabilities and gradients: 1e-5 relative + 1e-6 in float.</summary>
    Other,

    /// <summary>A loss for K above 32768: 1e-4 relative + 1e-6 in float.</summary>
    WideLoss,

    /// <summary>Anything of a soft-capped loss: as <see cref="Other"/>, with 1e-13 absolute in double (section 7).</summary>
    SoftCapped,
}

public static class Tolerance
{
    public static double Bound(double reference, bool isFloat, Quantity quantity)
    {
        if (!isFloat)
        {
            return (1e-12 * Math.Abs(reference)) + (quantity == Quantity.SoftCapped ? 1e-13 : 1e-14);
        }

        return quantity switch
        {
            Quantity.Probability => 1e-6,
            Quantity.WideLoss => (1e-4 * Math.Abs(reference)) + 1e-6,
            _ => (1e-5 * Math.Abs(reference)) + 1e-6,
        };
    }

    public static void Close(double expected, double actual, bool isFloat, Quantity quantity, string context)
    {
        if (!IsClose(expected, actual, isFloat, quantity))
        {
            throw new XunitException($"{context}: expected {expected:R}, got {actual:R} (bound {Bound(expected, isFloat, quantity):G3}).");
        }
    }

    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, bool isFloat, Quantity quantity, string context)
    {
        if (expected.Count != actual.Count)
        {
            throw new XunitException($"{context}: expected {expected.Count} values, got {actual.Count}.");
        }

        for (int i = 0; i < expected.Count; i++)
        {
            if (!IsClose(expected[i], actual[i], isFloat, quantity))
            {
                throw new XunitException(
                    $"{context}: element {i} expected {expected[i]:R}, got {actual[i]:R} (bound {Bound(expected[i], isFloat, quantity):G3}).");
            }
        }
    }

    /// <summary>NaN only where the reference is NaN, infinities equal, finite values within the bound.</summary>
    public static bool IsClose(double expected, double actual, bool isFloat, Quantity quantity)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return expected == actual;
        }

        return Math.Abs(expected - actual) <= Bound(expected, isFloat, quantity);
    }
}
