using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.Shapes.GatheredBlocks;

/// <summary>
/// The block shape for a class count known only at run time: the class-index loss and its fused gradient and Backward,
/// for every caller: <see cref="RowKernels{T, TClasses}"/> runs these operations here where the routing table says
/// (<see cref="RoutingTable"/>), and generated kernels call RowKernels for them above the K where their own block code
/// wins. A block of rows (a vector's lanes) is read into one vector per class (float with AVX-512 and K up to
/// <see cref="RoutingTable.TransposedBlockMaximum"/>: K's permute transposes, <see cref="ClassTransposes"/>; otherwise
/// AVX2 gathers, with each row K elements on), the per-class steps of
/// <see cref="ClassIndexBlock{T, TS, TV}"/> run over them as vertical vector math, as in generated kernels, and a gradient is
/// written back the same way. The class vectors live in a stack buffer instead of registers,
/// and the per-class steps are a loop instead of unrolled, so the JIT inlines them at any K (a generated block from
/// K = 10 on runs out of inlining budget and leaves calls). Rows left over after the last whole block run through the
/// same block on a zero-padded copy, so a row's outputs never depend on where it sits in the batch.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[SkipLocalsInit]
internal static unsafe partial class GatherBlocks<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc cref="ILsrRowKernel{T}.ClassIndexForward"/>
    public static double ClassIndexForward(in RowArgs<T> args, int firstRow, int endRow) => Run<ForwardPass>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ClassIndexGradient"/>
    public static double ClassIndexGradient(in RowArgs<T> args, int firstRow, int endRow) => Run<GradientPass>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ClassIndexBackward"/>
    public static void ClassIndexBackward(in RowArgs<T> args, int firstRow, int endRow) => Run<BackwardPass>(args, firstRow, endRow);

    private static double Run<TPass>(in RowArgs<T> args, int firstRow, int endRow)
        where TPass : struct, IPass
        => Machine.HasVector512
            ? Blocks<Simd512<T>, Vector512<T>, TPass>(args, firstRow, endRow)
            : Blocks<Simd256<T>, Vector256<T>, TPass>(args, firstRow, endRow);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Blocks<TS, TV, TOperation>(in RowArgs<T> args, int firstRow, int endRow)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        => typeof(TOperation) == typeof(ForwardPass) && !args.HasOutput && !args.HasLogSumExp
            ? Read<TS, TV, TOperation, ReducedLoss>(args, firstRow, endRow)
            : Read<TS, TV, TOperation, PerRowLosses>(args, firstRow, endRow);

    // How a block reads its class vectors, as the routing table says: through K's permute transposes, or by gathers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Read<TS, TV, TOperation, TOutput>(in RowArgs<T> args, int firstRow, int endRow)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        where TOutput : struct, ILossOutput
        => typeof(T) == typeof(float) && typeof(TV) == typeof(Vector512<T>) && RoutingTable.TransposesBlocks(args.Classes, typeof(TOperation) == typeof(ForwardPass), Machine.Vendor)
            ? ClassTransposes.Run<Transposed<TS, TV, TOperation, TOutput>, T>(args.Classes, args, firstRow, endRow)
            : Blocks<TS, TV, TOperation, TOutput, Gathered>(args, firstRow, endRow);

    // Compiled once per pass, output and K's transposes: inlined into the per-K dispatch, the blocks of every K would
    // share one method's inlining budget.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Blocks<TS, TV, TOperation, TOutput, TRead>(in RowArgs<T> args, int firstRow, int endRow)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        where TOutput : struct, ILossOutput
        where TRead : struct, IClassTranspose
    {
        int k = Classes<TRead>(args);
        int lanes = TS.Count;
        var blockArgs = new BlockArgs<T>(args, k, PinnedOnes<T>.Pointer);
        // z holds the class vectors, then (gradients) their slopes dz/dx.
        TV* z = stackalloc TV[typeof(TOperation) == typeof(ForwardPass) ? k : 2 * k];
        TV* e = stackalloc TV[typeof(TOperation) == typeof(ForwardPass) ? 1 : k];
        // Where gradient rows are written back by gathers, the index of each output lane in the class vectors.
        bool gathersRows = typeof(TOperation) != typeof(ForwardPass) && typeof(TRead) == typeof(Gathered);
        int* rowIndex = stackalloc int[gathersRows ? lanes * k : 1];
        if (gathersRows)
        {
            RowIndex(rowIndex, k, lanes);
        }

        double total = 0;
        TV lossLanes = TS.Zero;
        int blocks = 0;
        int row = firstRow;
        for (; row + lanes <= endRow; row += lanes)
        {
            T* x = (T*)Unsafe.AsPointer(ref Unsafe.Add(ref args.Logits, (nint)row * k));
            int* t = (int*)Unsafe.AsPointer(ref Unsafe.Add(ref args.Targets, row));
            T* lse = args.HasLogSumExp ? (T*)Unsafe.AsPointer(ref Unsafe.Add(ref args.LogSumExp, row)) : null;
            TV loss;
            if (typeof(TOperation) == typeof(ForwardPass))
            {
                T* losses = args.HasOutput ? (T*)Unsafe.AsPointer(ref Unsafe.Add(ref args.Output, row)) : null;
                loss = Block<TS, TV, TOperation, TOutput, TRead>(blockArgs, k, x, t, losses, lse, null, z, e, rowIndex, 0);
            }
            else
            {
                T* gradient = (T*)Unsafe.AsPointer(ref Unsafe.Add(ref args.Output, (nint)row * k));
                T* upstream = typeof(TOperation) == typeof(BackwardPass) ? (T*)Unsafe.AsPointer(ref Unsafe.Add(ref args.LossGradients, row)) : null;
                loss = OutOfLineBlock<TS, TV, TOperation, TOutput, TRead>(blockArgs, k, x, t, gradient, lse, upstream, z, e, rowIndex, 0);
            }

            if (typeof(TOperation) != typeof(BackwardPass))
            {
                AddLoss<TS, TV>(ref lossLanes, ref blocks, ref total, loss);
            }
        }

        if (typeof(TOperation) != typeof(BackwardPass))
        {
            total += double.CreateTruncating(TS.HorizontalSum(lossLanes));
        }

        if (row < endRow)
        {
            T* rows = (T*)Unsafe.AsPointer(ref Unsafe.Add(ref args.Logits, (nint)row * k));
            T* gradientRows = typeof(TOperation) == typeof(ForwardPass) ? null : (T*)Unsafe.AsPointer(ref Unsafe.Add(ref args.Output, (nint)row * k));
            total += Leftover<TS, TV, TOperation, TOutput, TRead>(args, blockArgs, row, endRow, z, e, rowIndex, rows, gradientRows, k, 1);
        }

        return total;
    }

    // A block's losses summed lane-wise, moved to the double total every 64 blocks, as in BlockKernels.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddLoss<TS, TV>(ref TV lossLanes, ref int blocks, ref double total, TV loss)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
    {
        lossLanes = TS.Add(lossLanes, loss);
        if (++blocks == 64)
        {
            total += double.CreateTruncating(TS.HorizontalSum(lossLanes));
            lossLanes = TS.Zero;
            blocks = 0;
        }
    }

    // The last rows of a call (or of a run of class planes), fewer than a block: the same block on a zero-padded dense
    // copy whose padding rows are ignored targets, with only the real rows' outputs copied back, so they get exactly
    // the bits they would get in a whole block. The rows start at x (and the gradient's at g), rowStride and
    // classStride apart: K and 1 for rows, 1 and the plane stride for class planes.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Leftover<TS, TV, TOperation, TOutput, TRead>(
        in RowArgs<T> args, in BlockArgs<T> blockArgs, int row, int endRow, TV* z, TV* e, int* rowIndex, T* source, T* gradient, nint rowStride,
        nint classStride)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        where TOutput : struct, ILossOutput
        where TRead : struct, IClassTranspose
    {
        int k = Classes<TRead>(args);
        int lanes = TS.Count;
        int rows = endRow - row;
        T* x = stackalloc T[lanes * k];
        T* output = stackalloc T[lanes * k];
        int* targets = stackalloc int[lanes];
        T* lse = stackalloc T[lanes];
        T* upstream = stackalloc T[lanes];
        PositionLayout.MoveElements(source, x, 0, rows, 0, k, k, rowStride, classStride, toTensor: false);
        new Span<T>(x + (rows * k), (lanes - rows) * k).Clear();
        new ReadOnlySpan<int>(Unsafe.AsPointer(ref Unsafe.Add(ref args.Targets, row)), rows).CopyTo(new Span<int>(targets, lanes));
        new Span<int>(targets + rows, lanes - rows).Fill(args.IgnoreIndex);
        if (typeof(TOperation) == typeof(BackwardPass))
        {
            // Padding rows get lse 0 and upstream 0: finite, and their outputs are never copied back.
            new Span<T>(lse, lanes).Clear();
            new Span<T>(upstream, lanes).Clear();
            new ReadOnlySpan<T>(Unsafe.AsPointer(ref Unsafe.Add(ref args.LogSumExp, row)), rows).CopyTo(new Span<T>(lse, lanes));
            new ReadOnlySpan<T>(Unsafe.AsPointer(ref Unsafe.Add(ref args.LossGradients, row)), rows).CopyTo(new Span<T>(upstream, lanes));
        }

        TV loss = Block<TS, TV, TOperation, TOutput, TRead>(blockArgs, k, x, targets, output, lse, upstream, z, e, rowIndex, 0);
        bool forward = typeof(TOperation) == typeof(ForwardPass);
        if (forward && args.HasOutput)
        {
            new ReadOnlySpan<T>(output, rows).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref args.Output, row), rows));
        }

        if (!forward)
        {
            PositionLayout.MoveElements(gradient, output, 0, rows, 0, k, k, rowStride, classStride, toTensor: true);
        }

        if (forward && args.HasLogSumExp)
        {
            new ReadOnlySpan<T>(lse, rows).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref args.LogSumExp, row), rows));
        }

        return typeof(TOperation) == typeof(BackwardPass) ? 0 : double.CreateTruncating(TS.HorizontalSum(TS.SelectFromLane(rows, TS.Zero, loss)));
    }

    // The gradient blocks compiled on their own: inlined into the loop, they exceeded its inlining budget and left
    // calls (a class weight per class) in the per-class loops.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TV OutOfLineBlock<TS, TV, TOperation, TOutput, TRead>(in BlockArgs<T> args, int k, T* x, int* t, T* output, T* logSumExp, T* upstream, TV* z, TV* e, int* rowIndex, nint planeStride)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        where TOutput : struct, ILossOutput
        where TRead : struct, IClassTranspose
        => Block<TS, TV, TOperation, TOutput, TRead>(args, k, x, t, output, logSumExp, upstream, z, e, rowIndex, planeStride);

    // One block of TS.Count rows at x (with Planes: TS.Count positions, class j's at x + j * planeStride): the losses
    // (forward: also stored to `output` and `logSumExp` where not null), or the gradient rows written to `output`.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Block<TS, TV, TOperation, TOutput, TRead>(
        in BlockArgs<T> args, int k, T* x, int* t, T* output, T* logSumExp, T* upstream, TV* z, TV* e, int* rowIndex, nint planeStride)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        where TOutput : struct, ILossOutput
        where TRead : struct, IClassTranspose
    {
        TV max = Gather<TS, TV, TOperation, TRead>(args, x, k, z, planeStride, out bool nearSlopes);
        var h = new ClassIndexBlock<T, TS, TV>(args, ref *t);
        if (typeof(TOperation) == typeof(ForwardPass))
        {
            for (int j = 0; j < k; j++)
            {
                h.AddOffTarget<TOutput>(args, j, z[j], max);
            }

            SetTargets<TS, TV, TOperation, TRead>(args, ref h, x, t, k, planeStride);

            TV loss = h.RowLoss<TOutput>(args, ref logSumExp == null ? ref Unsafe.NullRef<T>() : ref *logSumExp);
            if (output != null)
            {
                TS.Store(loss, ref *output, 0);
            }

            return loss;
        }

        if (typeof(TOperation) == typeof(GradientPass))
        {
            for (int j = 0; j < k; j++)
            {
                e[j] = h.AddOffTarget<ReducedLoss>(args, j, z[j], max);
            }

            SetTargets<TS, TV, TOperation, TRead>(args, ref h, x, t, k, planeStride);

            TV loss = h.Loss(args);
            h.StartGradient(args);
            for (int j = 0; j < k; j++)
            {
                e[j] = Slope<TS, TV>(args, h.Gradient(args, j, e[j]), z, k, j, nearSlopes);
            }

            WriteRows<TV, TRead>(e, k, rowIndex, output, planeStride);
            return loss;
        }

        for (int j = 0; j < k; j++)
        {
            h.AddTarget(args, j);
        }

        h.StartBackward(args, ref *logSumExp, ref *upstream);
        for (int j = 0; j < k; j++)
        {
            e[j] = Slope<TS, TV>(args, h.Backward(args, j, z[j]), z, k, j, nearSlopes);
        }

        WriteRows<TV, TRead>(e, k, rowIndex, output, planeStride);
        return TS.Zero;
    }

    // Gathers the block's K class vectors into z (soft-capped when the call has a cap) and returns the row max. A capped
    // gradient also needs each class's slope dz/dx = sech^2(x / c), from x: from z alone, 1 - (z / c)^2 cancels where
    // tanh saturates (at x = 5 c, one float ulp of z moves it by 2e-3 relative). A float block whose logits all lie in
    // the cap's polynomial range (tanh below 0.5, where 1 - (z / c)^2 keeps its digits) returns `nearSlopes` and stores
    // no slopes: they are taken from z where they are used, as the cap itself gives them there. Any other capped
    // gradient block keeps each class's slope from the cap in z[K + j] (GatherWithSlopes).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Gather<TS, TV, TOperation, TRead>(in BlockArgs<T> args, T* x, int k, TV* z, nint planeStride, out bool nearSlopes)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        where TRead : struct, IClassTranspose
    {
        bool slopes = args.IsCapped && typeof(TOperation) != typeof(ForwardPass);
        nearSlopes = slopes && typeof(T) == typeof(float);
        if (slopes && !nearSlopes)
        {
            return GatherWithSlopes<TS, TV, TOperation, TRead>(args, x, k, z, planeStride);
        }

        Vector256<int> index = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * k;
        nint step = (nint)(typeof(T) == typeof(float) ? 8 : 4) * k;
        Transpose<TV, TRead>(x, z);
        TV max = default;
        TV largest = TS.Zero;
        for (int j = 0; j < k; j++)
        {
            TV c = Column<TV, TRead>(x, z, j, index, typeof(TRead) == typeof(Planes) ? planeStride : step);
            if (nearSlopes)
            {
                largest = TS.MaxNative(largest, TS.AndNot(c, TS.Broadcast(T.NegativeZero)));
            }

            if (args.IsCapped)
            {
                c = args.Cap.Apply(c); // in range, Apply and ApplyPrecise give the same z
            }

            z[j] = c;
            max = j == 0 ? c : TS.MaxNative(max, c);
        }

        // The cap's range test is monotonic in |x|: the block's largest |x| passes it exactly when every logit does.
        if (nearSlopes && !SoftcapMath<T, TS, TV>.InNearRange(largest, TS.Broadcast(args.Cap.InverseAs<T>())))
        {
            nearSlopes = false;
            return GatherWithSlopes<TS, TV, TOperation, TRead>(args, x, k, z, planeStride);
        }

        return max;
    }

    // A capped gradient block's gather keeping every class's slope from the cap in z[K + j]; compiled on its own, so
    // that the block's inlined code stays within the JIT's budget.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TV GatherWithSlopes<TS, TV, TOperation, TRead>(in BlockArgs<T> args, T* x, int k, TV* z, nint planeStride)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        where TRead : struct, IClassTranspose
    {
        Vector256<int> index = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * k;
        nint step = (nint)(typeof(T) == typeof(float) ? 8 : 4) * k;
        Transpose<TV, TRead>(x, z);
        TV max = default;
        for (int j = 0; j < k; j++)
        {
            TV c = Column<TV, TRead>(x, z, j, index, typeof(TRead) == typeof(Planes) ? planeStride : step);
            c = typeof(TOperation) == typeof(BackwardPass) ? args.Cap.ApplyPrecise(c, out z[k + j]) : args.Cap.Apply(c, out z[k + j]);
            z[j] = c;
            max = j == 0 ? c : TS.MaxNative(max, c);
        }

        return max;
    }

    // Each row's target logit (capped as its class vector was) and weight, gathered at once: index 0 on ignored rows.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetTargets<TS, TV, TOperation, TRead>(in BlockArgs<T> args, ref ClassIndexBlock<T, TS, TV> h, T* x, int* t, int k, nint planeStride)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        where TRead : struct, IClassTranspose
    {
        int half = typeof(T) == typeof(float) ? 8 : 4;
        bool planes = typeof(TRead) == typeof(Planes);
        Vector256<int> rowStart = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * (planes ? 1 : k);
        Vector256<int> ignore = Vector256.Create(args.IgnoreIndex);
        Vector256<int> low = Targets(t, half);
        low = Vector256.AndNot(low, Vector256.Equals(low, ignore));
        Vector256<int> high = default;
        if (Unsafe.SizeOf<TV>() / Unsafe.SizeOf<T>() > half)
        {
            high = Targets(t + half, half);
            high = Vector256.AndNot(high, Vector256.Equals(high, ignore));
        }

        TV column = planes
            ? GatherColumn<TV>(x, rowStart + (low * (int)planeStride), rowStart + (high * (int)planeStride), half)
            : GatherColumn<TV>(x, rowStart + low, rowStart + high, half * k);
        TV weight = args.HasWeight ? GatherColumn<TV>(args.Weights, low, high, 0) : default;
        if (args.IsCapped)
        {
            column = typeof(TOperation) == typeof(BackwardPass) ? args.Cap.ApplyPrecise(column) : args.Cap.Apply(column);
        }

        h.SetTarget(column, weight);
    }

    // The next `count` (8 or 4) targets in the low lanes; reads nothing past them (the block may end the caller's span).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Targets(int* t, int count)
        => count == 8 ? Vector256.Load(t) : Vector128.Load(t).ToVector256Unsafe();

    // The gradient with respect to x: times class j's dz/dx under a soft-cap (see Gather: from z[j] in a block within
    // the polynomial range, else kept in z[K + j]), exact zeros (ignored rows) kept.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Slope<TS, TV>(in BlockArgs<T> args, TV gradient, TV* z, int k, int j, bool nearSlopes)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
    {
        if (!args.IsCapped)
        {
            return gradient;
        }

        TV slope = nearSlopes ? SoftcapMath<T, TS, TV>.NearSlope(z[j], TS.Broadcast(args.Cap.InverseAs<T>())) : z[k + j];
        return TS.AndNot(TS.Multiply(gradient, slope), TS.Equals(gradient, TS.Zero));
    }

    // The block's K class vectors into z, unless they are to be gathered one at a time.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose<TV, TRead>(T* x, TV* z)
        where TV : unmanaged
        where TRead : struct, IClassTranspose
    {
        if (typeof(TRead) != typeof(Gathered) && typeof(TRead) != typeof(Planes))
        {
            TRead.Columns((float*)x, (Vector512<float>*)z);
        }
    }

    // Class j's vector: the transposed one in z[j], gathered from the rows at x, or loaded from its plane (`step` apart).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Column<TV, TRead>(T* x, TV* z, int j, Vector256<int> index, nint step)
        where TV : unmanaged
        where TRead : struct, IClassTranspose
        => typeof(TRead) == typeof(Planes) ? Unsafe.ReadUnaligned<TV>(x + (j * step))
            : typeof(TRead) == typeof(Gathered) ? GatherColumn<TV>(x + j, index, index, step) : z[j];

    // K: with transposes a JIT-time constant, their type's.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Classes<TRead>(in RowArgs<T> args)
        where TRead : struct, IClassTranspose
        => typeof(TRead) == typeof(Gathered) || typeof(TRead) == typeof(Planes) ? args.Classes : TRead.Classes;

    // Lanes 0-7 (0-3 for double) from column[index[r]], the next ones from (column + step)[upperIndex[r]].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV GatherColumn<TV>(T* column, Vector256<int> index, Vector256<int> upperIndex, nint step)
        where TV : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float* p = (float*)column;
            Vector256<float> low = Avx2.GatherVector256(p, index, 4);
            if (typeof(TV) == typeof(Vector512<T>))
            {
                Vector512<float> v = Avx512F.InsertVector256(low.ToVector512Unsafe(), Avx2.GatherVector256(p + step, upperIndex, 4), 1);
                return Unsafe.As<Vector512<float>, TV>(ref v);
            }

            return Unsafe.As<Vector256<float>, TV>(ref low);
        }

        double* d = (double*)column;
        Vector256<double> first = Avx2.GatherVector256(d, index.GetLower(), 8);
        if (typeof(TV) == typeof(Vector512<T>))
        {
            Vector512<double> v = Avx512F.InsertVector256(first.ToVector512Unsafe(), Avx2.GatherVector256(d + step, upperIndex.GetLower(), 8), 1);
            return Unsafe.As<Vector512<double>, TV>(ref v);
        }

        return Unsafe.As<Vector256<double>, TV>(ref first);
    }

    // Element indices into the K class vectors (class j, lane r at j * lanes + r) of each element of the block's rows in
    // row-major order, so that every vector of output is one gather from the class vectors.
    private static void RowIndex(int* index, int k, int lanes)
    {
        for (int flat = 0; flat < lanes * k; flat++)
        {
            index[flat] = ((flat % k) * lanes) + (flat / k);
        }
    }

    // Writes the class vectors back as TS.Count rows of K: by K's transposes, or each output vector gathered from them (L1) by RowIndex.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRows<TV, TRead>(TV* columns, int k, int* rowIndex, T* destination, nint planeStride)
        where TV : unmanaged
        where TRead : struct, IClassTranspose
    {
        if (typeof(TRead) == typeof(Planes))
        {
            for (int j = 0; j < k; j++)
            {
                Unsafe.WriteUnaligned(destination + (j * planeStride), columns[j]);
            }

            return;
        }

        if (typeof(TRead) != typeof(Gathered))
        {
            TRead.Rows((Vector512<float>*)columns, (float*)destination);
            return;
        }

        int vectors = k;
        if (typeof(T) == typeof(float))
        {
            float* c = (float*)columns;
            float* d = (float*)destination;
            for (int s = 0; s < vectors; s++)
            {
                if (typeof(TV) == typeof(Vector512<T>))
                {
                    Vector256<float> low = Avx2.GatherVector256(c, Vector256.Load(rowIndex + (s * 16)), 4);
                    Vector256<float> high = Avx2.GatherVector256(c, Vector256.Load(rowIndex + (s * 16) + 8), 4);
                    Vector512.Create(low, high).Store(d + (s * 16));
                }
                else
                {
                    Avx2.GatherVector256(c, Vector256.Load(rowIndex + (s * 8)), 4).Store(d + (s * 8));
                }
            }

            return;
        }

        double* cd = (double*)columns;
        double* dd = (double*)destination;
        int perVector = Unsafe.SizeOf<TV>() / sizeof(double);
        for (int s = 0; s < vectors; s++)
        {
            for (int half = 0; half < perVector; half += 4)
            {
                Avx2.GatherVector256(cd, Vector128.Load(rowIndex + (s * perVector) + half), 8).Store(dd + (s * perVector) + half);
            }
        }
    }

    // The blocks of one pass, given K's transposes.
    private readonly struct Transposed<TS, TV, TOperation, TOutput> : ITransposedBlocks<T>
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        where TOutput : struct, ILossOutput
    {
        public static double Run<TRead>(in RowArgs<T> args, int firstRow, int endRow)
            where TRead : struct, IClassTranspose
            => Blocks<TS, TV, TOperation, TOutput, TRead>(args, firstRow, endRow);
    }
}
