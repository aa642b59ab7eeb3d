using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LsrGen.Calls;

/// <summary>
/// A validated rank-2 tensor span [N, K] as the kernels take it: the memory from the first element to the end of the
/// last row (padding between rows included, never read or written), the row count, K and the row stride.
/// The stride of a dimension of length 1 is not looked at: System.Numerics.Tensors makes it 0.
/// </summary>
internal readonly ref struct MatrixView<T>
    where T : unmanaged
{
    private MatrixView(ref T first, int rows, int classes, nint rowStride)
    {
        Rows = rows;
        Classes = classes;
        RowStride = rowStride;
        Region = MemoryMarshal.CreateSpan(ref first, rows == 0 ? 0 : checked((int)(((rows - 1) * rowStride) + classes)));
    }

    /// <summary>Gets the memory the rows lie in, from row 0's first element to the last row's last.</summary>
    public Span<T> Region { get; }

    public int Rows { get; }

    public int Classes { get; }

    public nint RowStride { get; }

    /// <summary>Gets the stride <see cref="RowLayout"/> takes: 0 for K-dense rows (a single row is always dense).</summary>
    public nint StagedStride => Rows <= 1 || RowStride == Classes ? 0 : RowStride;

    public static MatrixView<T> Of(ReadOnlyTensorSpan<T> tensor, string paramName)
    {
        if (tensor.Rank != 2)
        {
            throw new ArgumentException($"{paramName} must be a rank-2 tensor span [N, K], got rank {tensor.Rank}.", paramName);
        }

        nint rows = tensor.Lengths[0];
        nint classes = tensor.Lengths[1];
        nint rowStride = tensor.Strides[0];
        nint classStride = tensor.Strides[1];
        if (classes < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, classes, $"{paramName} must have at least 1 class (its last length K), got {classes}.");
        }

        // System.Numerics.Tensors gives a dimension of length 1 (or 0) stride 0: such a stride says nothing and is not checked.
        if (classStride != 1 && classes > 1)
        {
            throw new ArgumentException(
                $"The last stride of {paramName} must be 1 (each row's classes dense), got {classStride}.", paramName);
        }

        if (rowStride < classes && rows > 1)
        {
            throw new ArgumentException(
                $"The row stride of {paramName} ({rowStride}) is below its class count K = {classes}; it must be at least K.", paramName);
        }

        if (rows > int.MaxValue || classes > int.MaxValue)
        {
            throw new ArgumentException($"{paramName} has shape [{rows}, {classes}]; N and K must each fit in an int.", paramName);
        }

        ref T first = ref tensor.IsEmpty ? ref Unsafe.NullRef<T>() : ref Unsafe.AsRef(in tensor.GetPinnableReference());
        return new MatrixView<T>(ref first, (int)rows, (int)classes, rowStride);
    }

    public static MatrixView<T> Of(TensorSpan<T> tensor, string paramName) => Of((ReadOnlyTensorSpan<T>)tensor, paramName);

    /// <summary>Rejects a matrix whose shape is not <paramref name="expected"/>'s, naming both shapes.</summary>
    public void RequireShapeOf(in MatrixView<T> expected, string paramName, string expectedName)
    {
        if (Rows != expected.Rows || Classes != expected.Classes)
        {
            throw new ArgumentException(
                $"{paramName} has shape [{Rows}, {Classes}] but {expectedName} has shape [{expected.Rows}, {expected.Classes}]; they must match.",
                paramName);
        }
    }

    /// <summary>Accepts exactly the input's memory and strides (in place) or memory disjoint from all of its rows.</summary>
    public void RequireInPlaceOrDisjoint(in MatrixView<T> logits, string paramName, string inputName = "the logits")
    {
        if (Unsafe.AreSame(ref MemoryMarshal.GetReference(Region), ref MemoryMarshal.GetReference(logits.Region)))
        {
            if (StagedStride != logits.StagedStride)
            {
                throw new ArgumentException(
                    $"{paramName} starts at {inputName} but has row stride {RowStride} against its {logits.RowStride}; in place needs the same strides.",
                    paramName);
            }

            return;
        }

        Check.InPlaceOrDisjoint<T>(logits.Region, Region, paramName, inputName);
    }
}
