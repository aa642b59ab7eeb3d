using System;

namespace LsrGen.Calls;

/// <summary>
/// The optional per-row outputs of a loss call (<c>Forward</c>, <c>ForwardBackward</c>): each span empty (not computed)
/// or of length N.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly ref struct RowOutputs<T>(Span<T> losses, Span<T> logSumExp, Span<T> entropy, Span<int> predictions)
    where T : unmanaged
{
    /// <summary>Gets each row's loss.</summary>
    public Span<T> Losses { get; } = losses;

    /// <summary>Gets each row's log-sum-exp of z.</summary>
    public Span<T> LogSumExp { get; } = logSumExp;

    /// <summary>Gets each row's entropy.</summary>
    public Span<T> Entropy { get; } = entropy;

    /// <summary>Gets each row's predicted class.</summary>
    public Span<int> Predictions { get; } = predictions;
}
