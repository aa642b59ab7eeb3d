using System;
using System.Linq;
using System.Numerics;
using Xunit;
using Xunit.Sdk;

namespace LsrGen.Tests;

/// <summary>
/// Runs one training golden case through every member of <see cref="CrossEntropyLoss{T}"/> and compares with the
/// float64 oracle within docs/semantics.md's bounds (double with a soft-cap: 1e-12 |ref| + 1e-13). Outputs start
/// NaN-poisoned, so an element left unwritten fails.
/// </summary>
public static class TrainingSuite
{
    public static CrossEntropyLoss<T> Loss<T>(TrainingCase c)
        where T : unmanaged, IFloatingPointIeee754<T>
        => new(c.K)
        {
            Reduction = c.Reduction,
            LabelSmoothing = T.CreateTruncating(c.LabelSmoothing),
            IgnoreIndex = c.IgnoreIndex,
            Weight = c.Weight is null ? default : TestNumbers.To<T>(c.Weight),
            Softcap = T.CreateTruncating(c.Softcap),
            ZLossScale = T.CreateTruncating(c.ZLossScale),
        };

    public static void Check<T>(string id, bool expectSpecialized)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TrainingCase c = TrainingFile.Get(id);
        bool isFloat = TestNumbers.IsFloat<T>();
        CrossEntropyLoss<T> loss = Loss<T>(c);
        Assert.Equal(expectSpecialized, loss.IsSpecialized);
        T[] logits = TestNumbers.To<T>(c.Logits);
        T[] probabilities = c.Probabilities is null ? [] : TestNumbers.To<T>(c.Probabilities);
        int[] targets = c.Targets ?? [];
        T[] upstream = TestNumbers.To<T>(c.LossGradients);
        double extra = !isFloat && c.Softcap != 0 ? 1e-13 : 0;

        // Reduced forward.
        T reduced = c.IsClassIndex ? loss.Forward(logits, targets) : loss.Forward(logits, probabilities);
        Near(c.Loss, double.CreateTruncating(reduced), isFloat, extra, $"{id} {typeof(T).Name} Forward");

        // Per-row forward: losses and log-sum-exp.
        T[] losses = TestNumbers.Poisoned<T>(c.N);
        T[] lse = TestNumbers.Poisoned<T>(c.N);
        if (c.IsClassIndex)
        {
            loss.Forward(logits, targets, losses, lse);
        }
        else
        {
            loss.Forward(logits, probabilities, losses, lse);
        }

        Near(c.Losses, losses, isFloat, extra, $"{id} {typeof(T).Name} losses");
        Near(c.LogSumExp, lse, isFloat, extra, $"{id} {typeof(T).Name} logSumExp");

        // Fused forward and gradient, out of place and in place (same bits).
        T[] gradient = TestNumbers.Poisoned<T>(logits.Length);
        T fused = c.IsClassIndex ? loss.ForwardBackward(logits, targets, gradient) : loss.ForwardBackward(logits, probabilities, gradient);
        Near(c.Loss, double.CreateTruncating(fused), isFloat, extra, $"{id} {typeof(T).Name} ForwardBackward loss");
        Near(c.Gradient, gradient, isFloat, extra, $"{id} {typeof(T).Name} ForwardBackward gradient");
        T[] inPlace = (T[])logits.Clone();
        T fusedInPlace = c.IsClassIndex ? loss.ForwardBackward(inPlace, targets, inPlace) : loss.ForwardBackward(inPlace, probabilities, inPlace);
        Assert.Equal(Bits(fused), Bits(fusedInPlace));
        Assert.Equal(gradient.Select(Bits), inPlace.Select(Bits));

        // Backward from a known log-sum-exp: the oracle's, rounded to T.
        T[] givenLse = TestNumbers.To<T>(c.LogSumExp);
        double[] expected = isFloat ? c.BackwardGradientAtFloatLse : c.BackwardGradientAtLse;
        T[] backward = TestNumbers.Poisoned<T>(logits.Length);
        RunBackward(loss, c, logits, probabilities, targets, givenLse, upstream, backward);
        Near(expected, backward, isFloat, extra, $"{id} {typeof(T).Name} Backward");
        T[] backwardInPlace = (T[])logits.Clone();
        RunBackward(loss, c, backwardInPlace, probabilities, targets, givenLse, upstream, backwardInPlace);
        Assert.Equal(backward.Select(Bits), backwardInPlace.Select(Bits));
    }

    /// <summary>
    /// The per-row accuracy rule: with eps 0 and no weight, soft-cap or z-loss, each float loss keeps 1e-5 relative
    /// accuracy down to 1e-37 (the loss of a row whose target holds almost all the mass).
    /// </summary>
    public static void CheckPerRowAccuracy(string id)
    {
        TrainingCase c = TrainingFile.Get(id);
        CrossEntropyLoss<float> loss = Loss<float>(c);
        float[] losses = TestNumbers.Poisoned<float>(c.N);
        float[] lse = TestNumbers.Poisoned<float>(c.N);
        loss.Forward(TestNumbers.To<float>(c.Logits), c.Targets, losses, lse);
        for (int i = 0; i < c.N; i++)
        {
            double bound = (1e-5 * Math.Abs(c.Losses[i])) + 1e-37;
            if (!(Math.Abs(losses[i] - c.Losses[i]) <= bound))
            {
                throw new XunitException($"{id} row {i}: expected {c.Losses[i]:R}, got {losses[i]:R} (bound {bound:G3}).");
            }
        }
    }

    private static void RunBackward<T>(
        CrossEntropyLoss<T> loss, TrainingCase c, T[] logits, T[] probabilities, int[] targets, T[] lse, T[] upstream, T[] gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (c.IsClassIndex)
        {
            loss.Backward(logits, targets, lse, upstream, gradient);
        }
        else
        {
            loss.Backward(logits, probabilities, lse, upstream, gradient);
        }
    }

    internal static long Bits<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => double.IsNaN(double.CreateTruncating(value)) ? long.MinValue : BitConverter.DoubleToInt64Bits(double.CreateTruncating(value));

    internal static void Near<T>(double[] expected, T[] actual, bool isFloat, double extra, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Near(expected[i], double.CreateTruncating(actual[i]), isFloat, extra, $"{context}[{i}]");
        }
    }

    internal static void Near(double expected, double actual, bool isFloat, double extra, string context)
    {
        bool ok = double.IsNaN(expected) || double.IsNaN(actual)
            ? double.IsNaN(expected) && double.IsNaN(actual)
            : double.IsInfinity(expected) || double.IsInfinity(actual)
                ? expected == actual
                : Math.Abs(expected - actual) <= Tolerance.Bound(expected, isFloat, Quantity.Other) + extra;
        if (!ok)
        {
            throw new XunitException($"{context}: expected {expected:R}, got {actual:R}.");
        }
    }
}
