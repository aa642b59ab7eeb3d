using System;
using System.Linq;
using System.Numerics;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// The softmax backwards and ArgMax of an <see cref="ILsrApi{T}"/> against <see cref="OutputsOracle"/>: NaN-poisoned
/// outputs, section 6's bounds, and in place bit-identical to separate memory.
/// </summary>
public static class OutputsSuite<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static bool IsFloat => TestNumbers.IsFloat<T>();

    /// <summary>Both backwards from the forward outputs of <paramref name="x"/> (rounded to T) and random output gradients.</summary>
    public static void Backwards(ILsrApi<T> api, double[] x, int k, Random random, string context)
    {
        double[] gy = TestNumbers.RoundTrip<T>(RandomData.Normal(random, x.Length, 1));
        Backward(api, logSoftmax: true, TestNumbers.RoundTrip<T>(Oracle.LogSoftmax(x, k)), gy, k, context);
        Backward(api, logSoftmax: false, TestNumbers.RoundTrip<T>(Oracle.Softmax(x, k)), gy, k, context);
    }

    /// <summary>One backward on given (T-representable) outputs and output gradients.</summary>
    public static void Backward(ILsrApi<T> api, bool logSoftmax, double[] y, double[] gy, int k, string context)
    {
        string where = $"{api.Name} {(logSoftmax ? "LogSoftmaxBackward" : "SoftmaxBackward")} {context}";
        T[] output = TestNumbers.To<T>(y);
        T[] outputGradient = TestNumbers.To<T>(gy);
        T[] inputGradient = TestNumbers.Poisoned<T>(y.Length);
        Run(api, logSoftmax, output, outputGradient, k, inputGradient);
        double[] expected = logSoftmax ? OutputsOracle.LogSoftmaxBackward(y, gy, k) : OutputsOracle.SoftmaxBackward(y, gy, k);
        Tolerance.Close(expected, TestNumbers.ToDouble<T>(inputGradient), IsFloat, Quantity.Other, where);

        T[] inPlace = (T[])outputGradient.Clone();
        Run(api, logSoftmax, output, inPlace, k, inPlace);
        CorrectnessSuite<T>.AssertBitIdentical(inputGradient, inPlace, $"{where} in place");
    }

    /// <summary>ArgMax of <paramref name="x"/> (T-representable), exactly.</summary>
    public static void ArgMax(ILsrApi<T> api, double[] x, int k, string context)
    {
        int[] predictions = new int[x.Length / k];
        Array.Fill(predictions, -1);
        api.ArgMax(TestNumbers.To<T>(x), k, predictions);
        int[] expected = OutputsOracle.ArgMax(x, k);
        for (int row = 0; row < expected.Length; row++)
        {
            if (predictions[row] != expected[row])
            {
                throw new Xunit.Sdk.XunitException(
                    $"{api.Name} ArgMax {context}: row {row} expected {expected[row]}, got {predictions[row]} (K={k}).");
            }
        }
    }

    /// <summary>
    /// ArgMax on random rows with special values placed at random classes: ties of the row max, signed zeros, NaN,
    /// +-Inf and rows of all -Inf, so each lane position and the tail vector are exercised.
    /// </summary>
    public static void ArgMaxSpecials(ILsrApi<T> api, int k, int n, Random random, string context)
    {
        double[] x = TestNumbers.RoundTrip<T>(RandomData.Normal(random, n * k, 3));
        for (int row = 0; row < n; row++)
        {
            Span<double> r = x.AsSpan(row * k, k);
            switch (row % 7)
            {
                case 0:
                    r[random.Next(k)] = double.NaN;
                    break;
                case 1:
                    double top = 50;
                    r[random.Next(k)] = top;
                    r[random.Next(k)] = top;
                    break;
                case 2:
                    r.Fill(double.NegativeInfinity);
                    break;
                case 3:
                    r.Fill(-1);
                    r[random.Next(k)] = -0.0;
                    r[random.Next(k)] = 0.0;
                    break;
                case 4:
                    r[random.Next(k)] = double.PositiveInfinity;
                    r[random.Next(k)] = double.NaN;
                    break;
                case 5:
                    r.Fill(double.NegativeInfinity);
                    r[random.Next(k)] = -1e30;
                    break;
                default:
                    break;
            }
        }

        ArgMax(api, x, k, context);
    }

    /// <summary>The errors of the two backwards and ArgMax: lengths, K, overlaps; nothing written before a throw.</summary>
    public static void Errors(ILsrApi<T> api, int k, bool classesIsParameter)
    {
        const int n = 3;
        T[] y = Enumerable.Range(0, n * k).Select(i => T.CreateTruncating(-(i % 5))).ToArray();
        T[] gy = Enumerable.Range(0, n * k).Select(i => T.CreateTruncating(i % 3)).ToArray();
        foreach (bool logSoftmax in new[] { true, false })
        {
            if (classesIsParameter)
            {
                ErrorSuite<T>.Throws<ArgumentOutOfRangeException>(n * k, "classes", o => Run(api, logSoftmax, y, gy, 0, o));
            }

            if (k > 1)
            {
                ErrorSuite<T>.Throws<ArgumentException>(n * k, "output", o => Run(api, logSoftmax, y[..^1], gy, k, o), $"({(n * k) - 1})");
            }

            ErrorSuite<T>.Throws<ArgumentException>(n * k, "outputGradient", o => Run(api, logSoftmax, y, gy[..^1], k, o), $"{n * k} elements", $"{(n * k) - 1}");
            ErrorSuite<T>.Throws<ArgumentException>((n * k) + 1, "inputGradient", o => Run(api, logSoftmax, y, gy, k, o), $"{(n * k) + 1}");

            // inputGradient may be exactly outputGradient, but may not overlap output or straddle outputGradient.
            T[] before = [.. y];
            Assert.Equal("inputGradient", Assert.Throws<ArgumentException>(() => Run(api, logSoftmax, y, gy, k, y)).ParamName);
            Assert.Equal(before, y);
            T[] buffer = [.. gy, .. gy];
            T[] bufferBefore = [.. buffer];
            var ex = Assert.Throws<ArgumentException>(() => RunSpans(api, logSoftmax, y, buffer.AsSpan(0, n * k), k, buffer.AsSpan(1, n * k)));
            Assert.Equal("inputGradient", ex.ParamName);
            Assert.Contains("outputGradient", ex.Message, StringComparison.Ordinal);
            Assert.Equal(bufferBefore, buffer);
        }

        int[] sentinel = Enumerable.Repeat(-7, n + 1).ToArray();
        if (classesIsParameter)
        {
            Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => api.ArgMax(y, 0, sentinel.AsSpan(0, n))).ParamName);
        }

        if (k > 1)
        {
            Assert.Equal("values", Assert.Throws<ArgumentException>(() => api.ArgMax(y[..^1], k, sentinel.AsSpan(0, n))).ParamName);
        }

        var wrong = Assert.Throws<ArgumentException>(() => api.ArgMax(y, k, sentinel));
        Assert.Equal("destination", wrong.ParamName);
        Assert.Contains($"{n} elements", wrong.Message, StringComparison.Ordinal);
        Assert.All(sentinel, v => Assert.Equal(-7, v));
    }

    private static void RunSpans(ILsrApi<T> api, bool logSoftmax, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int k, Span<T> inputGradient)
    {
        if (logSoftmax)
        {
            api.LogSoftmaxBackward(output, outputGradient, k, inputGradient);
        }
        else
        {
            api.SoftmaxBackward(output, outputGradient, k, inputGradient);
        }
    }

    private static void Run(ILsrApi<T> api, bool logSoftmax, T[] output, T[] outputGradient, int k, T[] inputGradient)
    {
        if (logSoftmax)
        {
            api.LogSoftmaxBackward(output, outputGradient, k, inputGradient);
        }
        else
        {
            api.SoftmaxBackward(output, outputGradient, k, inputGradient);
        }
    }
}
