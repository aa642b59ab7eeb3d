using System;

namespace LsrGen;

/// <summary>
/// Half logits for a <see cref="CrossEntropyLoss{T}"/> of float (there is no <c>CrossEntropyLoss&lt;Half&gt;</c>): math in
/// float, the gradient rounded to Half once, losses, log-sum-exp and upstream gradients as float. Class-index targets.
/// </summary>
public static class CrossEntropyLossHalfExtensions
{
    /// <summary>The reduced loss of Half logits (see <see cref="CrossEntropyLoss{T}.Forward(ReadOnlySpan{T}, ReadOnlySpan{int})"/>).</summary>
    /// <param name="loss">The configured loss.</param>
    /// <param name="logits">N rows of K Half logits.</param>
    /// <param name="targets">N class indices in [0, K), or the loss's ignore index.</param>
    /// <returns>The reduced loss, in float.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public static float Forward(this CrossEntropyLoss<float> loss, ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss.ForwardHalf(logits, targets);
    }

    /// <summary>Per-row outputs from Half logits, in float, each optional (see <see cref="CrossEntropyLoss{T}.Forward(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T}, Span{T}, Span{T}, Span{int})"/>).</summary>
    /// <param name="loss">The configured loss.</param>
    /// <param name="logits">N rows of K Half logits.</param>
    /// <param name="targets">N class indices in [0, K), or the loss's ignore index.</param>
    /// <param name="losses">N float losses, or empty.</param>
    /// <param name="logSumExp">N float log-sum-exp values, or empty.</param>
    /// <param name="entropy">N float entropies, or empty.</param>
    /// <param name="predictions">N class indices, or empty.</param>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or an output overlaps an input or another output.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public static void Forward(
        this CrossEntropyLoss<float> loss, ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logSumExp = default,
        Span<float> entropy = default, Span<int> predictions = default)
    {
        ArgumentNullException.ThrowIfNull(loss);
        loss.ForwardHalf(logits, targets, new RowOutputs<float>(losses, logSumExp, entropy, predictions));
    }

    /// <summary>The reduced loss and its gradient for Half logits, with the optional per-row outputs in float (see <see cref="CrossEntropyLoss{T}.ForwardBackward(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T}, Span{T}, Span{T}, Span{T}, Span{int})"/>).</summary>
    /// <param name="loss">The configured loss.</param>
    /// <param name="logits">N rows of K Half logits.</param>
    /// <param name="targets">N class indices in [0, K), or the loss's ignore index.</param>
    /// <param name="gradient">N * K Half values, rounded once; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <param name="losses">N float losses, or empty.</param>
    /// <param name="logSumExp">N float log-sum-exp values, or empty.</param>
    /// <param name="entropy">N float entropies, or empty.</param>
    /// <param name="predictions">N class indices, or empty.</param>
    /// <returns>The reduced loss, in float.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or an output overlaps an input or another output other than in place.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public static float ForwardBackward(
        this CrossEntropyLoss<float> loss, ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<Half> gradient, Span<float> losses = default,
        Span<float> logSumExp = default, Span<float> entropy = default, Span<int> predictions = default)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss.ForwardBackwardHalf(logits, targets, gradient, new RowOutputs<float>(losses, logSumExp, entropy, predictions));
    }

    /// <summary>The gradient of <c>sum_i lossGradients[i] * loss_i + sum_i entropyGradients[i] * H_i</c> for Half logits from the saved float log-sum-exp (see <see cref="CrossEntropyLoss{T}.Backward(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, ReadOnlySpan{T})"/>).</summary>
    /// <param name="loss">The configured loss.</param>
    /// <param name="logits">N rows of K Half logits, as given to <c>Forward</c>.</param>
    /// <param name="targets">N class indices in [0, K), or the loss's ignore index.</param>
    /// <param name="logSumExp">N float log-sum-exp values from <c>Forward</c>.</param>
    /// <param name="lossGradients">N float upstream gradients.</param>
    /// <param name="gradient">N * K Half values, rounded once; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <param name="entropyGradients">N float values dL/dH, or empty for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public static void Backward(
        this CrossEntropyLoss<float> loss, ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> logSumExp, ReadOnlySpan<float> lossGradients,
        Span<Half> gradient, ReadOnlySpan<float> entropyGradients = default)
    {
        ArgumentNullException.ThrowIfNull(loss);
        loss.BackwardHalf(logits, targets, logSumExp, lossGradients, gradient, entropyGradients);
    }
}
