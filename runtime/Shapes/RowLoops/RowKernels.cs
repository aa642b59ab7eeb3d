using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Shapes.RowLoops;

/// <summary>
/// Row-at-a-time kernels for any class count: each row is vectorised over its classes with the widest vector
/// that fits it. <typeparamref name="TClasses"/> lets a generated struct fix K at JIT time.
/// For generated code only: not intended to be called directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TClasses">Where K comes from: the call, or a generated constant.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class RowKernels<T, TClasses>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TClasses : struct, IClassCount
{
    /// <inheritdoc cref="ILsrRowKernel{T}.LogSoftmax"/>
    public static void LogSoftmax(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<LogSoftmaxRows>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.Softmax"/>
    public static void Softmax(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<SoftmaxRows>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.LogSoftmaxBackward"/>
    public static void LogSoftmaxBackward(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<SoftmaxBackwardRows<LogSoftmaxBackwardRow>>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.SoftmaxBackward"/>
    public static void SoftmaxBackward(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<SoftmaxBackwardRows<SoftmaxBackwardRow>>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ArgMax"/>
    public static void ArgMax(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<ArgMaxRows>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ClassIndexForward"/>
    /// <remarks>Runs in the shape the routing table picks: lane rows, gathered blocks or row loops.</remarks>
    public static double ClassIndexForward(in RowArgs<T> args, int firstRow, int endRow)
    {
        int k = TClasses.Resolve(args.Classes);
        return Routes.For(RowOperation.ClassIndexForward, k, args) switch
        {
            Shape.LaneRows => LaneRowKernels.ClassIndexForward(Unsafe.As<RowArgs<T>, RowArgs<float>>(ref Unsafe.AsRef(in args)), firstRow, endRow),
            Shape.GatheredBlocks => GatherBlocks<T>.ClassIndexForward(args, firstRow, endRow),
            _ => Dispatch<ClassIndexPassRows<ForwardPass>>(args, firstRow, endRow),
        };
    }

    /// <inheritdoc cref="ILsrRowKernel{T}.ClassIndexGradient"/>
    /// <remarks>Runs in the shape the routing table picks: gathered blocks, register rows or row loops.</remarks>
    public static double ClassIndexGradient(in RowArgs<T> args, int firstRow, int endRow)
        => Routes.For(RowOperation.ClassIndexGradient, TClasses.Resolve(args.Classes), args) switch
        {
            Shape.GatheredBlocks => GatherBlocks<T>.ClassIndexGradient(args, firstRow, endRow),
            Shape.RegisterRows => Dispatch<ClassIndexGradientRegisterRows>(args, firstRow, endRow),
            _ => Dispatch<ClassIndexPassRows<GradientPass>>(args, firstRow, endRow),
        };

    /// <inheritdoc cref="ILsrRowKernel{T}.ProbabilityForward"/>
    public static double ProbabilityForward(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<ProbabilityPassRows<ForwardPass>>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ProbabilityGradient"/>
    public static double ProbabilityGradient(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<ProbabilityPassRows<GradientPass>>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.ClassIndexBackward"/>
    /// <remarks>Runs in the shape the routing table picks: gathered blocks or row loops.</remarks>
    public static void ClassIndexBackward(in RowArgs<T> args, int firstRow, int endRow)
    {
        if (Routes.For(RowOperation.ClassIndexBackward, TClasses.Resolve(args.Classes), args) == Shape.GatheredBlocks)
        {
            GatherBlocks<T>.ClassIndexBackward(args, firstRow, endRow);
        }
        else
        {
            Dispatch<ClassIndexPassRows<BackwardPass>>(args, firstRow, endRow);
        }
    }

    /// <inheritdoc cref="ILsrRowKernel{T}.ProbabilityBackward"/>
    public static void ProbabilityBackward(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<ProbabilityPassRows<BackwardPass>>(args, firstRow, endRow);

    // Each row is vectorised over its classes with the widest vector that fits in it (one lane: plain scalars).
    private static double Dispatch<TOperation>(in RowArgs<T> args, int firstRow, int endRow)
        where TOperation : struct, IRowOperation
    {
        int k = TClasses.Resolve(args.Classes);
        int lanes = RoutingTable.RowLanes(typeof(T) == typeof(float), k, Machine.Sets);
        if (lanes == Vector512<T>.Count)
        {
            return TOperation.Run<Simd512<T>, Vector512<T>>(args, k, firstRow, endRow);
        }

        if (lanes == Vector256<T>.Count)
        {
            return TOperation.Run<Simd256<T>, Vector256<T>>(args, k, firstRow, endRow);
        }

        if (lanes == Vector128<T>.Count)
        {
            return TOperation.Run<Simd128<T>, Vector128<T>>(args, k, firstRow, endRow);
        }

        return TOperation.Run<Scalar<T>, T>(args, k, firstRow, endRow);
    }

    /// <summary>One row operation, run at whichever SIMD width <see cref="Dispatch"/> picks.</summary>
    private interface IRowOperation
    {
        static abstract double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct;
    }

    private readonly struct LogSoftmaxRows : IRowOperation
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
        {
            LogSoftmax<TS, TV>(args, k, firstRow, endRow);
            return 0;
        }
    }

    private readonly struct SoftmaxRows : IRowOperation
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
        {
            Softmax<TS, TV>(args, k, firstRow, endRow);
            return 0;
        }
    }

    private readonly struct LogSoftmaxBackwardRow;

    private readonly struct SoftmaxBackwardRow;

    // The forward's output at the logits' place, its gradient at the probabilities', the input gradient at the output's.
    private readonly struct SoftmaxBackwardRows<TBackward> : IRowOperation
        where TBackward : struct
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
        {
            for (int row = firstRow; row < endRow; row++)
            {
                ref T output = ref Unsafe.Add(ref args.Logits, row * args.LogitRowStride);
                ref T outputGradient = ref Unsafe.Add(ref args.Probabilities, row * args.ProbabilityRowStride);
                ref T inputGradient = ref Unsafe.Add(ref args.Output, row * args.OutputRowStride);
                if (typeof(TBackward) == typeof(LogSoftmaxBackwardRow))
                {
                    RowPrimitives<T, TS, TV>.WriteLogSoftmaxBackward(ref output, ref outputGradient, ref inputGradient, k);
                }
                else
                {
                    RowPrimitives<T, TS, TV>.WriteSoftmaxBackward(ref output, ref outputGradient, ref inputGradient, k);
                }
            }

            return 0;
        }
    }

    private readonly struct ArgMaxRows : IRowOperation
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
        {
            for (int row = firstRow; row < endRow; row++)
            {
                Unsafe.Add(ref args.Predictions, row) = RowPrimitives<T, TS, TV>.ArgMax(ref Unsafe.Add(ref args.Logits, row * args.LogitRowStride), k);
            }

            return 0;
        }
    }

    // A loss pass's rows: z = x, or the soft-cap (Backward's float z within 1 ulp, for its p = exp(z - lse) from a saved lse);
    // the option rows when the call has version 0.3 extras.
    private readonly struct ClassIndexPassRows<TPass> : IRowOperation
        where TPass : struct, IPass
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
            => TakesOptionRows<TPass>(args, classIndex: true) ? OptionPassRows<TS, TV, TPass>(args, k, firstRow, endRow, classIndex: true)
                : args.Softcap == T.Zero ? ClassIndexRows<TS, TV, Uncapped, TPass>(args, k, firstRow, endRow)
                : typeof(TPass) == typeof(BackwardPass) ? ClassIndexRows<TS, TV, SoftCappedPrecise, TPass>(args, k, firstRow, endRow)
                : ClassIndexRows<TS, TV, SoftCapped, TPass>(args, k, firstRow, endRow);
    }

    private readonly struct ProbabilityPassRows<TPass> : IRowOperation
        where TPass : struct, IPass
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
            => TakesOptionRows<TPass>(args, classIndex: false) ? OptionPassRows<TS, TV, TPass>(args, k, firstRow, endRow, classIndex: false)
                : args.Softcap == T.Zero ? ProbabilityRows<TS, TV, Uncapped, TPass>(args, k, firstRow, endRow)
                : typeof(TPass) == typeof(BackwardPass) ? ProbabilityRows<TS, TV, SoftCappedPrecise, TPass>(args, k, firstRow, endRow)
                : ProbabilityRows<TS, TV, SoftCapped, TPass>(args, k, firstRow, endRow);
    }

    private readonly struct ClassIndexGradientRegisterRows : IRowOperation
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
            => FusedInRegisters<TS, TV>(args, k, firstRow, endRow);
    }

    private static void LogSoftmax<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        for (int row = firstRow; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, row * args.LogitRowStride);
            T max = RowPrimitives<T, TS, TV>.Max(ref x, k);
            T sum = RowPrimitives<T, TS, TV>.SumExp<Uncapped>(ref x, k, max, default);
            T logSum = RowPrimitives<T, TS, TV>.LogOfSum<Uncapped>(sum, ref x, k, max, default);
            RowPrimitives<T, TS, TV>.WriteLogProbabilities(ref x, ref Unsafe.Add(ref args.Output, row * args.OutputRowStride), k, max, logSum);
        }
    }

    private static void Softmax<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        for (int row = firstRow; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, row * args.LogitRowStride);
            T max = RowPrimitives<T, TS, TV>.Max(ref x, k);
            T inverseSum = T.One / RowPrimitives<T, TS, TV>.SumExp<Uncapped>(ref x, k, max, default);
            RowPrimitives<T, TS, TV>.WriteScaledExp(ref x, ref Unsafe.Add(ref args.Output, row * args.OutputRowStride), k, max, inverseSum);
        }
    }

    // One compiled method per width, cap and pass (the pass a JIT-time constant): inlined into the dispatch, every
    // variant's loops shared one inlining budget, and the cap's math ended up called, not inlined. TMap is the
    // soft-cap, or nothing: z = x.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ClassIndexRows<TS, TV, TMap, TPass>(in RowArgs<T> args, int k, int firstRow, int endRow)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TMap : struct, ILogitMap
        where TPass : struct, IPass
    {
        T keep = Smoothing.Keep(args.LabelSmoothing);
        T spread = Smoothing.Spread(args.LabelSmoothing, k);
        T scale = args.Scale;
        bool weighted = args.HasWeight;
        bool writeLosses = typeof(TPass) == typeof(ForwardPass) && args.HasOutput;
        bool writeLogSumExp = typeof(TPass) == typeof(ForwardPass) && args.HasLogSumExp;
        var cap = new LogitCap(double.CreateTruncating(args.Softcap));
        ref T w = ref args.Weight;
        double total = 0;
        for (int row = firstRow; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, row * args.LogitRowStride);
            int target = Unsafe.Add(ref args.Targets, row);
            bool ignored = target == args.IgnoreIndex;
            if (typeof(TPass) == typeof(BackwardPass))
            {
                ref T gb = ref Unsafe.Add(ref args.Output, row * args.OutputRowStride);
                if (ignored)
                {
                    LsrVectorMath.Clear(ref gb, (nuint)k);
                    continue;
                }

                RowPrimitives<T, TS, TV>.WriteClassIndexBackward<TMap>(
                    ref x, ref w, weighted, ref gb, k, target, weighted ? Unsafe.Add(ref w, target) : T.One, Unsafe.Add(ref args.LogSumExp, row),
                    Unsafe.Add(ref args.LossGradients, row), keep, spread, args.WeightTotal, args.ZLossScale, cap);
                continue;
            }

            if (ignored)
            {
                // Ignored rows contribute 0 and get a zero gradient even when their logits hold NaN or Inf; their
                // log-sum-exp is still reported.
                if (typeof(TPass) == typeof(GradientPass))
                {
                    LsrVectorMath.Clear(ref Unsafe.Add(ref args.Output, row * args.OutputRowStride), (nuint)k);
                    continue;
                }

                if (writeLosses)
                {
                    Unsafe.Add(ref args.Output, row) = T.Zero;
                }

                if (writeLogSumExp)
                {
                    Unsafe.Add(ref args.LogSumExp, row) = LogSumExp<TS, TV, TMap>(ref x, k, cap);
                }

                continue;
            }

            T max = RowPrimitives<T, TS, TV>.MaxOfZ<TMap>(ref x, k, cap, out bool near);
            T targetLogit = RowPrimitives<T, TS, TV>.MapOne<TMap>(Unsafe.Add(ref x, target), cap, out T slopeAtTarget); // read before a gradient written in place replaces it
            T shifted = T.Zero;
            ref T g = ref typeof(TPass) == typeof(GradientPass) ? ref Unsafe.Add(ref args.Output, row * args.OutputRowStride) : ref Unsafe.NullRef<T>();
            T sum = typeof(TPass) == typeof(GradientPass)
                ? typeof(TMap) == typeof(Uncapped)
                    ? RowPrimitives<T, TS, TV>.StoreExpAndSum(ref x, ref w, weighted, ref g, k, max, out shifted)
                    : RowPrimitives<T, TS, TV>.SumCapped<TMap>(ref x, ref w, weighted, ref near ? ref g : ref Unsafe.NullRef<T>(), k, max, cap, near, out shifted)
                : typeof(TMap) != typeof(Uncapped)
                    ? RowPrimitives<T, TS, TV>.SumCapped<TMap>(ref x, ref w, weighted, ref Unsafe.NullRef<T>(), k, max, cap, near, out shifted)
                    : args.LabelSmoothing != T.Zero
                        ? RowPrimitives<T, TS, TV>.SumExpAndShifted<TMap>(ref x, ref w, weighted, k, max, cap, out shifted)
                        : RowPrimitives<T, TS, TV>.SumExp<TMap>(ref x, k, max, cap);

            // The fused gradient reports only a reduced loss; the per-row forward keeps log(s) accurate near s = 1.
            T logSum = typeof(TPass) == typeof(GradientPass)
                ? LsrVectorMath.LogOfSum(sum)
                : near
                    ? RowPrimitives<T, TS, TV>.LogOfSum<NearCapped>(sum, ref x, k, max, cap)
                    : RowPrimitives<T, TS, TV>.LogOfSum<TMap>(sum, ref x, k, max, cap);
            T targetWeight = weighted ? Unsafe.Add(ref w, target) : T.One;
            T loss = ClassIndexLoss(args, logSum, max, targetLogit, targetWeight, shifted, keep, spread, out T lse);
            total += double.CreateTruncating(loss);
            if (typeof(TPass) == typeof(GradientPass))
            {
                // g_j = s * ((1-eps) w_t (p_j - [j==t]) + (eps/K)(W p_j - w_j) + 2 a w_t lse p_j), written as
                // e_j * a - b * w_j over the exps (stored in g when uncapped), then the target fix-up; times dz/dx.
                T pScale = GradientMass(args, targetWeight, keep, spread, lse) * scale / sum;
                if (typeof(TMap) == typeof(Uncapped))
                {
                    RowPrimitives<T, TS, TV>.ScaleAndShift(ref w, weighted, ref g, k, pScale, spread * scale);
                    Unsafe.Add(ref g, target) -= keep * targetWeight * scale;
                }
                else
                {
                    // A row within the cap's polynomial range finishes from the z stored in g, where the slope
                    // 1 - (z / c)^2 does not cancel (tanh below 0.5). Any other row recomputes z and takes the slope
                    // sech^2(x / c) from x: past the range 1 - (z / c)^2 cancels (at x = 5 c one float ulp of z moves
                    // it by 2e-3 relative), so such a row's z was not stored and x is still there, also in place.
                    if (near)
                    {
                        RowPrimitives<T, TS, TV>.ScaleCapped(ref w, weighted, ref g, k, max, pScale, spread * scale, T.One / args.Softcap);
                    }
                    else
                    {
                        RowPrimitives<T, TS, TV>.WriteClassIndexGradient<TMap>(ref x, ref w, weighted, ref g, k, max, pScale, spread * scale, cap);
                    }

                    Unsafe.Add(ref g, target) -= keep * targetWeight * scale * slopeAtTarget;
                }
            }
            else
            {
                RecordRow(args, row, loss, lse, writeLosses, writeLogSumExp);
            }
        }

        return total;
    }

    // A forward pass's per-row outputs, where the call asked for them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RecordRow(in RowArgs<T> args, int row, T loss, T lse, bool writeLosses, bool writeLogSumExp)
    {
        if (writeLosses)
        {
            Unsafe.Add(ref args.Output, row) = loss;
        }

        if (writeLogSumExp)
        {
            Unsafe.Add(ref args.LogSumExp, row) = lse;
        }
    }

    // A class-index row's loss from its log-sum of exps (after the max) and sum_k w_k (z_k - max); also its log-sum-exp.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ClassIndexLoss(in RowArgs<T> args, T logSum, T max, T targetLogit, T targetWeight, T shifted, T keep, T spread, out T lse)
    {
        lse = max + logSum;
        return ClassIndexTerms<T>.Loss(
            keep, targetWeight, targetLogit - max, logSum, args.LabelSmoothing != T.Zero, spread, (args.WeightTotal * logSum) - shifted, args.ZLossScale, lse);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T GradientMass(in RowArgs<T> args, T targetWeight, T keep, T spread, T lse)
        => ClassIndexTerms<T>.GradientMass(keep, spread, targetWeight, args.WeightTotal, args.ZLossScale, lse);

    // An ignored row's log-sum-exp (reported for every row): out of line, it is rare.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T LogSumExp<TS, TV, TMap>(ref T x, int k, in LogitCap cap)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TMap : struct, ILogitMap
    {
        T max = RowPrimitives<T, TS, TV>.MapOne<TMap>(RowPrimitives<T, TS, TV>.Max(ref x, k), cap, out _);
        T sum = RowPrimitives<T, TS, TV>.SumExp<TMap>(ref x, k, max, cap);
        return max + RowPrimitives<T, TS, TV>.LogOfSum<TMap>(sum, ref x, k, max, cap);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double ProbabilityRows<TS, TV, TMap, TPass>(in RowArgs<T> args, int k, int firstRow, int endRow)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TMap : struct, ILogitMap
        where TPass : struct, IPass
    {
        T keep = Smoothing.Keep(args.LabelSmoothing);
        T spread = Smoothing.Spread(args.LabelSmoothing, k);
        T scale = args.Scale;
        T zLoss = args.ZLossScale;
        bool weighted = args.HasWeight;
        bool writeLosses = typeof(TPass) == typeof(ForwardPass) && args.HasOutput;
        bool writeLogSumExp = typeof(TPass) == typeof(ForwardPass) && args.HasLogSumExp;
        var cap = new LogitCap(double.CreateTruncating(args.Softcap));
        ref T w = ref args.Weight;
        double total = 0;
        for (int row = firstRow; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, row * args.LogitRowStride);
            ref T q = ref Unsafe.Add(ref args.Probabilities, row * args.ProbabilityRowStride);
            if (typeof(TPass) == typeof(BackwardPass))
            {
                RowPrimitives<T, TS, TV>.WriteProbabilityBackward<TMap>(
                    ref x, ref q, ref w, weighted, ref Unsafe.Add(ref args.Output, row * args.OutputRowStride), k,
                    RowPrimitives<T, TS, TV>.TargetMass(ref q, ref w, weighted, k, keep, spread), Unsafe.Add(ref args.LogSumExp, row),
                    Unsafe.Add(ref args.LossGradients, row), keep, spread, zLoss, cap);
                continue;
            }

            T max = RowPrimitives<T, TS, TV>.MapOne<TMap>(RowPrimitives<T, TS, TV>.Max(ref x, k), cap, out _);
            T sum = RowPrimitives<T, TS, TV>.SumExp<TMap>(ref x, k, max, cap);
            T logSum = typeof(TPass) == typeof(GradientPass)
                ? LsrVectorMath.LogOfSum(sum)
                : RowPrimitives<T, TS, TV>.LogOfSum<TMap>(sum, ref x, k, max, cap);
            T loss = -RowPrimitives<T, TS, TV>.OptionCrossTerms<TMap>(ref x, ref q, ref w, weighted, k, max, cap, T.One, tempered: false, logSum, keep, spread, out T mass);
            T lse = max + logSum;
            if (zLoss != T.Zero)
            {
                loss += zLoss * lse * lse;
            }

            total += double.CreateTruncating(loss);
            if (typeof(TPass) == typeof(GradientPass))
            {
                T pScale = RowPrimitives<T, TS, TV>.ProbabilityMass(mass, zLoss, lse) * scale / sum;
                RowPrimitives<T, TS, TV>.WriteProbabilityGradient<TMap>(
                    ref x, ref q, ref w, weighted, ref Unsafe.Add(ref args.Output, row * args.OutputRowStride), k, max, pScale, scale, keep, spread, cap);
            }
            else
            {
                RecordRow(args, row, loss, lse, writeLosses, writeLogSumExp);
            }
        }

        return total;
    }
}
