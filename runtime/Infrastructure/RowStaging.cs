using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LsrGen.Infrastructure;

/// <summary>
/// Runs a kernel on rows that are not K-dense rows of its element type (rows with a stride, Half elements): one
/// driver chunk at a time, the chunk's rows are copied (or widened to float) into this thread's dense buffer, the
/// kernel runs on the buffer exactly as it would on dense memory, and a matrix result is copied (or rounded to Half)
/// back. The kernel sees the same rows in the same chunks as a dense call, so every result is bit-identical to the
/// dense copy's, whichever kernel (generic, gathered blocks, generated) serves K; padding columns are never touched.
/// </summary>
internal static unsafe class RowStaging
{
    /// <summary>
    /// Chunks larger than this (K above 4,096: 16-row chunks) are staged a row at a time, so the staged row stays in L2
    /// while the kernel makes its passes over it. Those K run the row loops, which add row losses one by one from 0: a
    /// row at a time adds the same numbers in the same order, bit for bit.
    /// </summary>
    private const int WholeChunkElements = 1 << 16;

    public static double Invoke<T, TKernel>(RowOperation operation, in RowArgs<T> args, int firstRow, int endRow)
        where T : unmanaged
        where TKernel : ILsrRowKernel<T>
    {
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

    private static double InvokeRows<T, TKernel>(RowOperation operation, in RowArgs<T> args, int firstRow, int endRow)
        where T : unmanaged
        where TKernel : ILsrRowKernel<T>
    {
        int k = args.Classes;
        int rows = endRow - firstRow;
        nint count = (nint)rows * k;
        RowLayout layout = args.Layout;
        bool matrixOutput = operation is not (RowOperation.HardForward or RowOperation.SoftForward);
        bool soft = operation is RowOperation.SoftForward or RowOperation.SoftGradient or RowOperation.SoftBackward;
        bool inPlace = matrixOutput && args.RawOutput == args.RawLogits;

        T* logits = StagingBuffer<T>.Logits(count);
        Load(args.RawLogits, layout.LogitStride, layout.Half, firstRow, rows, k, logits);
        T* probabilities = null;
        if (soft)
        {
            probabilities = StagingBuffer<T>.Probabilities(count);
            Load(args.RawProbabilities, layout.ProbabilityStride, half: false, firstRow, rows, k, probabilities);
        }

        T* output = !matrixOutput ? null : inPlace ? logits : StagingBuffer<T>.Output(count);
        RowArgs<T> staged = args.Restaged(firstRow, logits, probabilities, output);
        double total = RowDriver.InvokeDense<T, TKernel>(operation, staged, 0, rows);
        if (matrixOutput)
        {
            Store(output, args.RawOutput, layout.OutputStride, layout.Half, firstRow, rows, k);
        }

        return total;
    }

    private static void Load<T>(void* source, nint stride, bool half, int firstRow, int rows, int k, T* destination)
        where T : unmanaged
    {
        nint step = stride == 0 ? k : stride;
        if (half)
        {
            Half* from = (Half*)source + (firstRow * step);
            float* to = (float*)destination;
            if (step == k)
            {
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(from, rows * k), new Span<float>(to, rows * k));
                return;
            }

            for (int row = 0; row < rows; row++)
            {
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(from + (row * step), k), new Span<float>(to + ((nint)row * k), k));
            }

            return;
        }

        T* rowsFrom = (T*)source + (firstRow * step);
        for (int row = 0; row < rows; row++)
        {
            new ReadOnlySpan<T>(rowsFrom + (row * step), k).CopyTo(new Span<T>(destination + ((nint)row * k), k));
        }
    }

    private static void Store<T>(T* source, void* destination, nint stride, bool half, int firstRow, int rows, int k)
        where T : unmanaged
    {
        nint step = stride == 0 ? k : stride;
        if (half)
        {
            float* from = (float*)source;
            Half* to = (Half*)destination + (firstRow * step);
            if (step == k)
            {
                TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(from, rows * k), new Span<Half>(to, rows * k));
                return;
            }

            for (int row = 0; row < rows; row++)
            {
                TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(from + ((nint)row * k), k), new Span<Half>(to + (row * step), k));
            }

            return;
        }

        T* rowsTo = (T*)destination + (firstRow * step);
        for (int row = 0; row < rows; row++)
        {
            new ReadOnlySpan<T>(source + ((nint)row * k), k).CopyTo(new Span<T>(rowsTo + (row * step), k));
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
