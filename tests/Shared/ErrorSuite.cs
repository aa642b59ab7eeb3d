using System;
using System.Linq;
using System.Numerics;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// docs/semantics.md section 4 for one <see cref="ILsrApi{T}"/>: exception type, parameter name, message content, and every
/// destination left exactly as it was (filled with a sentinel beforehand).
/// </summary>
public static class ErrorSuite<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Sentinel = T.CreateTruncating(-12345.5);

    public delegate void Call(T[] output);

    /// <summary>Runs <paramref name="call"/> on a sentinel-filled output and checks the exception and that nothing was written.</summary>
    public static TException Throws<TException>(int outputLength, string paramName, Call call, params string[] messageParts)
        where TException : ArgumentException
    {
        T[] output = Enumerable.Repeat(Sentinel, outputLength).ToArray();
        TException ex = Assert.Throws<TException>(() => call(output));
        Assert.Equal(paramName, ex.ParamName);
        foreach (string part in messageParts)
        {
            Assert.Contains(part, ex.Message, StringComparison.Ordinal);
        }

        Assert.All(output, v => Assert.Equal(Sentinel, v));
        return ex;
    }

    /// <summary>Every row of the error table against every entry point that takes that argument, for class count <paramref name="k"/>.</summary>
    public static void All(ILsrApi<T> api, int k, bool classesIsParameter)
    {
        const int n = 3;
        T[] x = Enumerable.Range(0, n * k).Select(i => T.CreateTruncating(i % 7)).ToArray();
        int[] t = Enumerable.Range(0, n).Select(i => i % k).ToArray();
        T[] q = Enumerable.Repeat(T.One / T.CreateTruncating(k), n * k).ToArray();
        T eps = T.CreateTruncating(0.1);
        OutputsSuite<T>.Errors(api, k, classesIsParameter);

        if (classesIsParameter)
        {
            Throws<ArgumentOutOfRangeException>(n * k, "classes", o => api.LogSoftmax(x, 0, o));
            Throws<ArgumentOutOfRangeException>(n * k, "classes", o => api.CrossEntropyWithGradient(x, -1, t, o, eps, Reduction.Mean, -100, default));
        }

        // logits length not a multiple of K (K = 1 has no such length).
        if (k > 1)
        {
            T[] ragged = x[..^1];
            string len = ragged.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Throws<ArgumentException>(ragged.Length, "logits", o => api.LogSoftmax(ragged, k, o), len, k.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Throws<ArgumentException>(ragged.Length, "logits", o => api.Softmax(ragged, k, o), len);
            Throws<ArgumentException>(n, "logits", o => api.CrossEntropy(ragged, k, t, o, eps, -100, default), len);
            Throws<ArgumentException>(ragged.Length, "logits", o => api.CrossEntropyWithGradient(ragged, k, t, o, eps, Reduction.Mean, -100, default), len);
            Throws<ArgumentException>(ragged.Length, "logits", o => api.CrossEntropyWithGradient(ragged, k, q, o, eps, Reduction.Mean, default), len);
            Throws<ArgumentException>(n, "values", o => api.GatherTargets(ragged, k, t, o, -100), len);
        }

        // Wrong lengths of targets, losses, destination, gradient, targetProbabilities.
        Throws<ArgumentException>(n * k, "targets", o => api.CrossEntropyWithGradient(x, k, t[..^1], o, eps, Reduction.Mean, -100, default), "3", "2");
        Throws<ArgumentException>(n, "targets", o => api.CrossEntropy(x, k, t.Append(0).ToArray(), o[..n], eps, -100, default), "3", "4");
        Throws<ArgumentException>(n + 1, "losses", o => api.CrossEntropy(x, k, t, o, eps, -100, default), "3", "4");
        Throws<ArgumentException>(n + 1, "losses", o => api.CrossEntropy(x, k, q, o, eps, default), "3", "4");
        Throws<ArgumentException>((n * k) + 1, "destination", o => api.LogSoftmax(x, k, o));
        Throws<ArgumentException>((n * k) - 1, "destination", o => api.Softmax(x, k, o));
        Throws<ArgumentException>(n - 1, "destination", o => api.GatherTargets(x, k, t, o, -100));
        Throws<ArgumentException>((n * k) + 1, "gradient", o => api.CrossEntropyWithGradient(x, k, t, o, eps, Reduction.Sum, -100, default));
        Throws<ArgumentException>((n * k) + 1, "gradient", o => api.CrossEntropyWithGradient(x, k, q, o, eps, Reduction.Sum, default));
        Throws<ArgumentException>(n * k, "targetProbabilities", o => api.CrossEntropyWithGradient(x, k, q[..^1], o, eps, Reduction.Sum, default));
        Assert.Throws<ArgumentException>("targetProbabilities", () => api.CrossEntropy(x, k, q[..^1], eps, Reduction.Sum, default));

        // A target out of range, on every entry point that takes targets; no destination written.
        int[] bad = [.. t];
        bad[2] = k;
        string badMessage = $"Target {k} at row 2 is out of range for {k} classes.";
        Throws<ArgumentOutOfRangeException>(n, "targets", o => api.CrossEntropy(x, k, bad, o, eps, -100, default), badMessage);
        Throws<ArgumentOutOfRangeException>(n * k, "targets", o => api.CrossEntropyWithGradient(x, k, bad, o, eps, Reduction.Mean, -100, default), badMessage);
        Throws<ArgumentOutOfRangeException>(n, "targets", o => api.GatherTargets(x, k, bad, o, -100), badMessage);
        Assert.Equal("targets", Assert.Throws<ArgumentOutOfRangeException>(() => api.CrossEntropy(x, k, bad, eps, Reduction.Mean, -100, default)).ParamName);
        bad[2] = -1;
        Throws<ArgumentOutOfRangeException>(n, "targets", o => api.CrossEntropy(x, k, bad, o, eps, -100, default), "Target -1 at row 2");
        bad[2] = -100; // the default ignoreIndex, but this call ignores 0 instead
        Throws<ArgumentOutOfRangeException>(n * k, "targets", o => api.CrossEntropyWithGradient(x, k, bad, o, eps, Reduction.Sum, 0, default), "Target -100 at row 2");

        // labelSmoothing NaN or outside [0, 1].
        foreach (T wrong in new[] { T.NaN, T.CreateTruncating(-0.01), T.CreateTruncating(1.01), T.PositiveInfinity })
        {
            Throws<ArgumentOutOfRangeException>(n, "labelSmoothing", o => api.CrossEntropy(x, k, t, o, wrong, -100, default));
            Throws<ArgumentOutOfRangeException>(n * k, "labelSmoothing", o => api.CrossEntropyWithGradient(x, k, t, o, wrong, Reduction.Mean, -100, default));
            Throws<ArgumentOutOfRangeException>(n * k, "labelSmoothing", o => api.CrossEntropyWithGradient(x, k, q, o, wrong, Reduction.Mean, default));
            Assert.Equal("labelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => api.CrossEntropy(x, k, t, wrong, Reduction.Mean, -100, default)).ParamName);
        }

        // Weights: wrong length, negative, NaN, infinite.
        T[] shortWeight = Enumerable.Repeat(T.One, k + 1).ToArray();
        Throws<ArgumentException>(n * k, "weight", o => api.CrossEntropyWithGradient(x, k, t, o, eps, Reduction.Mean, -100, shortWeight), $"{k}", $"{k + 1}");
        Throws<ArgumentException>(n, "weight", o => api.CrossEntropy(x, k, q, o, eps, shortWeight));
        foreach (T wrong in new[] { T.CreateTruncating(-0.5), T.NaN, T.PositiveInfinity, T.NegativeInfinity })
        {
            T[] w = Enumerable.Repeat(T.One, k).ToArray();
            w[k - 1] = wrong;
            Throws<ArgumentException>(n, "weight", o => api.CrossEntropy(x, k, t, o, eps, -100, w), $"weight[{k - 1}]");
            Throws<ArgumentException>(n * k, "weight", o => api.CrossEntropyWithGradient(x, k, q, o, eps, Reduction.Sum, w), $"weight[{k - 1}]");
        }

        // Probabilities negative, NaN or infinite: the message names the row.
        foreach (T wrong in new[] { T.CreateTruncating(-0.5), T.NaN, T.PositiveInfinity })
        {
            T[] badQ = [.. q];
            badQ[(2 * k) + (k - 1)] = wrong;
            Throws<ArgumentException>(n, "targetProbabilities", o => api.CrossEntropy(x, k, badQ, o, eps, default), "row 2");
            Throws<ArgumentException>(n * k, "targetProbabilities", o => api.CrossEntropyWithGradient(x, k, badQ, o, eps, Reduction.Mean, default), "row 2");
        }

        // Reduction outside the enum.
        Throws<ArgumentOutOfRangeException>(n * k, "reduction", o => api.CrossEntropyWithGradient(x, k, t, o, eps, (Reduction)7, -100, default));
    }

    /// <summary>Outputs overlapping inputs: rejected unless exactly in place where that is allowed.</summary>
    public static void Overlaps(ILsrApi<T> api, int k)
    {
        const int n = 4;
        T[] buffer = Enumerable.Range(0, (n * k) + k).Select(i => T.CreateTruncating(i % 5)).ToArray();
        T[] before = [.. buffer];
        int[] t = new int[n];
        T eps = T.Zero;

        // Shifted by one row: the output starts inside the input.
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => api.LogSoftmax(buffer.AsSpan(0, n * k), k, buffer.AsSpan(k, n * k))).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => api.Softmax(buffer.AsSpan(k, n * k), k, buffer.AsSpan(0, n * k))).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => api.CrossEntropyWithGradient(buffer.AsSpan(0, n * k), k, t, buffer.AsSpan(k, n * k), eps, Reduction.Mean, -100, default)).ParamName);
        Assert.Equal("losses", Assert.Throws<ArgumentException>(() => api.CrossEntropy(buffer.AsSpan(0, n * k), k, t, buffer.AsSpan(0, n), eps, -100, default)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => api.GatherTargets(buffer.AsSpan(0, n * k), k, t, buffer.AsSpan(1, n), -100)).ParamName);

        // Same start, shorter length is not "in place" either.
        if (k > 1)
        {
            Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => api.CrossEntropyWithGradient(buffer.AsSpan(0, n * k), k, t, buffer.AsSpan(0, (n * k) - 1), eps, Reduction.Mean, -100, default)).ParamName);
        }

        T[] q = Enumerable.Repeat(T.One / T.CreateTruncating(k), n * k).ToArray();
        T[] logits = buffer[..(n * k)];
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => api.CrossEntropyWithGradient(logits, k, q, q, eps, Reduction.Mean, default)).ParamName);
        Assert.Equal(before, buffer);
    }
}
