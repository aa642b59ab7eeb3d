using System;
using System.Threading;

namespace LsrGen.Scheduling;

/// <summary>
/// Runs a kernel over all rows in fixed chunks. Chunk boundaries depend only on N and K, and chunk sums are added
/// in chunk order, so every result is bit-identical whatever <see cref="LsrKernels.MaxDegreeOfParallelism"/> is.
/// </summary>
internal static class RowDriver
{
    /// <summary>Work of at least this many elements may be split over threads (docs/semantics.md, section 6).</summary>
    internal const long ParallelThreshold = 1 << 20;

    /// <summary>Elements per chunk; a chunk's rows are a multiple of 16 so generated 16-row blocks never straddle chunks.</summary>
    private const int ChunkElements = 1 << 16;

    private static int s_maxDegreeOfParallelism = Environment.ProcessorCount;

    internal static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref s_maxDegreeOfParallelism);
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"MaxDegreeOfParallelism must be at least 1 (1 runs every call on the calling thread; the default is the processor count), got {value}.");
            }

            Volatile.Write(ref s_maxDegreeOfParallelism, value);
        }
    }

    public static double Run<T, TKernel>(RowOperation operation, in RowArgs<T> args, int rows)
        where T : unmanaged
        where TKernel : ILsrRowKernel<T>
    {
        int classes = args.Classes;
        int chunkRows = Math.Max(16, ChunkElements / classes / 16 * 16);
        int chunks = (int)(((long)rows + chunkRows - 1) / chunkRows);
        int threads = MaxDegreeOfParallelism;
        if (chunks > 1 && threads > 1 && (long)rows * classes >= ParallelThreshold)
        {
            return ParallelRowRun<T, TKernel>.Run(operation, args, rows, chunkRows, chunks, threads);
        }

        double total = 0;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            int first = chunk * chunkRows;
            total += Invoke<T, TKernel>(operation, args, first, Math.Min(rows, first + chunkRows));
        }

        return total;
    }

    internal static double Invoke<T, TKernel>(RowOperation operation, in RowArgs<T> args, int firstRow, int endRow)
        where T : unmanaged
        where TKernel : ILsrRowKernel<T>
        => args.IsStaged
            ? RowStaging.Invoke<T, TKernel>(operation, args, firstRow, endRow)
            : InvokeDense<T, TKernel>(operation, args, firstRow, endRow);

    /// <summary>Runs the kernel on K-dense rows of <typeparamref name="T"/>.</summary>
    internal static double InvokeDense<T, TKernel>(RowOperation operation, in RowArgs<T> args, int firstRow, int endRow)
        where T : unmanaged
        where TKernel : ILsrRowKernel<T>
    {
        switch (operation)
        {
            case RowOperation.LogSoftmax:
                TKernel.LogSoftmax(args, firstRow, endRow);
                return 0;
            case RowOperation.Softmax:
                TKernel.Softmax(args, firstRow, endRow);
                return 0;
            case RowOperation.ClassIndexForward:
                return TKernel.ClassIndexForward(args, firstRow, endRow);
            case RowOperation.ClassIndexGradient:
                return TKernel.ClassIndexGradient(args, firstRow, endRow);
            case RowOperation.ProbabilityForward:
                return TKernel.ProbabilityForward(args, firstRow, endRow);
            case RowOperation.ProbabilityGradient:
                return TKernel.ProbabilityGradient(args, firstRow, endRow);
            case RowOperation.ClassIndexBackward:
                TKernel.ClassIndexBackward(args, firstRow, endRow);
                return 0;
            case RowOperation.ProbabilityBackward:
                TKernel.ProbabilityBackward(args, firstRow, endRow);
                return 0;
            case RowOperation.LogSoftmaxBackward:
                TKernel.LogSoftmaxBackward(args, firstRow, endRow);
                return 0;
            case RowOperation.SoftmaxBackward:
                TKernel.SoftmaxBackward(args, firstRow, endRow);
                return 0;
            default:
                TKernel.ArgMax(args, firstRow, endRow);
                return 0;
        }
    }
}
