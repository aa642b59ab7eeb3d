using System;
using System.Runtime.InteropServices;

namespace LsrGen;

/// <summary>
/// One row's mergeable statistics of the logits z (soft-capped when the loss caps) over a set of classes: one
/// vocabulary shard's, or several shards' merged. Sharded cross-entropy (Megatron-LM's vocab-parallel loss) computes
/// them per shard with <see cref="CrossEntropyLoss{T}.ForwardShard(ReadOnlySpan{T}, VocabShard, ReadOnlySpan{int}, Span{ShardPartials})"/>,
/// merges them across shards, and finishes the losses and each shard's gradient slice from the merged values.
/// </summary>
/// <remarks>
/// <see cref="Merge(in ShardPartials, in ShardPartials)"/> is commutative and associative up to rounding, so any reduction tree gives the same result
/// within the accuracy bounds. Over MPI the merge is two all-reduces: MAX of <see cref="Max"/>, then, after each rank
/// has <see cref="RescaledTo"/> the global maximum, SUM of every other field (the struct is nine doubles in
/// declaration order, so a span of it casts to a span of doubles).
/// </remarks>
/// <param name="Max">The largest z.</param>
/// <param name="MaxShards">With <see cref="Rest"/>: sum_k exp(z_k - Max) = MaxShards + Rest. A shard's own partials have 1 (its max's term).</param>
/// <param name="Rest">The rest of the sum of exps, kept apart from the 1s so that log(s) near s = 1 keeps its relative accuracy.</param>
/// <param name="TargetLogit">z at the row's target class when a merged shard holds it, else 0 (class-index targets).</param>
/// <param name="WeightedLogitSum">sum_k w_k z_k (class-index targets) or sum_k w_k q'_k z_k (probability targets).</param>
/// <param name="WeightSum">sum_k w_k (class-index targets) or sum_k w_k q'_k (probability targets).</param>
/// <param name="ClassCount">How many classes the statistics cover (K once every shard is merged).</param>
/// <param name="TargetCount">How many merged shards held the row's target (1 once merged, 0 on an ignored row).</param>
/// <param name="EntropySum">
/// E = sum_k exp(z_k - Max) (Max - z_k), never negative: with S = MaxShards + Rest the row's entropy is E / S + log S.
/// </param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct ShardPartials(
    double Max, double MaxShards, double Rest, double TargetLogit, double WeightedLogitSum, double WeightSum, double ClassCount, double TargetCount,
    double EntropySum)
{
    /// <summary>The statistics of the union of two disjoint sets of classes.</summary>
    /// <param name="left">One set's statistics.</param>
    /// <param name="right">The other's.</param>
    /// <returns>The merged statistics.</returns>
    public static ShardPartials Merge(in ShardPartials left, in ShardPartials right)
    {
        // A NaN max (a NaN logit) propagates as NaN, as in the unsharded loss.
        double max = double.IsNaN(left.Max) || double.IsNaN(right.Max) ? double.NaN : Math.Max(left.Max, right.Max);
        ShardPartials a = left.RescaledTo(max), b = right.RescaledTo(max);
        return new ShardPartials(
            max, a.MaxShards + b.MaxShards, a.Rest + b.Rest, a.TargetLogit + b.TargetLogit, a.WeightedLogitSum + b.WeightedLogitSum,
            a.WeightSum + b.WeightSum, a.ClassCount + b.ClassCount, a.TargetCount + b.TargetCount, a.EntropySum + b.EntropySum);
    }

    /// <summary>Merges <paramref name="other"/> into <paramref name="destination"/>, row by row.</summary>
    /// <param name="other">Another set of classes' statistics, one per row.</param>
    /// <param name="destination">The statistics to merge into, one per row.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Merge(ReadOnlySpan<ShardPartials> other, Span<ShardPartials> destination)
    {
        if (other.Length != destination.Length)
        {
            throw new ArgumentException($"other has {other.Length} rows but destination has {destination.Length}.", nameof(other));
        }

        for (int i = 0; i < other.Length; i++)
        {
            destination[i] = Merge(destination[i], other[i]);
        }
    }

    /// <summary>
    /// The same statistics expressed against a maximum at least <see cref="Max"/> (the all-reduced maximum over
    /// MPI): <see cref="Max"/> becomes <paramref name="max"/> and the sum of exps is rescaled. Partials rescaled to
    /// the same maximum merge by adding their other fields.
    /// </summary>
    /// <param name="max">The maximum to express the sum of exps against.</param>
    /// <returns>The rescaled statistics.</returns>
    public ShardPartials RescaledTo(double max)
        => Max == max || double.IsNaN(max) ? this with { Max = max }
            : this with
            {
                Max = max,
                MaxShards = 0,
                Rest = Math.Exp(Max - max) * (MaxShards + Rest),

                // E' = exp(Max - M) (E + (M - Max) S): every term stays non-negative. A shard with no mass adds 0.
                EntropySum = MaxShards + Rest == 0 ? 0 : Math.Exp(Max - max) * (EntropySum + ((max - Max) * (MaxShards + Rest))),
            };

    /// <summary>Gets the entropy of the covered classes' softmax, <c>E / S + log S</c> (of all K once every shard is merged).</summary>
    public double Entropy => (EntropySum / (MaxShards + Rest)) + LogOfSum;

    /// <summary>Gets the log-sum-exp of the covered classes, <c>Max + log(MaxShards + Rest)</c>, precise near a sum of 1.</summary>
    public double LogSumExp => Max + LogOfSum;

    /// <summary>Gets log(MaxShards + Rest): the log-sum-exp less <see cref="Max"/>, kept apart so a tiny loss keeps its digits.</summary>
    internal double LogOfSum => MaxShards == 1 ? LogOnePlus(Rest) : Math.Log(MaxShards + Rest);

    // log(1 + r) to full relative accuracy for small r (Math.Log(1 + r) loses r's digits below 1e-16 * 1).
    private static double LogOnePlus(double rest)
    {
        double u = 1 + rest;
        return u == 1 ? rest : Math.Log(u) - (((u - 1) - rest) / u);
    }
}
