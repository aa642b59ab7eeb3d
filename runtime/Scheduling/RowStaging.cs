using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Scheduling;

/// <summary>
/// Runs a kernel on rows that are not K-dense rows of its element type (rows with a stride, Half elements, positions
/// of a tensor of rank 3 to 8 with their classes along dimension 1). Where only row loops serve K
/// (<see cref="RoutingTable.StagesStridedRows"/>), they take strided rows as they are. Below that, for Half and for
/// positions, one driver chunk at a time, the chunk's rows are copied (or widened to float, or gathered from their
/// positions: <see cref="PositionLayout.Move"/>) into this thread's dense buffer, the kernel runs
/// on the buffer exactly as it would on dense memory, and a matrix result is copied (or rounded to Half) back. The
/// kernel sees the same rows in the same chunks as a dense call, so every result is bit-identical to the dense copy's,
/// whichever kernel (generic, gathered blocks, generated) serves K; padding columns are never touched.
/// </summary>
internal static unsafe class RowStaging
{
    /// <summary>
    /// Half chunks larger than this (K above 4,096: 16-row chunks) are widened a row at a time, so the row stays in L2
    /// while the kernel makes its passes over it. Those K run the row loops, which add row losses one by one from 0: a
    /// row at a time adds the same numbers in the same order, bit for bit.
    /// </summary>
    private const int WholeChunkElements = 1 << 16;

    public static double Invoke<T, TKernel>(RowOperation operation, in RowArgs<T> args, int firstRow, int endRow)
        where T : unmanaged
        where TKernel : ILsrRowKernel<T>
    {
        if (!args.Layout.Half && args.Layout.Tensors == null && !RoutingTable.StagesStridedRows(operation, args.Classes))
        {
            return RowDriver.InvokeDense<T, TKernel>(operation, args, firstRow, endRow);
        }

        if (ReadsClassPlanes(operation, args))
        {
            ref PositionLayout planes = ref args.Layout.Tensors->Logits;
            return typeof(T) == typeof(float)
                ? GatherBlocks<float>.ClassPlanes(operation, Unsafe.As<RowArgs<T>, RowArgs<float>>(ref Unsafe.AsRef(in args)), planes, firstRow, endRow)
                : GatherBlocks<double>.ClassPlanes(operation, Unsafe.As<RowArgs<T>, RowArgs<double>>(ref Unsafe.AsRef(in args)), planes, firstRow, endRow);
        }

        if ((long)(endRow - firstRow) * args.Classes <= WholeChunkElements)
        {
            return InvokeRows<T, TKernel>(operation, args, firstRow, endRow);
        }

        double total = 0;
        for (int row = firstRow; row < endRow; row++)
        {
            total += InvokeRows<T, TKernel>(operation, args, row, row + 1);
        }

        return total;
    }

    // Class planes the blocks read in place: the routing table's rule, the logits' layout, and a matrix output laid out as they are.
    private static bool ReadsClassPlanes<T>(RowOperation operation, in RowArgs<T> args)
        where T : unmanaged
    {
        TensorLayouts* tensors = args.Layout.Tensors;
        return tensors != null
            && (typeof(T) == typeof(float) || typeof(T) == typeof(double))
            && RoutingTable.ReadsClassPlanes(operation, typeof(T) == typeof(float), args.Classes, Machine.Sets, args.HasExtras(operation))
            && tensors->Logits.ReadsAsPlanes
            && (!operation.WritesRows() || tensors->Output.SameAs(tensors->Logits));
    }

    private static nint Step(nint stride, int classes) => stride == 0 ? classes : stride;

    private static double InvokeRows<T, TKernel>(RowOperation operation, in RowArgs<T> args, int firstRow, int endRow)
        where T : unmanaged
        where TKernel : ILsrRowKernel<T>
    {
        int k = args.Classes;
        int rows = endRow - firstRow;
        nint count = (nint)rows * k;
        RowLayout layout = args.Layout;
        bool matrixOutput = operation.WritesRows();
        bool secondMatrix = operation.ReadsSecondMatrix();
        bool inPlace = matrixOutput && args.RawOutput == args.RawLogits;

        TensorLayouts* tensors = layout.Tensors;
        T* logits = StagingBuffer<T>.Logits(count);
        Load(args.RawLogits, layout.LogitStride, Positions(tensors, 0), layout.Half, firstRow, rows, k, logits);
        T* probabilities = null;
        if (secondMatrix)
        {
            probabilities = StagingBuffer<T>.Probabilities(count);
            Load(args.RawProbabilities, layout.ProbabilityStride, Positions(tensors, 2), half: false, firstRow, rows, k, probabilities);
        }

        T* output = !matrixOutput ? null : inPlace ? logits : StagingBuffer<T>.Output(count);
        RowArgs<T> staged = args.Restaged(firstRow, logits, probabilities, output);
        double total = RowDriver.InvokeDense<T, TKernel>(operation, staged, 0, rows);
        if (matrixOutput)
        {
            Store(output, args.RawOutput, layout.OutputStride, Positions(tensors, 1), layout.Half, firstRow, rows, k);
        }

        return total;
    }

    // A matrix's general layout (0: the logits, 1: the output, 2: the probabilities), or null for rows of a stride.
    private static PositionLayout* Positions(TensorLayouts* tensors, int matrix)
    {
        if (tensors == null)
        {
            return null;
        }

        PositionLayout* positions = matrix == 0 ? &tensors->Logits : matrix == 1 ? &tensors->Output : &tensors->Probabilities;
        return positions->IsGeneral ? positions : null;
    }

    private static void Load<T>(void* source, nint stride, PositionLayout* positions, bool half, int firstRow, int rows, int k, T* destination)
        where T : unmanaged
    {
        if (positions != null)
        {
            positions->Move((T*)source, destination, firstRow, rows, k, toTensor: false);
            return;
        }

        if (half)
        {
            // Half rows are always dense (there are no Half tensor-span overloads).
            int count = rows * k;
            TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((Half*)source + ((nint)firstRow * k), count), new Span<float>(destination, count));
            return;
        }

        nint step = Step(stride, k);
        CopyRows((byte*)((T*)source + (firstRow * step)), step * sizeof(T), (byte*)destination, (nint)k * sizeof(T), rows, (nuint)k * (nuint)sizeof(T));
    }

    private static void Store<T>(T* source, void* destination, nint stride, PositionLayout* positions, bool half, int firstRow, int rows, int k)
        where T : unmanaged
    {
        if (positions != null)
        {
            positions->Move((T*)destination, source, firstRow, rows, k, toTensor: true);
            return;
        }

        if (half)
        {
            int count = rows * k;
            TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(source, count), new Span<Half>((Half*)destination + ((nint)firstRow * k), count));
            return;
        }

        nint step = Step(stride, k);
        CopyRows((byte*)source, (nint)k * sizeof(T), (byte*)((T*)destination + (firstRow * step)), step * sizeof(T), rows, (nuint)k * (nuint)sizeof(T));
    }

    /// <summary>
    /// Copies <paramref name="rows"/> rows of <paramref name="bytes"/> bytes between row strides; inline, with vectors
    /// that overlap at a row's end instead of a memmove call per row (at K = 10 the calls cost more than the kernel).
    /// Nothing outside a row is read or written.
    /// </summary>
    private static void CopyRows(byte* from, nint fromStride, byte* to, nint toStride, int rows, nuint bytes)
    {
        for (int row = 0; row < rows; row++, from += fromStride, to += toStride)
        {
            if (bytes >= 64 && Vector512.IsHardwareAccelerated)
            {
                nuint i = 0;
                for (; i + 64 <= bytes; i += 64)
                {
                    Vector512.Store(Vector512.Load(from + i), to + i);
                }

                if (i < bytes)
                {
                    Vector512.Store(Vector512.Load(from + bytes - 64), to + bytes - 64);
                }
            }
            else if (bytes >= 32)
            {
                nuint i = 0;
                for (; i + 32 <= bytes; i += 32)
                {
                    Vector256.Store(Vector256.Load(from + i), to + i);
                }

                if (i < bytes)
                {
                    Vector256.Store(Vector256.Load(from + bytes - 32), to + bytes - 32);
                }
            }
            else if (bytes >= 16)
            {
                Vector128.Store(Vector128.Load(from), to);
                Vector128.Store(Vector128.Load(from + bytes - 16), to + bytes - 16);
            }
            else if (bytes >= 8)
            {
                Unsafe.WriteUnaligned(to, Unsafe.ReadUnaligned<ulong>(from));
                Unsafe.WriteUnaligned(to + bytes - 8, Unsafe.ReadUnaligned<ulong>(from + bytes - 8));
            }
            else
            {
                Unsafe.WriteUnaligned(to, Unsafe.ReadUnaligned<uint>(from));
                Unsafe.WriteUnaligned(to + bytes - 4, Unsafe.ReadUnaligned<uint>(from + bytes - 4));
            }
        }
    }

    /// <summary>
    /// Each thread's staging memory, pinned and reused for every later call (a chunk is at most max(64K, 16 K) elements),
    /// so a staged call allocates only the first time a thread sees a larger chunk.
    /// </summary>
    private static class StagingBuffer<T>
        where T : unmanaged
    {
        [ThreadStatic]
        private static T[]? t_logits;

        [ThreadStatic]
        private static T[]? t_probabilities;

        [ThreadStatic]
        private static T[]? t_output;

        public static T* Logits(nint count) => Get(ref t_logits, count);

        public static T* Probabilities(nint count) => Get(ref t_probabilities, count);

        public static T* Output(nint count) => Get(ref t_output, count);

        private static T* Get(ref T[]? buffer, nint count)
        {
            if (buffer is null || buffer.Length < count)
            {
                buffer = GC.AllocateUninitializedArray<T>((int)Math.Max(count, 1 << 16), pinned: true);
            }

            return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        }
    }
}
