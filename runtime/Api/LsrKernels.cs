using System;

namespace LsrGen;

/// <summary>
/// Log-softmax, softmax, gather and label-smoothing cross-entropy for any class count, with PyTorch's semantics.
/// Logits are row-major: N rows of <c>classes</c> values. When a <see cref="GeneratedLsrKernelsAttribute"/> kernel
/// for the call's class count is loaded, the call runs it (see <see cref="IsSpecialized(int)"/>).
/// No call allocates below the parallel threshold.
/// </summary>
public static partial class LsrKernels
{
    /// <summary>
    /// Gets or sets the most threads one call may use, like <c>torch.set_num_threads</c>. Work of at least
    /// 1,048,576 elements (N * classes) may be split over this many threads; smaller work runs on the calling
    /// thread. Results are bit-identical whatever the value. Defaults to <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => RowDriver.MaxDegreeOfParallelism;
        set => RowDriver.MaxDegreeOfParallelism = value;
    }

    /// <summary>Gets a value indicating whether a generated kernel for <paramref name="classes"/> is loaded and calls with it are routed there.</summary>
    /// <param name="classes">The class count K.</param>
    /// <returns><see langword="true"/> when a <c>[GeneratedLsrKernels(classes)]</c> type has registered its kernels.</returns>
    public static bool IsSpecialized(int classes) => LsrKernelRegistry.Find(classes) is not null;

    /// <summary>Writes <c>torch.log_softmax(logits, -1)</c> of each row: <c>(x - max) - log(sum(exp(x - max)))</c>.</summary>
    /// <param name="logits">N rows of <paramref name="classes"/> values.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="destination">N * K log-probabilities; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="destination"/> partially overlaps <paramref name="logits"/>.</exception>
    public static void LogSoftmax(ReadOnlySpan<float> logits, int classes, Span<float> destination)
        => SpanCalls<float, RoutedRunner<float>>.LogSoftmax(logits, classes, destination);

    /// <inheritdoc cref="LogSoftmax(ReadOnlySpan{float}, int, Span{float})"/>
    public static void LogSoftmax(ReadOnlySpan<double> logits, int classes, Span<double> destination)
        => SpanCalls<double, RoutedRunner<double>>.LogSoftmax(logits, classes, destination);

    /// <summary>Writes <c>torch.softmax(logits, -1)</c> of each row: <c>exp(x - max) / sum(exp(x - max))</c>.</summary>
    /// <param name="logits">N rows of <paramref name="classes"/> values.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="destination">N * K probabilities; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="destination"/> partially overlaps <paramref name="logits"/>.</exception>
    public static void Softmax(ReadOnlySpan<float> logits, int classes, Span<float> destination)
        => SpanCalls<float, RoutedRunner<float>>.Softmax(logits, classes, destination);

    /// <inheritdoc cref="Softmax(ReadOnlySpan{float}, int, Span{float})"/>
    public static void Softmax(ReadOnlySpan<double> logits, int classes, Span<double> destination)
        => SpanCalls<double, RoutedRunner<double>>.Softmax(logits, classes, destination);

    /// <summary>
    /// Picks each row's target column: <c>destination[i] = values[i * classes + targets[i]]</c>, 0 for a row whose
    /// target is <paramref name="ignoreIndex"/>. <c>torch.gather(values, 1, targets.unsqueeze(1))</c> for one column.
    /// </summary>
    /// <param name="values">N rows of <paramref name="classes"/> values (for example log-probabilities).</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="destination">N values.</param>
    /// <param name="ignoreIndex">The target value of rows to skip (they get 0).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1, or a target is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="destination"/> overlaps an input.</exception>
    public static void GatherTargets(ReadOnlySpan<float> values, int classes, ReadOnlySpan<int> targets, Span<float> destination, int ignoreIndex = -100)
        => TensorGather.GatherTargets(values, classes, targets, destination, ignoreIndex);

    /// <inheritdoc cref="GatherTargets(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, int)"/>
    public static void GatherTargets(ReadOnlySpan<double> values, int classes, ReadOnlySpan<int> targets, Span<double> destination, int ignoreIndex = -100)
        => TensorGather.GatherTargets(values, classes, targets, destination, ignoreIndex);

    /// <summary>
    /// <c>torch.gather(input, dim, index)</c> for row-major tensors of rank 1 to 8: the output has the index's shape and
    /// <c>out[i][j][k] = input[index[i][j][k]][j][k]</c> for dim 0 (likewise for other dims).
    /// </summary>
    /// <param name="input">The input tensor, row-major.</param>
    /// <param name="inputShape">The input's sizes, rank 1 to 8.</param>
    /// <param name="dim">The dimension to index along, in [-rank, rank).</param>
    /// <param name="index">Indices in [0, inputShape[dim]), row-major.</param>
    /// <param name="indexShape">The index's sizes: same rank; no larger than the input's outside <paramref name="dim"/>.</param>
    /// <param name="destination">The output, with as many elements as <paramref name="index"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is out of range, or an index value is (the message names its position).</exception>
    /// <exception cref="ArgumentException">A rank, shape or length is wrong, or <paramref name="destination"/> overlaps an input.</exception>
    public static void Gather(
        ReadOnlySpan<float> input, ReadOnlySpan<int> inputShape, int dim, ReadOnlySpan<int> index, ReadOnlySpan<int> indexShape, Span<float> destination)
        => TensorGather.Gather(input, inputShape, dim, index, indexShape, destination);

    /// <inheritdoc cref="Gather(ReadOnlySpan{float}, ReadOnlySpan{int}, int, ReadOnlySpan{int}, ReadOnlySpan{int}, Span{float})"/>
    public static void Gather(
        ReadOnlySpan<double> input, ReadOnlySpan<int> inputShape, int dim, ReadOnlySpan<int> index, ReadOnlySpan<int> indexShape, Span<double> destination)
        => TensorGather.Gather(input, inputShape, dim, index, indexShape, destination);
}
