using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.Shapes.GeneratedBlocks;

/// <summary>
/// The block shape for small K: rows are taken a vector's lanes at a time (16 floats or 8 doubles with Vector512),
/// and <typeparamref name="TKernel"/>, generated for a constant K, turns each block into one vector per class and runs
/// every per-row step (max, exps, sum, log, loss and gradient terms) as vertical vector math over the K class vectors,
/// with no horizontal reduction per row. This class drives the blocks over a call's rows. Rows left over after the
/// last whole block run through the same block on a zero-padded copy, so a row's outputs never depend on where it sits
/// in the batch. Where the routing table runs no generated blocks on this machine (Vector256 at larger K, no AVX2) the
/// call runs <see cref="RowKernels{T, TClasses}"/>.
/// For generated code only: not intended to be called directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TKernel">The generated kernel: its constant K and its block code.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
[SkipLocalsInit]
public static unsafe class BlockKernels<T, TKernel>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : struct, IBlockKernel
{
    /// <summary>Blocks whose losses are summed in T, lane-wise, before they move to a double (at most 64 terms a lane).</summary>
    private const int LossBlocks = 64;

    /// <inheritdoc cref="ILsrRowKernel{T}.LogSoftmax"/>
    public static void LogSoftmax(in RowArgs<T> args, int firstRow, int endRow) => Run<LogSoftmaxBlock>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.Softmax"/>
    public static void Softmax(in RowArgs<T> args, int firstRow, int endRow) => Run<SoftmaxBlock>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ClassIndexForward"/>
    public static double ClassIndexForward(in RowArgs<T> args, int firstRow, int endRow)
        => args.HasOutput || args.HasLogSumExp
            ? Run<ClassIndexForwardBlock<PerRowLosses>>(args, firstRow, endRow)
            : Run<ClassIndexForwardBlock<ReducedLoss>>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ClassIndexGradient"/>
    public static double ClassIndexGradient(in RowArgs<T> args, int firstRow, int endRow) => Run<ClassIndexGradientBlock>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ProbabilityForward"/>
    public static double ProbabilityForward(in RowArgs<T> args, int firstRow, int endRow)
        => args.HasOutput || args.HasLogSumExp
            ? Run<ProbabilityForwardBlock<PerRowLosses>>(args, firstRow, endRow)
            : Run<ProbabilityForwardBlock<ReducedLoss>>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ProbabilityGradient"/>
    public static double ProbabilityGradient(in RowArgs<T> args, int firstRow, int endRow) => Run<ProbabilityGradientBlock>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ClassIndexBackward"/>
    public static void ClassIndexBackward(in RowArgs<T> args, int firstRow, int endRow) => Run<ClassIndexBackwardBlock>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ProbabilityBackward"/>
    public static void ProbabilityBackward(in RowArgs<T> args, int firstRow, int endRow) => Run<ProbabilityBackwardBlock>(args, firstRow, endRow);

    private static double Run<TOperation>(in RowArgs<T> args, int firstRow, int endRow)
        where TOperation : struct, IBlockOperation
    {
        int k = TKernel.Resolve(args.Classes);
        if (Routes.For(TOperation.Operation, k, args, generatedBlocks: true) != Shape.GeneratedBlocks)
        {
            return InRows(TOperation.Operation, args, firstRow, endRow);
        }

        return Machine.HasVector512
            ? Blocks<TOperation, Simd512<T>, Vector512<T>>(args, k, firstRow, endRow)
            : Blocks<TOperation, Simd256<T>, Vector256<T>>(args, k, firstRow, endRow);
    }

    // The same operation one row at a time, where no block width serves.
    private static double InRows(RowOperation operation, in RowArgs<T> args, int firstRow, int endRow)
    {
        switch (operation)
        {
            case RowOperation.LogSoftmax:
                RowKernels<T, TKernel>.LogSoftmax(args, firstRow, endRow);
                return 0;
            case RowOperation.Softmax:
                RowKernels<T, TKernel>.Softmax(args, firstRow, endRow);
                return 0;
            case RowOperation.ClassIndexForward:
                return RowKernels<T, TKernel>.ClassIndexForward(args, firstRow, endRow);
            case RowOperation.ClassIndexGradient:
                return RowKernels<T, TKernel>.ClassIndexGradient(args, firstRow, endRow);
            case RowOperation.ProbabilityForward:
                return RowKernels<T, TKernel>.ProbabilityForward(args, firstRow, endRow);
            case RowOperation.ProbabilityGradient:
                return RowKernels<T, TKernel>.ProbabilityGradient(args, firstRow, endRow);
            case RowOperation.ClassIndexBackward:
                RowKernels<T, TKernel>.ClassIndexBackward(args, firstRow, endRow);
                return 0;
            case RowOperation.ProbabilityBackward:
                RowKernels<T, TKernel>.ProbabilityBackward(args, firstRow, endRow);
                return 0;
            default:
                // The routing table's RowLoopsOnly operations have no block code, so they never arrive here.
                throw new System.Diagnostics.UnreachableException($"{operation} has no generated block code.");
        }
    }

    private static double Blocks<TOperation, TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
        where TOperation : struct, IBlockOperation
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
    {
        var blockArgs = new BlockArgs<T>(args, k, PinnedOnes<T>.Pointer);
        bool perRow = TOperation.Operation.ReadsUpstream() || args.HasLogSumExp;
        int lanes = TS.Count;
        bool hasOutput = args.HasOutput;
        double total = 0;
        TV lossLanes = TS.Zero;
        int blocks = 0;
        int row = firstRow;
        bool capped = args.Softcap != T.Zero;
        Unsafe.SkipInit(out PaddedBlock<TV> cappedBuffer);
        Unsafe.SkipInit(out PaddedBlock<TV> slopeBuffer);
        Span<T> cappedBlock = PaddedBlock<TV>.AsSpan<T>(ref cappedBuffer, lanes * k);
        Span<T> slopeBlock = TOperation.Operation.WritesGradient() ? PaddedBlock<TV>.AsSpan<T>(ref slopeBuffer, lanes * k) : default;
        for (; row + lanes <= endRow; row += lanes)
        {
            nuint at = (nuint)row * (nuint)k;
            scoped ref T x = ref Unsafe.Add(ref args.Logits, at);
            if (capped)
            {
                // The block code sees z = c tanh(x / c) from a capped copy, and a gradient is multiplied by dz/dx after it:
                // generated code holds no soft-cap code of its own, which would exceed the JIT's inlining budget for it.
                CapBlock<TS, TV>(ref x, cappedBlock, slopeBlock, blockArgs.Cap, TOperation.Operation.ReadsUpstream());
                x = ref MemoryMarshal.GetReference(cappedBlock);
            }

            TV loss = Block<TOperation, TS, TV>(
                blockArgs,
                ref x,
                ref TOperation.Operation.ReadsProbabilities() ? ref Unsafe.Add(ref args.Probabilities, at) : ref Unsafe.NullRef<T>(),
                ref TOperation.Operation.IsClassIndex() ? ref Unsafe.Add(ref args.Targets, row) : ref Unsafe.NullRef<int>(),
                ref !hasOutput ? ref Unsafe.NullRef<T>() : ref Unsafe.Add(ref args.Output, TOperation.Operation.WritesRows() ? at : (nuint)row),
                hasOutput,
                ref perRow ? ref Unsafe.Add(ref args.LogSumExp, row) : ref Unsafe.NullRef<T>(),
                ref TOperation.Operation.ReadsUpstream() ? ref Unsafe.Add(ref args.LossGradients, row) : ref Unsafe.NullRef<T>());
            if (capped && TOperation.Operation.WritesGradient())
            {
                ApplySlope<TS, TV>(ref Unsafe.Add(ref args.Output, at), slopeBlock);
            }

            if (TOperation.Operation.ReturnsLoss())
            {
                // Summed lane-wise, moved to the double total every LossBlocks blocks: a horizontal sum per block cost
                // as much as the rest of a K = 3 block.
                lossLanes = TS.Add(lossLanes, loss);
                if (++blocks == LossBlocks)
                {
                    total += double.CreateTruncating(TS.HorizontalSum(lossLanes));
                    lossLanes = TS.Zero;
                    blocks = 0;
                }
            }
        }

        if (TOperation.Operation.ReturnsLoss())
        {
            total += double.CreateTruncating(TS.HorizontalSum(lossLanes));
        }

        if (row < endRow)
        {
            total += Leftover<TOperation, TS, TV>(args, blockArgs, k, row, endRow);
        }

        return total;
    }

    // The last rows of a call, fewer than a block: copied into a zero-padded block, run through the same block code,
    // and only their outputs copied back, so they get exactly the bits they would get inside a whole block.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Leftover<TOperation, TS, TV>(in RowArgs<T> args, in BlockArgs<T> blockArgs, int k, int row, int endRow)
        where TOperation : struct, IBlockOperation
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
    {
        int lanes = TS.Count;
        int rows = endRow - row;
        int used = rows * k;
        int size = lanes * k;
        nuint at = (nuint)row * (nuint)k;
        Unsafe.SkipInit(out PaddedBlock<TV> logitBuffer);
        Unsafe.SkipInit(out PaddedBlock<TV> probabilityBuffer);
        Unsafe.SkipInit(out PaddedBlock<TV> outputBuffer);
        Span<T> x = PaddedBlock<TV>.AsSpan<T>(ref logitBuffer, size);
        Span<T> q = PaddedBlock<TV>.AsSpan<T>(ref probabilityBuffer, size);
        Span<T> o = PaddedBlock<TV>.AsSpan<T>(ref outputBuffer, size);
        Span<int> t = stackalloc int[lanes];
        Span<T> lse = stackalloc T[lanes];
        Span<T> upstream = stackalloc T[lanes];
        bool perRow = TOperation.Operation.ReadsUpstream() || args.HasLogSumExp;
        if (TOperation.Operation.ReadsUpstream())
        {
            // Padding rows get lse 0 and upstream 0: finite, and their outputs are never copied back.
            lse.Clear();
            upstream.Clear();
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref args.LogSumExp, row), rows).CopyTo(lse);
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref args.LossGradients, row), rows).CopyTo(upstream);
        }
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref args.Logits, at), used).CopyTo(x);
        x[used..].Clear();
        Unsafe.SkipInit(out PaddedBlock<TV> slopeBuffer);
        Span<T> slopes = TOperation.Operation.WritesGradient() ? PaddedBlock<TV>.AsSpan<T>(ref slopeBuffer, size) : default;
        if (args.Softcap != T.Zero)
        {
            CapBlock<TS, TV>(ref MemoryMarshal.GetReference(x), x, slopes, blockArgs.Cap, TOperation.Operation.ReadsUpstream());
        }
        if (TOperation.Operation.ReadsProbabilities())
        {
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref args.Probabilities, at), used).CopyTo(q);
            q[used..].Clear();
        }

        if (TOperation.Operation.IsClassIndex())
        {
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref args.Targets, row), rows).CopyTo(t);
            t[rows..].Fill(args.IgnoreIndex);
        }

        TV loss = Block<TOperation, TS, TV>(
            blockArgs,
            ref MemoryMarshal.GetReference(x),
            ref MemoryMarshal.GetReference(q),
            ref MemoryMarshal.GetReference(t),
            ref MemoryMarshal.GetReference(o),
            hasOutput: true,
            ref perRow ? ref MemoryMarshal.GetReference(lse) : ref Unsafe.NullRef<T>(),
            ref TOperation.Operation.ReadsUpstream() ? ref MemoryMarshal.GetReference(upstream) : ref Unsafe.NullRef<T>());
        if (args.HasLogSumExp && !TOperation.Operation.ReadsUpstream())
        {
            lse[..rows].CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref args.LogSumExp, row), rows));
        }
        if (args.Softcap != T.Zero && TOperation.Operation.WritesGradient())
        {
            ApplySlope<TS, TV>(ref MemoryMarshal.GetReference(o), slopes);
        }

        if (args.HasOutput)
        {
            if (TOperation.Operation.WritesRows())
            {
                o[..used].CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref args.Output, at), used));
            }
            else
            {
                o[..rows].CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref args.Output, row), rows));
            }
        }

        return TOperation.Operation.ReturnsLoss() ? double.CreateTruncating(TS.HorizontalSum(TS.SelectFromLane(rows, TS.Zero, loss))) : 0;
    }

    // z = c tanh(x / c) of one block into `destination` (which may be x itself) and, for a gradient, dz/dx into
    // `slopes`; Backward's float z is within 1 ulp (ApplyPrecise: its p = exp(z - lse) comes from a saved lse).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CapBlock<TS, TV>(ref T x, Span<T> destination, Span<T> slopes, in LogitCap cap, bool rounded)
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
    {
        ref T z = ref MemoryMarshal.GetReference(destination);
        ref T s = ref MemoryMarshal.GetReference(slopes);
        nuint count = (nuint)destination.Length;
        nuint width = (nuint)TS.Count;
        for (nuint i = 0; i < count; i += width)
        {
            TV slope;
            TV capped = rounded ? cap.ApplyPrecise(TS.Load(ref x, i), out slope) : cap.Apply(TS.Load(ref x, i), out slope);
            TS.Store(capped, ref z, i);
            if (!slopes.IsEmpty)
            {
                TS.Store(slope, ref s, i);
            }
        }
    }

    // gradient *= dz/dx over one block, leaving exact zeros (ignored rows) zero even where the slope is NaN.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ApplySlope<TS, TV>(ref T gradient, Span<T> slopes)
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
    {
        ref T s = ref MemoryMarshal.GetReference(slopes);
        nuint count = (nuint)slopes.Length;
        nuint width = (nuint)TS.Count;
        for (nuint i = 0; i < count; i += width)
        {
            TV g = TS.Load(ref gradient, i);
            TS.Store(TS.AndNot(TS.Multiply(g, TS.Load(ref s, i)), TS.Equals(g, TS.Zero)), ref gradient, i);
        }
    }

    /// <summary>One operation of the block shape, as a type: its properties (<see cref="RowOperations"/>) decide what a block reads and writes.</summary>
    private interface IBlockOperation
    {
        static abstract RowOperation Operation { get; }
    }

    private readonly struct LogSoftmaxBlock : IBlockOperation
    {
        public static RowOperation Operation => RowOperation.LogSoftmax;
    }

    private readonly struct SoftmaxBlock : IBlockOperation
    {
        public static RowOperation Operation => RowOperation.Softmax;
    }

    // TOutput: per-row losses and log-sum-exps, or only their sum.
    private readonly struct ClassIndexForwardBlock<TOutput> : IBlockOperation
        where TOutput : struct, ILossOutput
    {
        public static RowOperation Operation => RowOperation.ClassIndexForward;
    }

    private readonly struct ClassIndexGradientBlock : IBlockOperation
    {
        public static RowOperation Operation => RowOperation.ClassIndexGradient;
    }

    private readonly struct ProbabilityForwardBlock<TOutput> : IBlockOperation
        where TOutput : struct, ILossOutput
    {
        public static RowOperation Operation => RowOperation.ProbabilityForward;
    }

    private readonly struct ProbabilityGradientBlock : IBlockOperation
    {
        public static RowOperation Operation => RowOperation.ProbabilityGradient;
    }

    private readonly struct ClassIndexBackwardBlock : IBlockOperation
    {
        public static RowOperation Operation => RowOperation.ClassIndexBackward;
    }

    private readonly struct ProbabilityBackwardBlock : IBlockOperation
    {
        public static RowOperation Operation => RowOperation.ProbabilityBackward;
    }

    // Runs one block of the operation in the generated code; returns each row's loss (zero for operations without
    // one). The tests are on types, which the JIT folds as it imports the method: only the operation's call is compiled.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Block<TOperation, TS, TV>(
        in BlockArgs<T> args, ref T x, ref T q, ref int targets, ref T output, bool hasOutput, ref T logSumExp, ref T lossGradients)
        where TOperation : struct, IBlockOperation
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
    {
        if (typeof(TOperation) == typeof(LogSoftmaxBlock))
        {
            TKernel.LogSoftmax<T, TS, TV>(ref x, ref output);
        }
        else if (typeof(TOperation) == typeof(SoftmaxBlock))
        {
            TKernel.Softmax<T, TS, TV>(ref x, ref output);
        }
        else if (typeof(TOperation) == typeof(ClassIndexForwardBlock<PerRowLosses>))
        {
            return StoreLosses<TS, TV>(TKernel.ClassIndexForward<T, TS, TV, PerRowLosses>(args, ref x, ref targets, ref logSumExp), ref output, hasOutput);
        }
        else if (typeof(TOperation) == typeof(ClassIndexForwardBlock<ReducedLoss>))
        {
            return StoreLosses<TS, TV>(TKernel.ClassIndexForward<T, TS, TV, ReducedLoss>(args, ref x, ref targets, ref logSumExp), ref output, hasOutput);
        }
        else if (typeof(TOperation) == typeof(ClassIndexGradientBlock))
        {
            return TKernel.ClassIndexGradient<T, TS, TV>(args, ref x, ref targets, ref output);
        }
        else if (typeof(TOperation) == typeof(ProbabilityForwardBlock<PerRowLosses>))
        {
            return StoreLosses<TS, TV>(TKernel.ProbabilityForward<T, TS, TV, PerRowLosses>(args, ref x, ref q, ref logSumExp), ref output, hasOutput);
        }
        else if (typeof(TOperation) == typeof(ProbabilityForwardBlock<ReducedLoss>))
        {
            return StoreLosses<TS, TV>(TKernel.ProbabilityForward<T, TS, TV, ReducedLoss>(args, ref x, ref q, ref logSumExp), ref output, hasOutput);
        }
        else if (typeof(TOperation) == typeof(ProbabilityGradientBlock))
        {
            return TKernel.ProbabilityGradient<T, TS, TV>(args, ref x, ref q, ref output);
        }
        else if (typeof(TOperation) == typeof(ClassIndexBackwardBlock))
        {
            TKernel.ClassIndexBackward<T, TS, TV>(args, ref x, ref targets, ref logSumExp, ref lossGradients, ref output);
        }
        else
        {
            TKernel.ProbabilityBackward<T, TS, TV>(args, ref x, ref q, ref logSumExp, ref lossGradients, ref output);
        }

        return TS.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV StoreLosses<TS, TV>(TV losses, ref T output, bool hasOutput)
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
    {
        if (hasOutput)
        {
            TS.Store(losses, ref output, 0);
        }

        return losses;
    }

    /// <summary>Room for one zero-padded block: up to 32 vectors, the block shape's largest K.</summary>
    [InlineArray(32)]
    private struct PaddedBlock<TV>
        where TV : struct
    {
        private TV _element;

        public static Span<TElement> AsSpan<TElement>(ref PaddedBlock<TV> buffer, int length)
            => MemoryMarshal.CreateSpan(ref Unsafe.As<PaddedBlock<TV>, TElement>(ref buffer), length);
    }
}
