using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// Vocabulary-sharded cross-entropy in one process: K split into S = 1, 2, 3 and 7 uneven shards, partials merged in
/// several orders (left to right, right to left, a tree, and MPI's MAX-then-SUM), against the unsharded loss in double
/// (the float64 reference): losses, log-sum-exp, entropy, the reduced loss and every gradient slice within the accuracy
/// bounds, with every option (a temperature, an entropy bonus and entropy gradients included) or none.
/// </summary>
public class ShardedTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (int classes in new[] { 10, 1000, 50257 })
        {
            foreach (bool hard in new[] { true, false })
            {
                foreach (bool options in new[] { false, true })
                {
                    yield return [classes, hard, options];
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sharded_float_matches_the_unsharded_loss(int classes, bool hard, bool options) => Suite<float>.MatchesUnsharded(classes, hard, options);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sharded_double_matches_the_unsharded_loss(int classes, bool hard, bool options) => Suite<double>.MatchesUnsharded(classes, hard, options);

    [Fact]
    public void Split_covers_K_in_order()
    {
        for (int count = 1; count <= 7; count++)
        {
            int next = 0;
            for (int i = 0; i < count; i++)
            {
                VocabShard shard = VocabShard.Split(50257, count, i);
                Assert.Equal(next, shard.Offset);
                next += shard.Classes;
            }

            Assert.Equal(50257, next);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => VocabShard.Split(3, 4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => VocabShard.Split(3, 2, 2));
    }

    [Fact]
    public void Bad_shards_and_bad_merges_are_rejected_before_writing()
    {
        var loss = new CrossEntropyLoss<float>(10) { LabelSmoothing = 0.1f };
        float[] logits = new float[2 * 4];
        int[] targets = [1, 8];
        var partials = new ShardPartials[2];
        Assert.Equal("shard", Assert.Throws<ArgumentOutOfRangeException>(() => loss.ForwardShard(logits, new VocabShard(-1, 4), targets, partials)).ParamName);
        Assert.Equal("shard", Assert.Throws<ArgumentOutOfRangeException>(() => loss.ForwardShard(logits, new VocabShard(7, 4), targets, partials)).ParamName);
        Assert.Equal("shard", Assert.Throws<ArgumentOutOfRangeException>(() => loss.ForwardShard(logits, new VocabShard(0, 0), targets, partials)).ParamName);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => loss.ForwardShard(logits, new VocabShard(0, 3), targets, partials)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.ForwardShard(logits, new VocabShard(0, 4), [1, 10], partials));

        // Shards [0, 4), [4, 7), [7, 10): leaving one out is a gap, merging one twice an overlap.
        ShardPartials[] Of(VocabShard shard)
        {
            var result = new ShardPartials[2];
            loss.ForwardShard(new float[2 * shard.Classes], shard, targets, result);
            return result;
        }

        ShardPartials[] a = Of(new VocabShard(0, 4)), b = Of(new VocabShard(4, 3)), c = Of(new VocabShard(7, 3));
        float[] losses = [float.NaN, float.NaN], lse = [float.NaN, float.NaN];
        ShardPartials[] gap = Merged(a, b);
        var gapError = Assert.Throws<ArgumentException>(() => loss.ForwardFromPartials(gap, targets, losses, lse));
        Assert.Equal("partials", gapError.ParamName);
        Assert.Contains("cover 7 of the 10 classes", gapError.Message);
        ShardPartials[] overlap = Merged(Merged(a, b), Merged(c, c));
        Assert.Contains("cover 13 of the 10", Assert.Throws<ArgumentException>(() => loss.ForwardFromPartials(overlap, targets)).Message);
        float[] gradient = [float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN, float.NaN];
        Assert.Throws<ArgumentException>(() => loss.BackwardShard(new float[8], new VocabShard(0, 4), targets, gap, [1f, 1f], gradient));
        Assert.All(losses, v => Assert.True(float.IsNaN(v)));
        Assert.All(gradient, v => Assert.True(float.IsNaN(v)));

        // The same three shards merged once each: accepted, and the uniform row's loss is ln(10).
        ShardPartials[] all = Merged(Merged(a, b), c);
        loss.ForwardFromPartials(all, targets, losses, lse);
        Assert.Equal(MathF.Log(10), losses[0], 5);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_gradient_slice_in_place_has_the_out_of_place_bits(bool hard)
    {
        const int classes = 300, rows = 7;
        var loss = new CrossEntropyLoss<float>(classes) { LabelSmoothing = 0.1f, ZLossScale = 1e-3f, Softcap = 20, IgnoreIndex = 3 };
        Random random = RandomData.For(classes, rows, 91);
        float[] full = Array.ConvertAll(RandomData.Normal(random, rows * classes, 3), v => (float)v);
        float[] q = Array.ConvertAll(RandomData.Probabilities(random, rows, classes), v => (float)v);
        int[] targets = [5, 3, 299, 120, 0, 150, 3];
        float[] upstream = [0.5f, 1, -2, 0.25f, 1, 3, 1];
        var merged = new ShardPartials[rows];
        var shards = new[] { new VocabShard(0, 120), new VocabShard(120, 31), new VocabShard(151, 149) };
        foreach (VocabShard shard in shards)
        {
            var partials = new ShardPartials[rows];
            float[] local = ShardColumns.Of(full, classes, shard);
            if (hard)
            {
                loss.ForwardShard(local, shard, targets, partials);
            }
            else
            {
                loss.ForwardShard(local, shard, ShardColumns.Of(q, classes, shard), partials);
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

        foreach (VocabShard shard in shards)
        {
            float[] local = ShardColumns.Of(full, classes, shard);
            float[] separate = new float[local.Length];
            float[] inPlace = (float[])local.Clone();
            if (hard)
            {
                loss.BackwardShard(local, shard, targets, merged, upstream, separate);
                loss.BackwardShard(inPlace, shard, targets, merged, upstream, inPlace);
            }
            else
            {
                float[] localQ = ShardColumns.Of(q, classes, shard);
                loss.BackwardShard(local, shard, localQ, merged, upstream, separate);
                loss.BackwardShard(inPlace, shard, localQ, merged, upstream, inPlace);
            }

            TensorSpanSuite<float>.AssertSameBits(separate, inPlace, $"shard {shard}, {(hard ? "class index" : "probabilities")}");
            if (hard)
            {
                // Rows 1 and 6 are ignored (target 3 is the ignore index): zero gradient in every shard.
                Assert.All(separate.AsSpan(1 * shard.Classes, shard.Classes).ToArray(), v => Assert.Equal(0f, v));
            }
        }
    }

    [Fact]
    public void Sharded_passes_allocate_nothing()
    {
        const int classes = 1000, rows = 16;
        var loss = new CrossEntropyLoss<float>(classes) { LabelSmoothing = 0.1f, Weight = new float[classes].Select(_ => 1f).ToArray() };
        var shard = new VocabShard(250, 500);
        float[] logits = new float[rows * shard.Classes], q = new float[rows * shard.Classes], gradient = new float[rows * shard.Classes];
        float[] losses = new float[rows], lse = new float[rows], upstream = new float[rows];
        int[] targets = new int[rows];
        var partials = new ShardPartials[rows];
        var merged = new ShardPartials[rows];

        void All()
        {
            loss.ForwardShard(logits, shard, targets, partials);
            for (int i = 0; i < rows; i++)
            {
                merged[i] = ShardPartials.Merge(partials[i], partials[i]) with { ClassCount = classes, TargetCount = 1 };
            }

            loss.ForwardFromPartials(merged, targets, losses, lse);
            loss.ForwardFromPartials(merged, targets);
            loss.BackwardShard(logits, shard, targets, merged, upstream, gradient);
            loss.ForwardShard(logits, shard, q, partials);
            loss.ForwardFromPartials(merged, losses, lse);
            loss.BackwardShard(logits, shard, q, merged, upstream, gradient);
        }

        Assert.Equal(0, Allocations.Least(All));
    }

    private static ShardPartials[] Merged(ShardPartials[] left, ShardPartials[] right)
    {
        var result = (ShardPartials[])left.Clone();
        ShardPartials.Merge(right, result);
        return result;
    }

    private static class Suite<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void MatchesUnsharded(int classes, bool hard, bool options)
        {
            int rows = classes <= 10 ? 40 : classes <= 1000 ? 9 : 3;
            Random random = RandomData.For(classes, rows, hard ? 1 : 2, options ? 3 : 4, typeof(T) == typeof(float) ? 5 : 6);
            double[] x = RandomData.Normal(random, rows * classes, 4);
            x[0] = 60; // a row whose target (class 0 below) holds almost all the mass: the per-row accuracy rule
            int[] targets = RandomData.Targets(random, rows, classes, withIgnored: options, ignoreIndex: -100);
            targets[0] = 0;
            double[] q = RandomData.Probabilities(random, rows, classes);
            double[] upstream = RandomData.Normal(random, rows, 1);
            double[]? weight = options ? RandomData.Weights(random, classes) : null;
            var reference = new CrossEntropyLoss<double>(classes)
            {
                LabelSmoothing = options ? 0.1 : 0, Weight = weight, ZLossScale = options ? 1e-3 : 0, Softcap = options ? 30 : 0,
                Reduction = options ? Reduction.Sum : Reduction.Mean, Temperature = options ? 0.7 : 1, EntropyScale = options ? 0.1 : 0,
            };
            var loss = new CrossEntropyLoss<T>(classes)
            {
                LabelSmoothing = T.CreateTruncating(reference.LabelSmoothing), Weight = weight is null ? default(ReadOnlyMemory<T>) : Convert(weight),
                ZLossScale = T.CreateTruncating(reference.ZLossScale), Softcap = T.CreateTruncating(reference.Softcap), Reduction = reference.Reduction,
                Temperature = T.CreateTruncating(reference.Temperature), EntropyScale = T.CreateTruncating(reference.EntropyScale),
            };
            double[]? entropyUpstream = options ? RandomData.Normal(random, rows, 1) : null;

            // The reference sees the very values the sharded loss sees.
            T[] logits = Convert(x);
            T[] probabilities = Convert(q);
            double[] exactLogits = Array.ConvertAll(logits, v => double.CreateTruncating(v));
            double[] exactProbabilities = Array.ConvertAll(probabilities, v => double.CreateTruncating(v));
            double[] expectedLosses = new double[rows], expectedLse = new double[rows], expectedEntropy = new double[rows], expectedGradient = new double[rows * classes];
            double expectedReduced;
            if (hard)
            {
                reference.Forward(exactLogits, targets, expectedLosses, expectedLse, expectedEntropy);
                reference.Backward(exactLogits, targets, expectedLse, upstream, expectedGradient, entropyUpstream);
                expectedReduced = reference.Forward(exactLogits, targets);
            }
            else
            {
                reference.Forward(exactLogits, exactProbabilities, expectedLosses, expectedLse, expectedEntropy);
                reference.Backward(exactLogits, exactProbabilities, expectedLse, upstream, expectedGradient, entropyUpstream);
                expectedReduced = reference.Forward(exactLogits, exactProbabilities);
            }

            bool isFloat = typeof(T) == typeof(float);
            Quantity lossQuantity = classes > 32768 ? Quantity.WideLoss : Quantity.Other;
            foreach (int count in new[] { 1, 2, 3, 7 })
            {
                VocabShard[] shards = UnevenShards(random, classes, count);
                var local = shards.Select(s => (Logits: ShardColumns.Of(logits, classes, s), Probabilities: ShardColumns.Of(probabilities, classes, s))).ToArray();
                ShardPartials[][] partials = shards.Select((s, i) =>
                {
                    var p = new ShardPartials[rows];
                    if (hard)
                    {
                        loss.ForwardShard(local[i].Logits, s, targets, p);
                    }
                    else
                    {
                        loss.ForwardShard(local[i].Logits, s, local[i].Probabilities, p);
                    }

                    return p;
                }).ToArray();

                foreach ((string order, ShardPartials[] merged) in MergeOrders(partials))
                {
                    string context = $"{typeof(T).Name}, K = {classes}, {(hard ? "class index" : "probabilities")}, options {options}, {count} shards merged {order}, seed {RandomData.RunSeed}";
                    T[] losses = Poisoned(rows), lse = Poisoned(rows), entropy = Poisoned(rows);
                    T reduced;
                    if (hard)
                    {
                        loss.ForwardFromPartials(merged, targets, losses, lse, entropy);
                        reduced = loss.ForwardFromPartials(merged, targets);
                    }
                    else
                    {
                        loss.ForwardFromPartials(merged, losses, lse, entropy);
                        reduced = loss.ForwardFromPartials(merged);
                    }

                    Tolerance.Close(expectedLosses, ToDouble(losses), isFloat, lossQuantity, $"losses, {context}");
                    Tolerance.Close(expectedLse, ToDouble(lse), isFloat, Quantity.Other, $"log-sum-exp, {context}");
                    Tolerance.Close(expectedEntropy, ToDouble(entropy), isFloat, Quantity.Other, $"entropy, {context}");
                    Tolerance.Close(expectedReduced, double.CreateTruncating(reduced), isFloat, lossQuantity, $"reduced loss, {context}");
                    double confident = double.CreateTruncating(losses[0]);
                    Assert.True(
                        Math.Abs(confident - expectedLosses[0]) <= (isFloat ? 1e-5 : 1e-12) * expectedLosses[0],
                        $"{context}: the confident row's loss {confident:R} must keep its relative digits ({expectedLosses[0]:R}).");

                    for (int i = 0; i < shards.Length; i++)
                    {
                        T[] gradient = Poisoned(local[i].Logits.Length);
                        T[] upstreamT = Convert(upstream);
                        T[] entropyUpstreamT = entropyUpstream is null ? [] : Convert(entropyUpstream);
                        if (hard)
                        {
                            loss.BackwardShard(local[i].Logits, shards[i], targets, merged, upstreamT, gradient, entropyUpstreamT);
                        }
                        else
                        {
                            loss.BackwardShard(local[i].Logits, shards[i], local[i].Probabilities, merged, upstreamT, gradient, entropyUpstreamT);
                        }

                        double[] expectedSlice = ShardColumns.Of(expectedGradient, classes, shards[i]);
                        double[] actualSlice = ToDouble(gradient);
                        if (isFloat && entropyUpstream is not null)
                        {
                            // A float shard's merged lse carries its float statistics' rounding (about an ulp of lse), and the
                            // entropy term's log p + H moves with it, times |entropyGradients_i| / tau: that much more slack.
                            for (int j = 0; j < actualSlice.Length; j++)
                            {
                                double slack = 2e-6 * Math.Abs(entropyUpstream[j / shards[i].Classes]) / reference.Temperature;
                                Assert.True(
                                    Math.Abs(actualSlice[j] - expectedSlice[j]) <= Tolerance.Bound(expectedSlice[j], true, Quantity.Other) + slack,
                                    $"gradient slice {shards[i]}, {context}: element {j} expected {expectedSlice[j]:R}, got {actualSlice[j]:R}.");
                            }
                        }
                        else
                        {
                            Tolerance.Close(expectedSlice, actualSlice, isFloat, options ? Quantity.SoftCapped : Quantity.Other, $"gradient slice {shards[i]}, {context}");
                        }
                    }
                }
            }
        }

        /// <summary>The shards' partials merged left to right, right to left, as a balanced tree, and as MPI does it.</summary>
        private static IEnumerable<(string Order, ShardPartials[] Merged)> MergeOrders(ShardPartials[][] partials)
        {
            int rows = partials[0].Length;
            ShardPartials[] left = (ShardPartials[])partials[0].Clone();
            foreach (ShardPartials[] p in partials.Skip(1))
            {
                ShardPartials.Merge(p, left);
            }

            yield return ("left to right", left);

            ShardPartials[] right = (ShardPartials[])partials[^1].Clone();
            foreach (ShardPartials[] p in partials.Reverse().Skip(1))
            {
                ShardPartials.Merge(p, right);
            }

            yield return ("right to left", right);
            yield return ("as a tree", Tree(partials, 0, partials.Length));

            // MPI: all-reduce MAX of the maxima, rescale to it, all-reduce SUM of the other fields.
            var mpi = new ShardPartials[rows];
            for (int row = 0; row < rows; row++)
            {
                double max = partials.Max(p => p[row].Max);
                ShardPartials sum = default;
                foreach (ShardPartials[] p in partials)
                {
                    ShardPartials r = p[row].RescaledTo(max);
                    sum = new ShardPartials(
                        max, sum.MaxShards + r.MaxShards, sum.Rest + r.Rest, sum.TargetLogit + r.TargetLogit, sum.WeightedLogitSum + r.WeightedLogitSum,
                        sum.WeightSum + r.WeightSum, sum.ClassCount + r.ClassCount, sum.TargetCount + r.TargetCount, sum.EntropySum + r.EntropySum);
                }

                mpi[row] = sum;
            }

            yield return ("as MPI's MAX and SUM all-reduces", mpi);
        }

        private static ShardPartials[] Tree(ShardPartials[][] partials, int from, int to)
        {
            if (to - from == 1)
            {
                return (ShardPartials[])partials[from].Clone();
            }

            int middle = (from + to) / 2;
            ShardPartials[] left = Tree(partials, from, middle);
            ShardPartials.Merge(Tree(partials, middle, to), left);
            return left;
        }

        /// <summary>count shards of random, uneven sizes covering [0, K).</summary>
        private static VocabShard[] UnevenShards(Random random, int classes, int count)
        {
            var cuts = new SortedSet<int> { 0, classes };
            while (cuts.Count < count + 1)
            {
                cuts.Add(1 + random.Next(classes - 1));
            }

            int[] edges = cuts.ToArray();
            return Enumerable.Range(0, count).Select(i => new VocabShard(edges[i], edges[i + 1] - edges[i])).ToArray();
        }

        private static T[] Convert(double[] values) => Array.ConvertAll(values, T.CreateTruncating);

        private static double[] ToDouble(T[] values) => Array.ConvertAll(values, v => double.CreateTruncating(v));

        private static T[] Poisoned(int count)
        {
            var values = new T[count];
            values.AsSpan().Fill(T.NaN);
            return values;
        }
    }
}
