using System;
using System.Linq;
using System.Numerics;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// Random rows through <see cref="CrossEntropyLoss{T}"/> with a temperature, an entropy bonus and every per-row output:
/// float and double against <see cref="OptionsOracle"/> (section 6's bounds), the float gradients against the double
/// ones (which the finite-difference tests check), NaN-poisoned outputs, and each row's bits independent of its place
/// in the batch.
/// </summary>
public static class OptionsSuite
{
    public static void Random(int classes, int seed)
    {
        Random random = RandomData.For(classes, seed);
        int rows = classes >= 1000 ? 6 : 23;
        double[] x = TestNumbers.RoundTrip<float>(RandomData.Normal(random, rows * classes, 4));
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, -100);
        double[] q = TestNumbers.RoundTrip<float>(RandomData.Probabilities(random, rows, classes));
        double[] lossGradients = TestNumbers.RoundTrip<float>(RandomData.Normal(random, rows, 1));
        double[] entropyGradients = TestNumbers.RoundTrip<float>(RandomData.Normal(random, rows, 1));
        double[] caps = [0, 5, 30];
        double[] temperatures = [1, 0.5, 0.7, 2];
        double[] scales = [0, 0.01, 1];
        var o = new LossOptions(
            random.Next(3) == 0 ? 0 : 0.1, random.Next(2) == 0 ? Reduction.Mean : Reduction.Sum,
            random.Next(2) == 0 ? null : TestNumbers.RoundTrip<float>(RandomData.Weights(random, classes)),
            caps[random.Next(caps.Length)], random.Next(2) == 0 ? 0 : 1e-3, temperatures[random.Next(1, temperatures.Length)], scales[random.Next(scales.Length)]);
        string context = $"K={classes} N={rows} {o} seed={RandomData.RunSeed}";
        foreach (bool classIndex in new[] { true, false })
        {
            OptionsOracle.Rows expected = classIndex ? OptionsOracle.Hard(x, classes, targets, o) : OptionsOracle.Soft(x, classes, q, o);
            string kind = classIndex ? "hard" : "soft";
            Pass<double>.Check(x, classes, targets, q, lossGradients, entropyGradients, o, classIndex, expected, $"{context} double {kind}", out double[] doubleGradient, out _, out _);
            Pass<float>.Check(x, classes, targets, q, lossGradients, entropyGradients, o, classIndex, expected, $"{context} float {kind}", out double[] floatGradient, out double[] floatBackward, out double[] floatLse);
            Tolerance.Close(doubleGradient, floatGradient, isFloat: true, Quantity.Other, $"{context} float ForwardBackward gradient");

            // Backward takes p from the lse it is given: the double API at the float lse, with the float API's options,
            // is the float one's oracle.
            var atFloatLse = new double[x.Length];
            CrossEntropyLoss<double> doubles = o.RoundedToFloat().For<double>(classes);
            if (classIndex)
            {
                doubles.Backward(x, targets, floatLse, lossGradients, atFloatLse, entropyGradients);
            }
            else
            {
                doubles.Backward(x, q, floatLse, lossGradients, atFloatLse, entropyGradients);
            }

            Tolerance.Close(atFloatLse, floatBackward, isFloat: true, Quantity.Other, $"{context} float Backward gradient");
        }
    }

    private static void SameValues<TValue>(TValue[] expected, TValue[] actual, string context)
        where TValue : IEquatable<TValue>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Equals(actual[i]), $"{context}: element {i} expected {expected[i]}, got {actual[i]}.");
        }
    }

    private static class Pass<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Check(
            double[] x, int k, int[] targets, double[] q, double[] lossGradients, double[] entropyGradients, LossOptions o, bool classIndex,
            OptionsOracle.Rows expected, string context, out double[] gradientOut, out double[] backwardOut, out double[] lseOut)
        {
            bool isFloat = TestNumbers.IsFloat<T>();
            int n = x.Length / k;
            CrossEntropyLoss<T> loss = o.For<T>(k);
            T[] logits = TestNumbers.To<T>(x);
            T[] probabilities = TestNumbers.To<T>(q);
            T[] losses = TestNumbers.Poisoned<T>(n);
            T[] lse = TestNumbers.Poisoned<T>(n);
            T[] entropy = TestNumbers.Poisoned<T>(n);
            int[] predictions = Enumerable.Repeat(-1, n).ToArray();
            if (classIndex)
            {
                loss.Forward(logits, targets, losses, lse, entropy, predictions);
            }
            else
            {
                loss.Forward(logits, probabilities, losses, lse, entropy, predictions);
            }

            Tolerance.Close(expected.Losses, TestNumbers.ToDouble<T>(losses), isFloat, Quantity.Other, $"{context} losses");
            Tolerance.Close(expected.LogSumExp, TestNumbers.ToDouble<T>(lse), isFloat, Quantity.Other, $"{context} logSumExp");
            Tolerance.Close(expected.Entropy, TestNumbers.ToDouble<T>(entropy), isFloat, Quantity.Other, $"{context} entropy");
            SameValues(OutputsOracle.ArgMax(x, k), predictions, $"{context} predictions");

            T[] gradient = TestNumbers.Poisoned<T>(x.Length);
            T[] fusedLosses = TestNumbers.Poisoned<T>(n);
            T total = classIndex
                ? loss.ForwardBackward(logits, targets, gradient, fusedLosses)
                : loss.ForwardBackward(logits, probabilities, gradient, fusedLosses);
            Tolerance.Close([expected.Loss], [double.CreateTruncating(total)], isFloat, Quantity.Other, $"{context} ForwardBackward loss");
            SameValues(losses, fusedLosses, $"{context} ForwardBackward's losses against Forward's");
            Assert.DoesNotContain(gradient, T.IsNaN);
            T[] meanOrSumGradient = (T[])gradient.Clone();

            T[] backward = TestNumbers.Poisoned<T>(x.Length);
            if (classIndex)
            {
                loss.Backward(logits, targets, lse, TestNumbers.To<T>(lossGradients), backward, TestNumbers.To<T>(entropyGradients));
            }
            else
            {
                loss.Backward(logits, probabilities, lse, TestNumbers.To<T>(lossGradients), backward, TestNumbers.To<T>(entropyGradients));
            }

            Assert.DoesNotContain(backward, T.IsNaN);

            // Row r's bits do not depend on the rows before it: the batch from row r on gives them again (summed, so
            // that the gradient's scale is the same).
            int r = n / 2;
            loss = (o with { Reduction = Reduction.Sum }).For<T>(k);
            if (classIndex)
            {
                loss.ForwardBackward(logits, targets, gradient, fusedLosses);
            }
            else
            {
                loss.ForwardBackward(logits, probabilities, gradient, fusedLosses);
            }

            T[] tailLosses = TestNumbers.Poisoned<T>(n - r);
            T[] tailEntropy = TestNumbers.Poisoned<T>(n - r);
            T[] tailGradient = TestNumbers.Poisoned<T>((n - r) * k);
            if (classIndex)
            {
                loss.ForwardBackward(logits.AsSpan(r * k), targets.AsSpan(r), tailGradient, tailLosses, default, tailEntropy);
            }
            else
            {
                loss.ForwardBackward(logits.AsSpan(r * k), probabilities.AsSpan(r * k), tailGradient, tailLosses, default, tailEntropy);
            }

            SameValues(losses.AsSpan(r).ToArray(), tailLosses, $"{context} losses from row {r}");
            SameValues(entropy.AsSpan(r).ToArray(), tailEntropy, $"{context} entropy from row {r}");
            SameValues(gradient.AsSpan(r * k).ToArray(), tailGradient, $"{context} gradient from row {r}");
            gradientOut = TestNumbers.ToDouble<T>(meanOrSumGradient);
            backwardOut = TestNumbers.ToDouble<T>(backward);
            lseOut = TestNumbers.ToDouble<T>(lse);
        }
    }
}
