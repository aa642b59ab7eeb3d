using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LsrGen.Calls;

/// <summary>
/// A validated tensor span as the kernels take it: N rows (positions) of K classes. Rank 2 is [N, K] with the classes
/// dense and any row stride of at least K. Rank 3 to 8 is PyTorch's (N, C, d1, ..., dk), the classes along dimension
/// 1 and P = N d1 ... dk positions for rows, with any non-negative strides: such a tensor whose positions are rows of
/// one stride runs as a matrix, any other is <see cref="IsGeneral"/> (<see cref="Positions"/>: staged per chunk).
/// <see cref="Region"/> is the memory from the first element to the last (gaps included, never read or written).
/// The stride of a dimension of length 1 is not looked at: System.Numerics.Tensors makes it 0.
/// </summary>
internal unsafe ref struct MatrixView<T>
    where T : unmanaged
{
    private const int MaxRank = 8;

    private fixed long _lengths[MaxRank];
    private fixed long _strides[MaxRank];
    private readonly int _rank;

    private MatrixView(ref T first, int rows, int classes, nint rowStride, long extent, scoped ReadOnlySpan<nint> lengths, scoped ReadOnlySpan<nint> strides)
    {
        Rows = rows;
        Classes = classes;
        RowStride = rowStride;
        Region = MemoryMarshal.CreateSpan(ref first, rows == 0 ? 0 : checked((int)(extent + 1)));
        _rank = lengths.Length;
        for (int d = 0; d < _rank; d++)
        {
            _lengths[d] = lengths[d];
            _strides[d] = lengths[d] == 1 ? 0 : strides[d];
        }
    }

    /// <summary>Gets the memory the elements lie in, from the first to the last.</summary>
    public Span<T> Region { get; }

    /// <summary>Gets N (rank 2) or P (rank 3 to 8).</summary>
    public int Rows { get; }

    public int Classes { get; }

    /// <summary>Gets the distance between rows; unused where <see cref="IsGeneral"/>.</summary>
    public nint RowStride { get; }

    /// <summary>Gets where the positions lie when no row stride describes them.</summary>
    public PositionLayout Positions { get; private init; }

    /// <summary>Gets a value indicating whether the positions are not rows of one stride (<see cref="Positions"/>).</summary>
    public readonly bool IsGeneral => Positions.IsGeneral;

    /// <summary>Gets the stride <see cref="RowLayout"/> takes: 0 for K-dense rows (a single row is always dense) or a general layout.</summary>
    public readonly nint StagedStride => IsGeneral || Rows <= 1 || RowStride == Classes ? 0 : RowStride;

    public static MatrixView<T> Of(ReadOnlyTensorSpan<T> tensor, string paramName)
    {
        int rank = tensor.Rank;
        if (rank is < 2 or > MaxRank)
        {
            throw new ArgumentException(
                $"{paramName} must be a rank-2 tensor span [N, K] or of rank 3 to {MaxRank} (N, C, d1, ..., dk), got rank {rank}.", paramName);
        }

        ReadOnlySpan<nint> lengths = tensor.Lengths;
        ReadOnlySpan<nint> strides = tensor.Strides;
        nint classes = lengths[1];
        if (classes < 1)
        {
            string axis = rank == 2 ? "its last length K" : "its dimension 1, C";
            throw new ArgumentOutOfRangeException(paramName, classes, $"{paramName} must have at least 1 class ({axis}), got {classes}.");
        }

        long positions = 1;
        long extent = 0;
        for (int d = 0; d < rank; d++)
        {
            if (lengths[d] > 1 && strides[d] < 0)
            {
                throw new ArgumentException($"{paramName} has stride {strides[d]} in dimension {d}; strides must not be negative.", paramName);
            }

            if (d != 1)
            {
                positions *= lengths[d];
            }

            extent += lengths[d] > 1 ? (long)(lengths[d] - 1) * strides[d] : 0;
        }

        if (positions > int.MaxValue || classes > int.MaxValue || extent >= int.MaxValue)
        {
            throw new ArgumentException($"{paramName} has shape {Shape(lengths)}; its rows, classes and extent must each fit in an int.", paramName);
        }

        ref T first = ref tensor.IsEmpty ? ref Unsafe.NullRef<T>() : ref Unsafe.AsRef(in tensor.GetPinnableReference());
        if (rank == 2)
        {
            nint rowStride = strides[0];
            // System.Numerics.Tensors gives a dimension of length 1 (or 0) stride 0: such a stride says nothing and is not checked.
            if (strides[1] != 1 && classes > 1)
            {
                throw new ArgumentException(
                    $"The last stride of {paramName} must be 1 (each row's classes dense), got {strides[1]}.", paramName);
            }

            if (rowStride < classes && lengths[0] > 1)
            {
                throw new ArgumentException(
                    $"The row stride of {paramName} ({rowStride}) is below its class count K = {classes}; it must be at least K.", paramName);
            }

            return new MatrixView<T>(ref first, (int)positions, (int)classes, rowStride, extent, lengths, strides);
        }

        var layout = PositionLayout.Of(lengths, strides, out nint stride);
        return new MatrixView<T>(ref first, (int)positions, (int)classes, stride, extent, lengths, strides) { Positions = layout };
    }

    public static MatrixView<T> Of(TensorSpan<T> tensor, string paramName) => Of((ReadOnlyTensorSpan<T>)tensor, paramName);

    /// <summary>Rejects a tensor whose shape is not <paramref name="expected"/>'s, naming both shapes.</summary>
    public readonly void RequireShapeOf(in MatrixView<T> expected, string paramName, string expectedName)
    {
        bool same = _rank == expected._rank;
        for (int d = 0; same && d < _rank; d++)
        {
            same = _lengths[d] == expected._lengths[d];
        }

        if (!same)
        {
            throw new ArgumentException(
                $"{paramName} has shape {Shape()} but {expectedName} has shape {expected.Shape()}; they must match.", paramName);
        }
    }

    /// <summary>
    /// Rejects an output under whose strides two elements share memory (a zero stride, or dimensions that overlap).
    /// The dimensions sorted by stride must each step past everything the smaller ones span.
    /// </summary>
    public readonly void RequireDistinctElements(string paramName)
    {
        Span<long> lengths = stackalloc long[MaxRank];
        Span<long> strides = stackalloc long[MaxRank];
        int dims = 0;
        for (int d = 0; d < _rank; d++)
        {
            if (_lengths[d] > 1)
            {
                int at = dims++;
                while (at > 0 && strides[at - 1] > _strides[d])
                {
                    strides[at] = strides[at - 1];
                    lengths[at] = lengths[at - 1];
                    at--;
                }

                strides[at] = _strides[d];
                lengths[at] = _lengths[d];
            }
        }

        long spanned = 0;
        for (int d = 0; d < dims; d++)
        {
            if (strides[d] <= spanned)
            {
                throw new ArgumentException(
                    $"{paramName} has shape {Shape()} and strides {Strides()}, under which two of its elements share memory; an output needs "
                    + "memory of its own for every element.",
                    paramName);
            }

            spanned += (lengths[d] - 1) * strides[d];
        }
    }

    /// <summary>Accepts exactly the input's memory and strides (in place) or memory disjoint from all of its rows.</summary>
    public readonly void RequireInPlaceOrDisjoint(in MatrixView<T> logits, string paramName, string inputName = "the logits")
    {
        if (Unsafe.AreSame(ref MemoryMarshal.GetReference(Region), ref MemoryMarshal.GetReference(logits.Region)) && !Region.IsEmpty)
        {
            bool same = _rank == logits._rank;
            for (int d = 0; same && d < _rank; d++)
            {
                same = _strides[d] == logits._strides[d];
            }

            if (!same)
            {
                string strides = _rank == 2 && logits._rank == 2
                    ? $"row stride {_strides[0]} against its {logits._strides[0]}"
                    : $"strides {Strides()} against its {logits.Strides()}";
                throw new ArgumentException($"{paramName} starts at {inputName} but has {strides}; in place needs the same strides.", paramName);
            }

            return;
        }

        Check.InPlaceOrDisjoint<T>(logits.Region, Region, paramName, inputName);
    }

    private static string Shape(ReadOnlySpan<nint> lengths) => "[" + string.Join(", ", lengths.ToArray()) + "]";

    private readonly string Shape() => List(0);

    private readonly string Strides() => List(1);

    private readonly string List(int which)
    {
        long[] values = new long[_rank];
        for (int d = 0; d < _rank; d++)
        {
            values[d] = which == 0 ? _lengths[d] : _strides[d];
        }

        return "[" + string.Join(", ", values) + "]";
    }
}
