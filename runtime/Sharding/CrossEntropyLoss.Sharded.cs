using System;

namespace LsrGen;

/// <content>
/// Vocabulary-sharded passes (Megatron-LM's vocab-parallel cross-entropy): each shard computes per-row
/// <see cref="ShardPartials"/> from its columns, the partials are merged across shards (in process with
/// <see cref="ShardPartials.Merge(in ShardPartials, in ShardPartials)"/>, over MPI with a MAX and a SUM all-reduce),
/// the losses and log-sum-exp follow from the merged partials, and each shard writes its gradient slice from them.
/// Every option (smoothing, weights, ignore index, z-loss, softcap, temperature, entropy bonus, probability targets)
/// works sharded: smoothing and weights use the global K and W, softcap and temperature apply column by column.
/// </content>
public sealed partial class CrossEntropyLoss<T>
{
    /// <summary>A shard's per-row partial statistics, with class-index targets.</summary>
    /// <param name="logits">N rows of the shard's <see cref="VocabShard.Classes"/> logits (columns Offset.. of the full rows).</param>
    /// <param name="shard">Which columns of the K classes the logits are.</param>
    /// <param name="targets">N class indices in [0, K) (global), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="partials">N partials, one per row.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shard"/> does not lie in [0, K), or a target is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    public void ForwardShard(ReadOnlySpan<T> logits, VocabShard shard, ReadOnlySpan<int> targets, Span<ShardPartials> partials)
    {
        var spans = LossSpans<T, T>.ClassIndex(ShardRows(logits, shard), logits, Classes, targets, _weight);
        spans.RowOutput(partials, nameof(partials));
        spans.TargetValues(IgnoreIndex);
        int rows = spans.Rows;
        RunShard(ShardOperation.ClassIndexPartials, logits, shard, targets, default, partials, default, default, rows);
    }

    /// <summary>A shard's per-row partial statistics, with probability targets.</summary>
    /// <param name="logits">N rows of the shard's logits.</param>
    /// <param name="shard">Which columns of the K classes the logits are.</param>
    /// <param name="targetProbabilities">The same columns of the N rows of target probabilities (finite, non-negative).</param>
    /// <param name="partials">N partials, one per row.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shard"/> does not lie in [0, K).</exception>
    /// <exception cref="ArgumentException">A length is wrong, or a probability is negative or not finite.</exception>
    public void ForwardShard(ReadOnlySpan<T> logits, VocabShard shard, ReadOnlySpan<T> targetProbabilities, Span<ShardPartials> partials)
    {
        ShardRows(logits, shard);
        var spans = LossSpans<T, T>.Probabilities(logits, shard.Classes, targetProbabilities, _weight);
        spans.RowOutput(partials, nameof(partials));
        int rows = (int)spans.TargetValues(0);
        RunShard(ShardOperation.ProbabilityPartials, logits, shard, default, targetProbabilities, partials, default, default, rows);
    }

    /// <summary>
    /// Each row's loss, log-sum-exp and entropy from partials merged over all K classes, with class-index targets; each
    /// output optional (an empty span is not computed). Predictions are not available from partials.
    /// </summary>
    /// <param name="partials">N partials, every shard merged exactly once.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="losses">N losses (0 for an ignored row), or empty.</param>
    /// <param name="logSumExp">N log-sum-exp values, or empty.</param>
    /// <param name="entropy">N entropies (every row), or empty.</param>
    /// <exception cref="ArgumentException">A length is wrong, an output overlaps another, or the partials do not cover K classes with the target once.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public void ForwardFromPartials(
        ReadOnlySpan<ShardPartials> partials, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logSumExp = default, Span<T> entropy = default)
    {
        Check.Length(targets.Length, partials.Length, nameof(targets), "row");
        CheckPartialOutputs(partials, losses, logSumExp, entropy);
        Check.Targets<T>(targets, Classes, IgnoreIndex, _weight);
        CheckMerged(partials, targets, hard: true);
        FinishClassIndex(partials, targets, losses, logSumExp, entropy);
    }

    /// <summary>The reduced loss from partials merged over all K classes, with class-index targets (the mean divides by D).</summary>
    /// <param name="partials">N partials, every shard merged exactly once.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentException">A length is wrong, or the partials do not cover K classes with the target once.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public T ForwardFromPartials(ReadOnlySpan<ShardPartials> partials, ReadOnlySpan<int> targets)
    {
        Check.Length(targets.Length, partials.Length, nameof(targets), "row");
        double denominator = Check.Targets<T>(targets, Classes, IgnoreIndex, _weight);
        CheckMerged(partials, targets, hard: true);
        return Reduce(FinishClassIndex(partials, targets, default, default, default), denominator);
    }

    /// <summary>Each row's loss, log-sum-exp and entropy from partials merged over all K classes, with probability targets; each output optional.</summary>
    /// <param name="partials">N partials, every shard merged exactly once.</param>
    /// <param name="losses">N losses, or empty.</param>
    /// <param name="logSumExp">N log-sum-exp values, or empty.</param>
    /// <param name="entropy">N entropies, or empty.</param>
    /// <exception cref="ArgumentException">A length is wrong, an output overlaps another, or the partials do not cover K classes.</exception>
    public void ForwardFromPartials(ReadOnlySpan<ShardPartials> partials, Span<T> losses, Span<T> logSumExp = default, Span<T> entropy = default)
    {
        CheckPartialOutputs(partials, losses, logSumExp, entropy);
        CheckMerged(partials, default, hard: false);
        FinishProbabilities(partials, losses, logSumExp, entropy);
    }

    /// <summary>The reduced loss from partials merged over all K classes, with probability targets (the mean divides by N).</summary>
    /// <param name="partials">N partials, every shard merged exactly once.</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentException">The partials do not cover K classes.</exception>
    public T ForwardFromPartials(ReadOnlySpan<ShardPartials> partials)
    {
        CheckMerged(partials, default, hard: false);
        return ReduceProbabilities(FinishProbabilities(partials, default, default, default), partials.Length);
    }

    /// <summary>
    /// A shard's slice of the gradient of <c>sum_i lossGradients[i] * loss_i</c> (class-index targets), from the merged
    /// partials: <c>Backward</c>'s math on the shard's columns, the target's term only where the shard holds it.
    /// </summary>
    /// <param name="logits">N rows of the shard's logits.</param>
    /// <param name="shard">Which columns of the K classes the logits are.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="partials">N partials, every shard merged exactly once.</param>
    /// <param name="lossGradients">N upstream gradients (1/D each for the gradient of the mean).</param>
    /// <param name="gradient">N rows of the shard's gradient; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <param name="entropyGradients">N values dL/dH, or empty for none (the entropy comes from the merged partials).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shard"/> does not lie in [0, K), or a target is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong, the partials do not cover K classes with the target once, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    public void BackwardShard(
        ReadOnlySpan<T> logits, VocabShard shard, ReadOnlySpan<int> targets, ReadOnlySpan<ShardPartials> partials, ReadOnlySpan<T> lossGradients, Span<T> gradient,
        ReadOnlySpan<T> entropyGradients = default)
    {
        var spans = LossSpans<T, T>.ClassIndex(ShardRows(logits, shard), logits, Classes, targets, _weight);
        int rows = CheckShardBackward(spans, partials, lossGradients, gradient, entropyGradients);
        spans.TargetValues(IgnoreIndex);
        CheckMerged(partials, targets, hard: true);
        RunShard(ShardOperation.ClassIndexBackward, logits, shard, targets, default, partials, lossGradients, gradient, rows, entropyGradients);
    }

    /// <summary>A shard's slice of the gradient of <c>sum_i lossGradients[i] * loss_i</c> with probability targets, from the merged partials.</summary>
    /// <param name="logits">N rows of the shard's logits.</param>
    /// <param name="shard">Which columns of the K classes the logits are.</param>
    /// <param name="targetProbabilities">The same columns of the N rows of target probabilities.</param>
    /// <param name="partials">N partials, every shard merged exactly once.</param>
    /// <param name="lossGradients">N upstream gradients (1/N each for the gradient of the mean).</param>
    /// <param name="gradient">N rows of the shard's gradient; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <param name="entropyGradients">N values dL/dH, or empty for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shard"/> does not lie in [0, K).</exception>
    /// <exception cref="ArgumentException">A length is wrong, a probability is invalid, the partials do not cover K classes, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    public void BackwardShard(
        ReadOnlySpan<T> logits, VocabShard shard, ReadOnlySpan<T> targetProbabilities, ReadOnlySpan<ShardPartials> partials, ReadOnlySpan<T> lossGradients,
        Span<T> gradient, ReadOnlySpan<T> entropyGradients = default)
    {
        ShardRows(logits, shard);
        var spans = LossSpans<T, T>.Probabilities(logits, shard.Classes, targetProbabilities, _weight);
        int rows = CheckShardBackward(spans, partials, lossGradients, gradient, entropyGradients);
        spans.TargetValues(0);
        CheckMerged(partials, default, hard: false);
        RunShard(ShardOperation.ProbabilityBackward, logits, shard, default, targetProbabilities, partials, lossGradients, gradient, rows, entropyGradients);
    }

    // A shard backward's per-row inputs and gradient, as every backward checks them, plus the partials; returns N.
    private static int CheckShardBackward(
        in LossSpans<T, T> spans, ReadOnlySpan<ShardPartials> partials, ReadOnlySpan<T> lossGradients, Span<T> gradient, ReadOnlySpan<T> entropyGradients)
    {
        Check.Length(partials.Length, spans.Rows, nameof(partials), "row");
        Check.Length(lossGradients.Length, spans.Rows, nameof(lossGradients), "row");
        spans.EntropyGradients(entropyGradients);
        spans.Gradient(gradient, default, lossGradients, entropyGradients);
        Check.Disjoint(partials, nameof(partials), gradient, nameof(gradient));
        return spans.Rows;
    }

    private int ShardRows(ReadOnlySpan<T> logits, VocabShard shard)
    {
        if (shard.Offset < 0 || shard.Classes < 1 || shard.Offset > Classes - shard.Classes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(shard), shard, $"The shard [{shard.Offset}, {(long)shard.Offset + shard.Classes}) must be a non-empty range of the {Classes} classes.");
        }

        return Check.Rows(logits.Length, shard.Classes, nameof(logits));
    }

    /// <summary>Merged partials must cover K classes, and a kept row's target must be in exactly one merged shard.</summary>
    private void CheckMerged(ReadOnlySpan<ShardPartials> partials, ReadOnlySpan<int> targets, bool hard)
    {
        for (int row = 0; row < partials.Length; row++)
        {
            ShardPartials p = partials[row];
            if (p.ClassCount != Classes)
            {
                throw new ArgumentException(
                    $"partials at row {row} cover {p.ClassCount} of the {Classes} classes; merge every shard exactly once (shards overlap or leave a gap).",
                    nameof(partials));
            }

            if (hard && targets[row] != IgnoreIndex && p.TargetCount != 1)
            {
                throw new ArgumentException(
                    $"partials at row {row} hold the target {targets[row]} in {p.TargetCount} shards; exactly one shard holds it once every shard is merged.",
                    nameof(partials));
            }
        }
    }

    // ForwardFromPartials' optional outputs: each empty or N values, none overlapping another.
    private static void CheckPartialOutputs(ReadOnlySpan<ShardPartials> partials, Span<T> losses, Span<T> logSumExp, Span<T> entropy)
    {
        CheckOptional(losses, nameof(losses), partials.Length);
        CheckOptional(logSumExp, nameof(logSumExp), partials.Length);
        CheckOptional(entropy, nameof(entropy), partials.Length);
        Check.Disjoint<T, T>(losses, nameof(losses), logSumExp, nameof(logSumExp));
        Check.Disjoint<T, T>(losses, nameof(losses), entropy, nameof(entropy));
        Check.Disjoint<T, T>(logSumExp, nameof(logSumExp), entropy, nameof(entropy));
    }

    private static void CheckOptional(Span<T> output, string name, int rows)
    {
        if (!output.IsEmpty)
        {
            Check.Length(output.Length, rows, name, "row");
        }
    }

    private double FinishClassIndex(ReadOnlySpan<ShardPartials> partials, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logSumExp, Span<T> entropy)
    {
        double keep = Smoothing.Keep(double.CreateTruncating(_labelSmoothing));
        double spread = Smoothing.Spread(double.CreateTruncating(_labelSmoothing), Classes);
        double zLoss = double.CreateTruncating(_zLossScale);
        double b = double.CreateTruncating(_entropyScale);
        double total = 0;
        for (int row = 0; row < partials.Length; row++)
        {
            ShardPartials p = partials[row];
            double lse = p.LogSumExp;
            double h = b != 0 || !entropy.IsEmpty ? p.Entropy : 0;
            int target = targets[row];
            double loss = 0;
            if (target != IgnoreIndex)
            {
                double weightOfTarget = _weight is null ? 1 : double.CreateTruncating(_weight[target]);
                loss = ClassIndexTerms<double>.Loss(
                    keep, weightOfTarget, p.TargetLogit - p.Max, p.LogOfSum, spread != 0, spread, (p.WeightSum * lse) - p.WeightedLogitSum, zLoss, lse);
                loss = EntropyTerms<double>.WithBonus(loss, b, weightOfTarget, h);
            }

            total += Record(row, loss, lse, h, losses, logSumExp, entropy);
        }

        return total;
    }

    private double FinishProbabilities(ReadOnlySpan<ShardPartials> partials, Span<T> losses, Span<T> logSumExp, Span<T> entropy)
    {
        double zLoss = double.CreateTruncating(_zLossScale);
        double b = double.CreateTruncating(_entropyScale);
        double total = 0;
        for (int row = 0; row < partials.Length; row++)
        {
            ShardPartials p = partials[row];
            double lse = p.LogSumExp;
            double h = b != 0 || !entropy.IsEmpty ? p.Entropy : 0;
            double loss = (p.WeightSum * lse) - p.WeightedLogitSum;
            if (zLoss != 0)
            {
                loss += zLoss * lse * lse;
            }

            total += Record(row, EntropyTerms<double>.WithBonus(loss, b, 1, h), lse, h, losses, logSumExp, entropy);
        }

        return total;
    }

    /// <summary>Rounds a row's loss once, writes it, its lse and its entropy where asked; returns the rounded loss for the sum.</summary>
    private static double Record(int row, double loss, double lse, double entropy, Span<T> losses, Span<T> logSumExp, Span<T> entropies)
    {
        T rounded = T.CreateTruncating(loss);
        if (!losses.IsEmpty)
        {
            losses[row] = rounded;
        }

        if (!logSumExp.IsEmpty)
        {
            logSumExp[row] = T.CreateTruncating(lse);
        }

        if (!entropies.IsEmpty)
        {
            entropies[row] = T.CreateTruncating(entropy);
        }

        return double.CreateTruncating(rounded);
    }

    private unsafe void RunShard(
        ShardOperation operation, ReadOnlySpan<T> logits, VocabShard shard, ReadOnlySpan<int> targets, ReadOnlySpan<T> targetProbabilities,
        ReadOnlySpan<ShardPartials> partials, ReadOnlySpan<T> lossGradients, Span<T> gradient, int rows, ReadOnlySpan<T> entropyGradients = default)
    {
        if (rows == 0)
        {
            return;
        }

        fixed (T* x = logits)
        fixed (T* q = targetProbabilities)
        fixed (int* t = targets)
        fixed (T* w = _weight)
        fixed (ShardPartials* p = partials)
        fixed (T* upstream = lossGradients)
        fixed (T* g = gradient)
        fixed (T* dh = entropyGradients)
        {
            var args = new ShardArgs<T>
            {
                Logits = x, Probabilities = q, Targets = t, Weight = w, Partials = p, LossGradients = upstream, Gradient = g, EntropyGradients = dh,
                Rows = rows, Offset = shard.Offset, LocalClasses = shard.Classes, Classes = Classes,
                Options = Options(T.One, default),
            };
            ShardKernels<T>.Run(operation, args);
        }
    }
}
