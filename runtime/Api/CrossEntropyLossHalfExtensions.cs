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

    /// <summary>Each row's loss and log-sum-exp from Half logits, in float (see <see cref="CrossEntropyLoss{T}.Forward(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T}, Span{T})"/>).</summary>
    /// <param name="loss">The configured loss.</param>
    /// <param name="logits">N rows of K Half logits.</param>
    /// <param name="targets">N class indices in [0, K), or the loss's ignore index.</param>
    /// <param name="losses">N float losses; must not overlap an input or <paramref name="logSumExp"/>.</param>
    /// <param name="logSumExp">N float log-sum-exp values, for <c>Backward</c>; must not overlap an input.</param>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or an output overlaps an input or the other output.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public static void Forward(this CrossEntropyLoss<float> loss, ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<float> losses, Span<float> logSumExp)
    {
        ArgumentNullException.ThrowIfNull(loss);
        loss.ForwardHalf(logits, targets, losses, logSumExp);
    }

    /// <summary>The reduced loss and its gradient for Half logits (see <see cref="CrossEntropyLoss{T}.ForwardBackward(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T})"/>).</summary>
    /// <param name="loss">The configured loss.</param>
    /// <param name="logits">N rows of K Half logits.</param>
    /// <param name="targets">N class indices in [0, K), or the loss's ignore index.</param>
    /// <param name="gradient">N * K Half values, rounded once; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <returns>The reduced loss, in float.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public static float ForwardBackward(this CrossEntropyLoss<float> loss, ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<Half> gradient)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss.ForwardBackwardHalf(logits, targets, gradient);
    }

    /// <summary>The gradient of <c>sum_i lossGradients[i] * loss_i</c> for Half logits from the saved float log-sum-exp (see <see cref="CrossEntropyLoss{T}.Backward(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>).</summary>
    /// <param name="loss">The configured loss.</param>
    /// <param name="logits">N rows of K Half logits, as given to <c>Forward</c>.</param>
    /// <param name="targets">N class indices in [0, K), or the loss's ignore index.</param>
    /// <param name="logSumExp">N float log-sum-exp values from <c>Forward</c>.</param>
    /// <param name="lossGradients">N float upstream gradients.</param>
    /// <param name="gradient">N * K Half values, rounded once; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public static void Backward(
        this CrossEntropyLoss<float> loss, ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> logSumExp, ReadOnlySpan<float> lossGradients, Span<Half> gradient)
    {
        ArgumentNullException.ThrowIfNull(loss);
        loss.BackwardHalf(logits, targets, logSumExp, lossGradients, gradient);
    }
}
