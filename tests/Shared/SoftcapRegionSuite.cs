using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Xunit.Sdk;

namespace LsrGen.Tests;

/// <summary>
/// Soft-capped losses where most logits lie far past the cap (standard deviation 0.5 c to 20 c, rows at +-1e4, exact
/// zeros), where tanh saturates and dz/dx = sech^2(x / c) is tiny: every CrossEntropyLoss member (reduced and per-row
/// Forward, ForwardBackward in and out of place, Backward from upstream gradients of 1e-3 to 10), the Half forms, and
/// the sharded forms on 1 to 3 shards, against <see cref="TrainingOracle"/>. The factors (K, cap, spread, element type,
/// weights, smoothing, z-loss, targets, reduction, in place, shards, ignored rows) are covered pairwise.
/// Float within 1e-5 |ref| + 1e-6, double within 1e-12 |ref| + 1e-13; Backward is checked at the log-sum-exp it was
/// given (the oracle's, rounded to T), with the absolute floor times |upstream| above 1, and allowed what one ulp of z
/// moves its gradient by (see BackwardAllowance). Every gradient element is also checked relative to the magnitudes of
/// its parts (<see cref="TrainingOracle.BackwardParts"/>), which a slope that lost its digits fails however small it is.
/// Outputs start NaN-poisoned, so an element left unwritten fails.
/// </summary>
public static class SoftcapRegionSuite
{
    /// <summary>One combination of the factors.</summary>
    public sealed record Case(
        int Classes, double Cap, double Spread, Element Element, bool Weighted, double LabelSmoothing, double ZLossScale, bool Hard,
        Reduction Reduction, bool InPlace, int Shards, bool Ignored);

    /// <summary>The element type of the logits.</summary>
    public enum Element
    {
        Float,
        Double,

        /// <summary>Half logits through the float kernels (class-index targets only).</summary>
        Half,
    }

    private static readonly object[][] Factors =
    [
        [1, 2, 3, 10, 17, 32, 33, 100, 1000, 32000],
        [0.5, 1.0, 5.0, 30.0],
        [0.5, 2.0, 5.0, 20.0],
        [Element.Float, Element.Double, Element.Half],
        [false, true],
        [0.0, 0.1, 1.0],
        [0.0, 0.1],
        [true, false],
        [Reduction.Mean, Reduction.Sum],
        [false, true],
        [1, 2, 3],
        [false, true],
    ];

    /// <summary>Gets the cases: every pair of factor values in at least one of them.</summary>
    public static IReadOnlyList<Case> Cases { get; } = Pairwise();

    /// <summary>Gets the case indices for xunit.</summary>
    public static IEnumerable<object[]> Indices => Enumerable.Range(0, Cases.Count).Select(i => new object[] { i });

    /// <summary>Runs one case.</summary>
    /// <param name="index">Its index in <see cref="Cases"/>.</param>
    /// <param name="expectSpecialized">Whether a generated kernel serves its K in this test assembly.</param>
    public static void Check(int index, bool expectSpecialized)
    {
        Case c = Cases[index];
        if (c.Element == Element.Double)
        {
            Run<double>(c, index, expectSpecialized);
        }
        else
        {
            Run<float>(c, index, expectSpecialized);
        }
    }

    private static void Run<T>(Case c, int index, bool expectSpecialized)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = c.Classes;
        int n = k <= 33 ? 37 : k <= 100 ? 19 : k <= 1000 ? 6 : 3;
        Random random = RandomData.For(index, k, 27);
        string context = $"case {index} {c}, seed {RandomData.RunSeed}";

        double[] x = Logits(random, n, k, c.Cap, c.Spread);
        Half[] half = c.Element == Element.Half ? Array.ConvertAll(x, v => (Half)v) : [];
        T[] logits = c.Element == Element.Half ? Array.ConvertAll(half, h => T.CreateTruncating((float)h)) : TestNumbers.To<T>(x);
        double[] exact = TestNumbers.ToDouble<T>(logits);
        int[] targets = RandomData.Targets(random, n, k, withIgnored: c.Ignored && c.Hard, ignoreIndex: -100);
        targets[0] = random.Next(k); // Mean needs a row that counts
        double[] q = TestNumbers.RoundTrip<T>(RandomData.Probabilities(random, n, k));
        double[]? weight = c.Weighted ? TestNumbers.RoundTrip<T>(RandomData.Weights(random, k)) : null;
        double[] upstream = TestNumbers.RoundTrip<T>(Upstream(random, n));
        var options = new TrainingOracle.Options(k, double.CreateTruncating(T.CreateTruncating(c.LabelSmoothing)), weight, double.CreateTruncating(T.CreateTruncating(c.ZLossScale)), c.Cap, -100, c.Reduction);
        var loss = new CrossEntropyLoss<T>(k)
        {
            LabelSmoothing = T.CreateTruncating(c.LabelSmoothing), Weight = weight is null ? default(ReadOnlyMemory<T>) : TestNumbers.To<T>(weight),
            ZLossScale = T.CreateTruncating(c.ZLossScale), Softcap = T.CreateTruncating(c.Cap), Reduction = c.Reduction,
        };
        if (loss.IsSpecialized != expectSpecialized)
        {
            throw new XunitException($"{context}: IsSpecialized is {loss.IsSpecialized}, expected {expectSpecialized}.");
        }

        T[] probabilities = TestNumbers.To<T>(q);
        TrainingOracle.Result expected = c.Hard ? TrainingOracle.Hard(exact, targets, options) : TrainingOracle.Soft(exact, q, options);

        // Forward: reduced, and per row with log-sum-exp.
        T reduced = c.Hard ? loss.Forward(logits, targets) : loss.Forward(logits, probabilities);
        Near(expected.Loss, reduced, $"Forward, {context}");
        T[] losses = TestNumbers.Poisoned<T>(n), lse = TestNumbers.Poisoned<T>(n);
        if (c.Hard)
        {
            loss.Forward(logits, targets, losses, lse);
        }
        else
        {
            loss.Forward(logits, probabilities, losses, lse);
        }

        Near(expected.Losses, losses, $"Forward losses, {context}");
        Near(expected.LogSumExp, lse, $"Forward logSumExp, {context}");

        // ForwardBackward.
        T[] gradient = c.InPlace ? (T[])logits.Clone() : TestNumbers.Poisoned<T>(logits.Length);
        ReadOnlySpan<T> input = c.InPlace ? gradient : logits;
        T fused = c.Hard ? loss.ForwardBackward(input, targets, gradient) : loss.ForwardBackward(input, probabilities, gradient);
        Near(expected.Loss, fused, $"ForwardBackward loss, {context}");
        Near(expected.Gradient, gradient, $"ForwardBackward gradient, {context}");
        Termwise(expected.Gradient, gradient, TrainingOracle.BackwardParts(exact, c.Hard ? targets : null, q, expected.LogSumExp, Enumerable.Repeat(expected.Scale, n).ToArray(), options), $"ForwardBackward gradient, {context}");

        // Backward at the oracle's log-sum-exp rounded to T.
        T[] givenLse = TestNumbers.To<T>(expected.LogSumExp);
        double[] given = TestNumbers.ToDouble<T>(givenLse);
        T[] up = TestNumbers.To<T>(upstream);
        double[] expectedBackward = c.Hard
            ? TrainingOracle.ClassIndexBackward(exact, targets, given, upstream, options)
            : TrainingOracle.ProbabilityBackward(exact, q, given, upstream, options);
        (double[] PPart, double[] Others) parts = TrainingOracle.BackwardParts(exact, c.Hard ? targets : null, q, given, upstream, options);
        double[] allowance = BackwardAllowance<T>(exact, parts.PPart, upstream, options);
        T[] backward = c.InPlace ? (T[])logits.Clone() : TestNumbers.Poisoned<T>(logits.Length);
        input = c.InPlace ? backward : logits;
        if (c.Hard)
        {
            loss.Backward(input, targets, givenLse, up, backward);
        }
        else
        {
            loss.Backward(input, probabilities, givenLse, up, backward);
        }

        Near(expectedBackward, backward, $"Backward, {context}", allowance);
        Termwise(expectedBackward, backward, parts, $"Backward, {context}");

        if (c.Element == Element.Half)
        {
            HalfFormsMatchFloat(
                As<CrossEntropyLoss<float>>(loss), half, targets, As<float>(reduced), As<float[]>(losses), As<float[]>(lse), As<float[]>(gradient),
                As<float[]>(givenLse), As<float[]>(up), As<float[]>(backward), context);
        }

        Sharded(loss, c, logits, exact, targets, probabilities, q, upstream, options, expected, context);
    }

    // The Half forms give the float forms' results on the widened logits: float outputs bit for bit, Half gradients
    // rounded once.
    private static void HalfFormsMatchFloat(
        CrossEntropyLoss<float> loss, Half[] logits, int[] targets, float reduced, float[] losses, float[] lse, float[] gradient, float[] givenLse,
        float[] upstream, float[] backward, string context)
    {
        int n = targets.Length;
        Same(reduced, loss.Forward(logits, targets), $"Half Forward, {context}");
        float[] halfLosses = TestNumbers.Poisoned<float>(n), halfLse = TestNumbers.Poisoned<float>(n);
        loss.Forward(logits, targets, halfLosses, halfLse);
        for (int i = 0; i < n; i++)
        {
            Same(losses[i], halfLosses[i], $"Half Forward losses[{i}], {context}");
            Same(lse[i], halfLse[i], $"Half Forward logSumExp[{i}], {context}");
        }

        Half[] halfGradient = Enumerable.Repeat(Half.NaN, logits.Length).ToArray();
        loss.ForwardBackward(logits, targets, halfGradient);
        Half[] halfBackward = Enumerable.Repeat(Half.NaN, logits.Length).ToArray();
        loss.Backward(logits, targets, givenLse, upstream, halfBackward);
        for (int i = 0; i < logits.Length; i++)
        {
            Same((float)(Half)gradient[i], (float)halfGradient[i], $"Half ForwardBackward gradient[{i}], {context}");
            Same((float)(Half)backward[i], (float)halfBackward[i], $"Half Backward[{i}], {context}");
        }
    }

    // The rows split into c.Shards vocabulary shards: losses and log-sum-exp from the merged partials against the oracle,
    // and each shard's Backward slice against the oracle at the merged log-sum-exp.
    private static void Sharded<T>(
        CrossEntropyLoss<T> loss, Case c, T[] logits, double[] exact, int[] targets, T[] probabilities, double[] q, double[] upstream,
        TrainingOracle.Options options, TrainingOracle.Result expected, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = c.Classes, n = targets.Length, count = Math.Min(c.Shards, k);
        VocabShard[] shards = Enumerable.Range(0, count).Select(i => VocabShard.Split(k, count, i)).ToArray();
        ShardPartials[] merged = new ShardPartials[n];
        foreach (VocabShard shard in shards)
        {
            var partials = new ShardPartials[n];
            if (c.Hard)
            {
                loss.ForwardShard(ShardColumns.Of(logits, k, shard), shard, targets, partials);
            }
            else
            {
                loss.ForwardShard(ShardColumns.Of(logits, k, shard), shard, ShardColumns.Of(probabilities, k, shard), partials);
            }

            if (shard.Offset == 0)
            {
                partials.CopyTo(merged, 0);
            }
            else
            {
                ShardPartials.Merge(partials, merged);
            }
        }

        string shardContext = $"{count} shards, {context}";
        T[] losses = TestNumbers.Poisoned<T>(n), lse = TestNumbers.Poisoned<T>(n);
        if (c.Hard)
        {
            loss.ForwardFromPartials(merged, targets, losses, lse);
        }
        else
        {
            loss.ForwardFromPartials(merged, losses, lse);
        }

        Near(expected.Losses, losses, $"ForwardFromPartials losses, {shardContext}");
        Near(expected.LogSumExp, lse, $"ForwardFromPartials logSumExp, {shardContext}");

        // At the merged log-sum-exp as the shards use it, in T.
        double[] given = merged.Select(p => double.CreateTruncating(T.CreateTruncating(p.LogSumExp))).ToArray();
        double[] expectedGradient = c.Hard
            ? TrainingOracle.ClassIndexBackward(exact, targets, given, upstream, options)
            : TrainingOracle.ProbabilityBackward(exact, q, given, upstream, options);
        (double[] PPart, double[] Others) parts = TrainingOracle.BackwardParts(exact, c.Hard ? targets : null, q, given, upstream, options);
        double[] allowance = BackwardAllowance<T>(exact, parts.PPart, upstream, options);
        T[] up = TestNumbers.To<T>(upstream);
        foreach (VocabShard shard in shards)
        {
            T[] local = ShardColumns.Of(logits, k, shard);
            T[] slice = c.InPlace ? local : TestNumbers.Poisoned<T>(local.Length);
            if (c.Hard)
            {
                loss.BackwardShard(local, shard, targets, merged, up, slice);
            }
            else
            {
                loss.BackwardShard(local, shard, ShardColumns.Of(probabilities, k, shard), merged, up, slice);
            }

            Near(ShardColumns.Of(expectedGradient, k, shard), slice, $"BackwardShard {shard}, {shardContext}", ShardColumns.Of(allowance, k, shard));
            Termwise(ShardColumns.Of(expectedGradient, k, shard), slice, (ShardColumns.Of(parts.PPart, k, shard), ShardColumns.Of(parts.Others, k, shard)), $"BackwardShard {shard}, {shardContext}");
        }
    }

    // Normal(0, spread * c) logits; row 1 at +-1e4; about 3% exact zeros.
    private static double[] Logits(Random random, int rows, int classes, double cap, double spread)
    {
        double[] x = RandomData.Normal(random, rows * classes, spread * cap);
        for (int i = 0; i < x.Length; i++)
        {
            if (rows > 1 && i / classes == 1)
            {
                x[i] = random.Next(2) == 0 ? 1e4 : -1e4;
            }
            else if (random.NextDouble() < 0.03)
            {
                x[i] = 0;
            }
        }

        return x;
    }

    // Upstream gradients: normal(0, 1), a quarter of them +-1e-3 and a quarter +-10.
    private static double[] Upstream(Random random, int rows)
    {
        double[] up = RandomData.Normal(random, rows, 1);
        for (int i = 0; i < rows; i++)
        {
            double sign = random.Next(2) == 0 ? 1 : -1;
            up[i] = random.Next(4) switch { 0 => sign * 1e-3, 1 => sign * 10, _ => up[i] };
        }

        return up;
    }

    // Backward's output is upstream * g: section 6's bound holds for g, so its absolute floor scales with |upstream|
    // above 1 (float's exp alone is off by 1-2 ulp at p = 1, so (p_t - 1) * 10 misses 1e-6 in any float Backward, capped
    // or not). On top, what one ulp of z moves the gradient by: a kernel holds z in T (within an ulp under a soft-cap),
    // and near a cap of 30 a float ulp of z moves p by 2e-6, which no Backward in T undoes where p_t - 1 cancels (a
    // confident row); this is to z what checking at the log-sum-exp rounded to T is to the lse.
    private static double[] BackwardAllowance<T>(double[] x, double[] pPart, double[] upstream, TrainingOracle.Options options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double floor = typeof(T) == typeof(float) ? 1e-6 : 1e-13;
        var allowance = new double[x.Length];
        for (int i = 0; i < allowance.Length; i++)
        {
            allowance[i] = (Math.Abs(pPart[i]) * Ulp<T>(TrainingOracle.Z(x[i], options))) + ((Math.Max(1, Math.Abs(upstream[i / options.Classes])) - 1) * floor);
        }

        return allowance;
    }

    // Each gradient element relative to its parts' magnitudes (TrainingOracle.BackwardParts): the check that a tiny
    // slope sech^2(x / c) keeps its digits. The parts' own errors stay below 1e-5 (p within an ulp of z: 2e-6 relative
    // at a cap of 30, 8e-6 for the fused pass's z within 4 ulp; the slope's exp 3e-6 at 20 c), where a slope taken as
    // 1 - (z / c)^2 from a float z is off by 1e-3 at 5 c and by 100% from 8 c on.
    private static void Termwise<T>(double[] expected, T[] actual, (double[] PPart, double[] Others) parts, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool isFloat = typeof(T) == typeof(float);
        for (int i = 0; i < expected.Length; i++)
        {
            double got = double.CreateTruncating(actual[i]);
            double bound = ((isFloat ? 5e-5 : 1e-11) * (Math.Abs(parts.PPart[i]) + Math.Abs(parts.Others[i]))) + (isFloat ? 1e-35 : 1e-300);
            if (!(Math.Abs(got - expected[i]) <= bound))
            {
                throw new XunitException($"[{i}] {context}: expected {expected[i]:R}, got {got:R} (bound {bound:G3} from its parts {parts.PPart[i]:G6} and {parts.Others[i]:G6}).");
            }
        }
    }

    // One ulp of T at |value|.
    private static double Ulp<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T magnitude = T.Abs(T.CreateTruncating(value));
        return double.CreateTruncating(T.BitIncrement(magnitude) - magnitude);
    }

    // T is float wherever this is called.
    private static TTo As<TTo>(object value) => (TTo)value;

    private static void Near<T>(double[] expected, T[] actual, string context, double[]? allowance = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Near(expected[i], actual[i], $"[{i}] {context}", allowance is null ? 0 : allowance[i]);
        }
    }

    private static void Near<T>(double expected, T actual, string context, double allowance = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double got = double.CreateTruncating(actual);
        double bound = (typeof(T) == typeof(float) ? (1e-5 * Math.Abs(expected)) + 1e-6 : (1e-12 * Math.Abs(expected)) + 1e-13) + allowance;
        if (!(Math.Abs(got - expected) <= bound))
        {
            throw new XunitException($"{context}: expected {expected:R}, got {got:R} (bound {bound:G3}).");
        }
    }

    private static void Same(float expected, float actual, string context)
    {
        if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(actual) && !(float.IsNaN(expected) && float.IsNaN(actual)))
        {
            throw new XunitException($"{context}: expected {expected:R} (the float form's), got {actual:R}.");
        }
    }

    // Greedy pairwise cover (AETG): each new case starts from a pair not yet covered and fills the other factors with
    // the values that cover the most uncovered pairs among a few random tries. Deterministic, so the cases keep their
    // indices from run to run; the data in them is drawn fresh.
    private static List<Case> Pairwise()
    {
        int f = Factors.Length;
        var uncovered = new HashSet<(int, int, int, int)>();
        for (int a = 0; a < f; a++)
        {
            for (int b = a + 1; b < f; b++)
            {
                for (int va = 0; va < Factors[a].Length; va++)
                {
                    for (int vb = 0; vb < Factors[b].Length; vb++)
                    {
                        if (Allowed(a, va, b, vb))
                        {
                            uncovered.Add((a, va, b, vb));
                        }
                    }
                }
            }
        }

        var random = new Random(2027);
        var cases = new List<Case>();
        while (uncovered.Count > 0)
        {
            (int fa, int va0, int fb, int vb0) = uncovered.First();
            int[] best = [];
            int bestGain = -1;
            for (int attempt = 0; attempt < 40; attempt++)
            {
                int[] values = Enumerable.Range(0, f).Select(i => random.Next(Factors[i].Length)).ToArray();
                values[fa] = va0;
                values[fb] = vb0;
                if (!Valid(values))
                {
                    continue;
                }

                int gain = Gain(values, uncovered);
                if (gain > bestGain)
                {
                    (best, bestGain) = (values, gain);
                }
            }

            if (bestGain < 0)
            {
                uncovered.Remove((fa, va0, fb, vb0));
                continue;
            }

            for (int a = 0; a < f; a++)
            {
                for (int b = a + 1; b < f; b++)
                {
                    uncovered.Remove((a, best[a], b, best[b]));
                }
            }

            cases.Add(new Case(
                (int)Factors[0][best[0]], (double)Factors[1][best[1]], (double)Factors[2][best[2]], (Element)Factors[3][best[3]], (bool)Factors[4][best[4]],
                (double)Factors[5][best[5]], (double)Factors[6][best[6]], (bool)Factors[7][best[7]], (Reduction)Factors[8][best[8]], (bool)Factors[9][best[9]],
                (int)Factors[10][best[10]], (bool)Factors[11][best[11]]));
        }

        return cases;
    }

    private static int Gain(int[] values, HashSet<(int, int, int, int)> uncovered)
    {
        int gain = 0;
        for (int a = 0; a < values.Length; a++)
        {
            for (int b = a + 1; b < values.Length; b++)
            {
                gain += uncovered.Contains((a, values[a], b, values[b])) ? 1 : 0;
            }
        }

        return gain;
    }

    // Half logits have class-index forms only.
    private static bool Allowed(int a, int va, int b, int vb)
        => !(a == 3 && b == 7 && (Element)Factors[3][va] == Element.Half && !(bool)Factors[7][vb]);

    private static bool Valid(int[] values) => Allowed(3, values[3], 7, values[7]);
}
