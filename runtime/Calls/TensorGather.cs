using System;
using System.Numerics.Tensors;

namespace LsrGen.Calls;

/// <summary><c>torch.gather</c> over row-major tensors of rank 1 to 8, and the per-row target gather.</summary>
internal static class TensorGather
{
    private const int MaxRank = 8;

    public static void GatherTargets<T>(ReadOnlySpan<T> values, int classes, ReadOnlySpan<int> targets, Span<T> destination, int ignoreIndex)
        where T : unmanaged
        => GatherTargets(values, Check.Rows(values.Length, classes, nameof(values)), classes, classes, targets, destination, ignoreIndex);

    /// <summary>The per-row target gather from an [N, K] tensor span with any row stride, or per position from (N, C, d1, ..., dk).</summary>
    public static void GatherTargets<T>(in ReadOnlyTensorSpan<T> values, ReadOnlySpan<int> targets, Span<T> destination, int ignoreIndex)
        where T : unmanaged
    {
        var matrix = MatrixView<T>.Of(values, nameof(values));
        GatherTargets(matrix.Region, matrix.Rows, matrix.Classes, matrix.RowStride, targets, destination, ignoreIndex, matrix.Positions);
    }

    private static void GatherTargets<T>(
        ReadOnlySpan<T> values, int rows, int classes, nint rowStride, ReadOnlySpan<int> targets, Span<T> destination, int ignoreIndex,
        in PositionLayout positions = default)
        where T : unmanaged
    {
        Check.Length(targets.Length, rows, nameof(targets), "row");
        Check.Length(destination.Length, rows, nameof(destination), "row");
        Check.Disjoint(values, nameof(values), destination, nameof(destination));
        Check.Disjoint(targets, nameof(targets), destination, nameof(destination));
        Check.Targets<double>(targets, classes, ignoreIndex, default);
        for (int row = 0; row < rows; row++)
        {
            int target = targets[row];
            destination[row] = target == ignoreIndex ? default : values[(int)(positions.RowOffset(row, rowStride) + (target * positions.ClassStep))];
        }
    }

    public static void Gather<T>(
        ReadOnlySpan<T> input, ReadOnlySpan<int> inputShape, int dim, ReadOnlySpan<int> index, ReadOnlySpan<int> indexShape, Span<T> destination)
        where T : unmanaged
    {
        int rank = inputShape.Length;
        if (rank is < 1 or > MaxRank)
        {
            throw new ArgumentException($"inputShape must have rank 1 to {MaxRank}, got rank {rank}.", nameof(inputShape));
        }

        if (indexShape.Length != rank)
        {
            throw new ArgumentException(
                $"indexShape must have the same rank as inputShape ({rank}), got rank {indexShape.Length}.", nameof(indexShape));
        }

        if (dim < -rank || dim >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"dim must lie in [{-rank}, {rank - 1}] for rank {rank}, got {dim}.");
        }

        if (dim < 0)
        {
            dim += rank;
        }

        long inputCount = Volume(inputShape, nameof(inputShape));
        long indexCount = Volume(indexShape, nameof(indexShape));
        if (input.Length != inputCount)
        {
            throw new ArgumentException($"input must hold {inputCount} elements for its shape, but its length is {input.Length}.", nameof(input));
        }

        if (index.Length != indexCount)
        {
            throw new ArgumentException($"index must hold {indexCount} elements for its shape, but its length is {index.Length}.", nameof(index));
        }

        for (int d = 0; d < rank; d++)
        {
            if (d != dim && indexShape[d] > inputShape[d])
            {
                throw new ArgumentException(
                    $"indexShape[{d}] ({indexShape[d]}) must not exceed inputShape[{d}] ({inputShape[d]}) outside dim {dim}.", nameof(indexShape));
            }
        }

        Check.Length(destination.Length, (int)indexCount, nameof(destination), "index element");
        Check.Disjoint(input, nameof(input), destination, nameof(destination));
        Check.Disjoint(index, nameof(index), destination, nameof(destination));

        int size = inputShape[dim];
        Span<int> position = stackalloc int[MaxRank];
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)size)
            {
                Unravel(i, indexShape, position);
                throw new ArgumentOutOfRangeException(
                    nameof(index), index[i],
                    $"Index {index[i]} at position [{string.Join(", ", position[..rank].ToArray())}] is out of range for dimension {dim} of size {size}.");
            }
        }

        Span<long> inputStrides = stackalloc long[MaxRank];
        long stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            inputStrides[d] = stride;
            stride *= inputShape[d];
        }

        position.Clear();
        long offset = 0; // input offset of `position` without the dim coordinate
        for (int i = 0; i < index.Length; i++)
        {
            destination[i] = input[(int)(offset + (index[i] * inputStrides[dim]))];
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++position[d] < indexShape[d])
                {
                    if (d != dim)
                    {
                        offset += inputStrides[d];
                    }

                    break;
                }

                if (d != dim)
                {
                    offset -= (position[d] - 1) * inputStrides[d];
                }

                position[d] = 0;
            }
        }
    }

    private static long Volume(ReadOnlySpan<int> shape, string paramName)
    {
        long volume = 1;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 0)
            {
                throw new ArgumentException($"{paramName}[{d}] is {shape[d]}; sizes must not be negative.", paramName);
            }

            volume *= shape[d];
            if (volume > int.MaxValue)
            {
                throw new ArgumentException($"{paramName} describes more than {int.MaxValue} elements.", paramName);
            }
        }

        return volume;
    }

    private static void Unravel(int flat, ReadOnlySpan<int> shape, Span<int> position)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            position[d] = flat % shape[d];
            flat /= shape[d];
        }
    }
}
