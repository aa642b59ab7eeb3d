using System;
using System.Numerics;

namespace LsrGen.Tests;

/// <summary>
/// Runs every operation of an <see cref="ILsrApi{T}"/> on given inputs into NaN-poisoned outputs and compares each
/// result with the double <see cref="Oracle"/> within docs/semantics.md section 5. Inputs are doubles already representable in T.
/// </summary>
public static class CorrectnessSuite<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static bool IsFloat => TestNumbers.IsFloat<T>();

    public static void Probabilities(ILsrApi<T> api, double[] x, int k, string context)
    {
        T[] logits = TestNumbers.To<T>(x);
        T[] logp = TestNumbers.Poisoned<T>(x.Length);
        api.LogSoftmax(logits, k, logp);
        Tolerance.Close(Oracle.LogSoftmax(x, k), TestNumbers.ToDouble<T>(logp), IsFloat, Quantity.Other, $"{api.Name} LogSoftmax {context}");

        T[] p = TestNumbers.Poisoned<T>(x.Length);
        api.Softmax(logits, k, p);
        Tolerance.Close(Oracle.Softmax(x, k), TestNumbers.ToDouble<T>(p), IsFloat, Quantity.Probability, $"{api.Name} Softmax {context}");

        // In place must give the very same values as separate buffers.
        T[] inPlace = (T[])logits.Clone();
        api.LogSoftmax(inPlace, k, inPlace);
        AssertBitIdentical(logp, inPlace, $"{api.Name} LogSoftmax in place {context}");
        inPlace = (T[])logits.Clone();
        api.Softmax(inPlace, k, inPlace);
        AssertBitIdentical(p, inPlace, $"{api.Name} Softmax in place {context}");
    }

    public static void Hard(
        ILsrApi<T> api, double[] x, int k, int[] targets, double eps, Reduction? reduction, int ignoreIndex, double[]? weight, string context)
    {
        T[] logits = TestNumbers.To<T>(x);
        T[] w = weight is null ? [] : TestNumbers.To<T>(weight);
        T epsT = T.CreateTruncating(eps);
        double epsSeen = double.CreateTruncating(epsT);
        Quantity lossQuantity = k > 32768 ? Quantity.WideLoss : Quantity.Other;
        Oracle.Result expected = Oracle.Hard(x, k, targets, epsSeen, reduction, ignoreIndex, weight);
        string where = $"{api.Name} hard {context}";

        T[] losses = TestNumbers.Poisoned<T>(targets.Length);
        api.CrossEntropy(logits, k, targets, losses, epsT, ignoreIndex, w);
        Tolerance.Close(expected.Losses, TestNumbers.ToDouble<T>(losses), IsFloat, lossQuantity, $"{where} losses");

        Reduction gradientReduction = reduction ?? Reduction.Sum;
        if (reduction is { } r)
        {
            T loss = api.CrossEntropy(logits, k, targets, epsT, r, ignoreIndex, w);
            Tolerance.Close(expected.Loss, double.CreateTruncating(loss), IsFloat, lossQuantity, $"{where} loss");
        }

        Oracle.Result forGradient = reduction is null ? Oracle.Hard(x, k, targets, epsSeen, Reduction.Sum, ignoreIndex, weight) : expected;
        T[] gradient = TestNumbers.Poisoned<T>(x.Length);
        T fusedLoss = api.CrossEntropyWithGradient(logits, k, targets, gradient, epsT, gradientReduction, ignoreIndex, w);
        Tolerance.Close(forGradient.Loss, double.CreateTruncating(fusedLoss), IsFloat, lossQuantity, $"{where} fused loss");
        Tolerance.Close(forGradient.Gradient, TestNumbers.ToDouble<T>(gradient), IsFloat, Quantity.Other, $"{where} gradient");

        T[] inPlace = (T[])logits.Clone();
        T inPlaceLoss = api.CrossEntropyWithGradient(inPlace, k, targets, inPlace, epsT, gradientReduction, ignoreIndex, w);
        AssertBitIdentical(gradient, inPlace, $"{where} gradient in place");
        AssertBitIdentical([fusedLoss], [inPlaceLoss], $"{where} fused loss in place");

        T[] picked = TestNumbers.Poisoned<T>(targets.Length);
        api.GatherTargets(logits, k, targets, picked, ignoreIndex);
        for (int i = 0; i < targets.Length; i++)
        {
            T want = targets[i] == ignoreIndex ? T.Zero : logits[(i * k) + targets[i]];
            if (!want.Equals(picked[i]))
            {
                throw new Xunit.Sdk.XunitException($"{api.Name} GatherTargets {context}: row {i} expected {want}, got {picked[i]}.");
            }
        }
    }

    public static void Soft(ILsrApi<T> api, double[] x, int k, double[] q, double eps, Reduction? reduction, double[]? weight, string context)
    {
        T[] logits = TestNumbers.To<T>(x);
        T[] probabilities = TestNumbers.To<T>(q);
        double[] qSeen = TestNumbers.ToDouble<T>(probabilities);
        T[] w = weight is null ? [] : TestNumbers.To<T>(weight);
        T epsT = T.CreateTruncating(eps);
        double epsSeen = double.CreateTruncating(epsT);
        Quantity lossQuantity = k > 32768 ? Quantity.WideLoss : Quantity.Other;
        Oracle.Result expected = Oracle.Soft(x, k, qSeen, epsSeen, reduction, weight);
        string where = $"{api.Name} soft {context}";

        T[] losses = TestNumbers.Poisoned<T>(x.Length / k);
        api.CrossEntropy(logits, k, probabilities, losses, epsT, w);
        Tolerance.Close(expected.Losses, TestNumbers.ToDouble<T>(losses), IsFloat, lossQuantity, $"{where} losses");

        Reduction gradientReduction = reduction ?? Reduction.Sum;
        if (reduction is { } r)
        {
            T loss = api.CrossEntropy(logits, k, probabilities, epsT, r, w);
            Tolerance.Close(expected.Loss, double.CreateTruncating(loss), IsFloat, lossQuantity, $"{where} loss");
        }

        Oracle.Result forGradient = reduction is null ? Oracle.Soft(x, k, qSeen, epsSeen, Reduction.Sum, weight) : expected;
        T[] gradient = TestNumbers.Poisoned<T>(x.Length);
        T fusedLoss = api.CrossEntropyWithGradient(logits, k, probabilities, gradient, epsT, gradientReduction, w);
        Tolerance.Close(forGradient.Loss, double.CreateTruncating(fusedLoss), IsFloat, lossQuantity, $"{where} fused loss");
        Tolerance.Close(forGradient.Gradient, TestNumbers.ToDouble<T>(gradient), IsFloat, Quantity.Other, $"{where} gradient");

        T[] inPlace = (T[])logits.Clone();
        api.CrossEntropyWithGradient(inPlace, k, probabilities, inPlace, epsT, gradientReduction, w);
        AssertBitIdentical(gradient, inPlace, $"{where} gradient in place");
    }

    /// <summary>The randomised matrix for one (K, N): every smoothing, reduction, weight and ignore combination.</summary>
    public static void RandomMatrix(ILsrApi<T> api, int k, int n, int seedSalt)
    {
        Random random = RandomData.For(k, n, seedSalt, IsFloat ? 1 : 2);
        double[] x = TestNumbers.RoundTrip<T>(RandomData.Normal(random, n * k, 3));
        string basis = $"K={k} N={n} seed={RandomData.RunSeed}";
        Probabilities(api, x, k, basis);
        OutputsSuite<T>.Backwards(api, x, k, random, basis);
        OutputsSuite<T>.ArgMax(api, x, k, basis);
        OutputsSuite<T>.ArgMaxSpecials(api, k, n, random, basis);

        double[] weight = TestNumbers.RoundTrip<T>(RandomData.Weights(random, k));
        double[] q = RandomData.Probabilities(random, n, k);
        foreach (double eps in new[] { 0.0, 0.1, 1.0 })
        {
            foreach (Reduction? reduction in new Reduction?[] { Reduction.Mean, Reduction.Sum, null })
            {
                foreach (bool weighted in new[] { false, true })
                {
                    double[]? w = weighted ? weight : null;
                    // No ignored rows; some rows at -100; and ignoreIndex 0, a real class.
                    foreach ((bool withIgnored, int ignoreIndex) in new[] { (false, -100), (true, -100), (true, 0) })
                    {
                        int[] targets = ignoreIndex == 0
                            ? RandomData.Targets(random, n, k, withIgnored: false, -100)
                            : RandomData.Targets(random, n, k, withIgnored, ignoreIndex);
                        string context = $"{basis} eps={eps} reduction={reduction?.ToString() ?? "none"} weighted={weighted} ignore={ignoreIndex}/{withIgnored}";
                        Hard(api, x, k, targets, eps, reduction, ignoreIndex, w, context);
                    }

                    Soft(api, x, k, q, eps, reduction, w, $"{basis} eps={eps} reduction={reduction?.ToString() ?? "none"} weighted={weighted}");
                }
            }
        }
    }

    public static void AssertBitIdentical(T[] expected, T[] actual, string context)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i]))
            {
                throw new Xunit.Sdk.XunitException($"{context}: element {i} differs: {expected[i]} vs {actual[i]}.");
            }
        }
    }
}
