using System;

namespace LsrGen.Calls;

/// <summary>
/// Where the positions of a tensor of rank 3 to 8 lie, its classes along dimension 1 (PyTorch's (N, C, d1, ..., dk)):
/// the position dimensions (0, 2, 3, ...) in row-major order, with those of length 1 dropped and each pair that
/// lies back to back in memory merged, so contiguous (N, C, H, W) keeps two: N at stride C H W and H W at stride 1.
/// Position p's class c lies at <see cref="Offset"/>(p) + c * <see cref="ClassStride"/>.
/// </summary>
internal unsafe struct PositionLayout
{
    /// <summary>The most position dimensions a rank-8 tensor has.</summary>
    public const int MaxDims = 7;

    private fixed int _lengths[MaxDims];
    private fixed long _strides[MaxDims];

    /// <summary>Gets the number of position dimensions left after merging (0: at most one position).</summary>
    public int Dims { get; private set; }

    /// <summary>Gets the distance between a position's neighbouring classes.</summary>
    public nint ClassStride { get; private set; }

    /// <summary>Gets a value indicating whether this describes a tensor the kernels cannot read as rows of a fixed stride.</summary>
    public bool IsGeneral { get; private set; }

    /// <summary>
    /// Gets a value indicating whether the positions run along stride 1, in one run or in images one stride apart, as
    /// in contiguous (N, C, H, W): what the class-plane blocks read straight from memory.
    /// </summary>
    public readonly bool ReadsAsPlanes => IsGeneral && Dims is 1 or 2 && _strides[Dims - 1] == 1;

    /// <summary>Gets the length of merged position dimension <paramref name="dim"/>.</summary>
    public readonly int Length(int dim) => _lengths[dim];

    /// <summary>Gets the stride of merged position dimension <paramref name="dim"/>.</summary>
    public readonly nint Stride(int dim) => (nint)_strides[dim];

    /// <summary>
    /// The positions of a tensor whose lengths and strides are given (rank 3 or more, classes along dimension 1), merged.
    /// Where they are rows of one stride of at least K with the classes dense (<paramref name="rowStride"/>), the tensor
    /// runs as a rank-2 matrix; otherwise the layout <see cref="IsGeneral"/>.
    /// </summary>
    public static PositionLayout Of(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, out nint rowStride)
    {
        var layout = default(PositionLayout);
        int classes = (int)lengths[1];
        layout.ClassStride = classes == 1 ? 1 : strides[1];
        int dims = 0;
        for (int d = 0; d < lengths.Length; d++)
        {
            if (d == 1 || lengths[d] == 1)
            {
                continue;
            }

            if (dims > 0 && layout._strides[dims - 1] == (long)strides[d] * lengths[d])
            {
                layout._lengths[dims - 1] *= (int)lengths[d];
                layout._strides[dims - 1] = strides[d];
                continue;
            }

            layout._lengths[dims] = (int)lengths[d];
            layout._strides[dims] = strides[d];
            dims++;
        }

        layout.Dims = dims;
        layout.IsGeneral = !(layout.ClassStride == 1 && (dims == 0 || (dims == 1 && layout._strides[0] >= classes)));
        rowStride = dims == 0 ? classes : (nint)layout._strides[0];
        return layout;
    }

    /// <summary>Gets where row <paramref name="row"/>'s class 0 lies: from this layout where it is general, else <paramref name="row"/> rows of <paramref name="rowStride"/> on.</summary>
    public readonly nint RowOffset(int row, nint rowStride) => IsGeneral ? Offset(row) : row * rowStride;

    /// <summary>Gets the distance between a row's neighbouring classes: <see cref="ClassStride"/> where general, else 1 (rows are class-dense).</summary>
    public readonly nint ClassStep => IsGeneral ? ClassStride : 1;

    /// <summary>Gets the offset of position <paramref name="position"/>'s class 0 from position 0's.</summary>
    public readonly nint Offset(int position)
    {
        nint offset = 0;
        for (int d = Dims - 1; d >= 0 && position > 0; d--)
        {
            offset += (nint)(position % _lengths[d]) * (nint)_strides[d];
            position /= _lengths[d];
        }

        return offset;
    }

    // One run of positions `step` apart: with AVX-512, float positions along stride 1 move in 16 x 16 tiles (class
    // planes to rows or back), the rest element by element.
    private static void MoveRun<T>(T* at, T* dense, int run, int classes, nint step, nint classStride, bool toTensor)
        where T : unmanaged
    {
        int tiled = 0;
        int tiledClasses = 0;
        if (typeof(T) == typeof(float) && step == 1 && Transpose16x16.IsSupported)
        {
            tiled = run / 16 * 16;
            tiledClasses = classes / 16 * 16;
            // Sixteen planes at a time along the whole run: each plane is read (or written) as one long stretch, not
            // a line per tile with every other plane between (planes 16 KiB apart thrash the cache sets and DRAM rows).
            for (int c = 0; c < tiledClasses; c += 16)
            {
                for (int i = 0; i < tiled; i += 16)
                {
                    float* planes = (float*)(at + i + (c * classStride));
                    float* rows = (float*)(dense + ((nint)i * classes) + c);
                    if (toTensor)
                    {
                        Transpose16x16.Run(rows, classes, planes, classStride);
                    }
                    else
                    {
                        Transpose16x16.Run(planes, classStride, rows, classes);
                    }
                }
            }
        }

        // What the tiles left: the classes past the last whole 16 of the tiled positions, then the positions past them.
        MoveElements(at, dense, 0, tiled, tiledClasses, classes, classes, step, classStride, toTensor);
        MoveElements(at, dense, tiled, run, 0, classes, classes, step, classStride, toTensor);
    }

    /// <summary>
    /// Moves positions [firstPosition, endPosition), classes [firstClass, endClass), between a layout (positions `step`
    /// apart, classes `classStride` apart, from <paramref name="at"/>) and dense rows of <paramref name="classes"/>
    /// (<paramref name="toTensor"/>: rows to the layout). Rows that are already dense move as one block.
    /// </summary>
    public static void MoveElements<T>(
        T* at, T* dense, int firstPosition, int endPosition, int firstClass, int endClass, int classes, nint step, nint classStride, bool toTensor)
        where T : unmanaged
    {
        if (step == classes && classStride == 1 && firstClass == 0 && endClass == classes && endPosition > firstPosition)
        {
            nint first = (nint)firstPosition * classes;
            int count = (endPosition - firstPosition) * classes;
            var rows = new Span<T>(dense + first, count);
            var laid = new Span<T>(at + first, count);
            (toTensor ? rows : laid).CopyTo(toTensor ? laid : rows);
            return;
        }

        for (int c = firstClass; c < endClass; c++)
        {
            T* element = at + (c * classStride);
            T* slot = dense + c;
            for (int i = firstPosition; i < endPosition; i++)
            {
                if (toTensor)
                {
                    element[i * step] = slot[(nint)i * classes];
                }
                else
                {
                    slot[(nint)i * classes] = element[i * step];
                }
            }
        }
    }

    /// <summary>Gets a value indicating whether two layouts place every position and class alike.</summary>
    public readonly bool SameAs(in PositionLayout other)
    {
        if (Dims != other.Dims || ClassStride != other.ClassStride)
        {
            return false;
        }

        for (int d = 0; d < Dims; d++)
        {
            if (_lengths[d] != other._lengths[d] || _strides[d] != other._strides[d])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Copies positions [first, first + rows) into dense rows of <paramref name="classes"/> at <paramref name="denseRows"/>,
    /// or (<paramref name="toTensor"/>) dense rows back to their positions. A run of positions along the last merged
    /// dimension moves class by class, so each class's elements are read (or written) in memory order.
    /// </summary>
    public readonly void Move<T>(T* tensor, T* denseRows, int first, int rows, int classes, bool toTensor)
        where T : unmanaged
    {
        Span<int> index = stackalloc int[MaxDims];
        int remaining = first;
        nint offset = 0;
        for (int d = Dims - 1; d >= 0; d--)
        {
            index[d] = remaining % _lengths[d];
            remaining /= _lengths[d];
            offset += (nint)index[d] * (nint)_strides[d];
        }

        int last = Dims - 1;
        nint step = last >= 0 ? (nint)_strides[last] : 0;
        nint classStride = ClassStride;
        for (int row = 0; row < rows;)
        {
            int run = last >= 0 ? Math.Min(_lengths[last] - index[last], rows - row) : rows - row;
            MoveRun(tensor + offset, denseRows + ((nint)row * classes), run, classes, step, classStride, toTensor);

            row += run;
            if (last < 0)
            {
                break;
            }

            // Carries the run into the outer dimensions.
            offset += run * step;
            index[last] += run;
            for (int d = last; d > 0 && index[d] == _lengths[d]; d--)
            {
                offset -= (nint)_lengths[d] * (nint)_strides[d];
                index[d] = 0;
                index[d - 1]++;
                offset += (nint)_strides[d - 1];
            }
        }
    }
}

/// <summary>The general layouts of a call's three matrices (logits, output, probabilities); a non-general one is unused.</summary>
internal struct TensorLayouts
{
    public PositionLayout Logits;
    public PositionLayout Output;
    public PositionLayout Probabilities;
}
