using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using LsrGen.Simd;

namespace LsrGen.Infrastructure;

/// <summary>
/// Row-at-a-time kernels for any class count: each row is vectorised over its classes with the widest vector
/// that fits it. <typeparamref name="TClasses"/> lets a generated struct fix K at JIT time.
/// Infrastructure for generated code: not intended to be called directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TClasses">Where K comes from: the call, or a generated constant.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RowKernels<T, TClasses>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TClasses : struct, IClassCount
{
    /// <inheritdoc cref="ILsrRowKernel{T}.LogSoftmax"/>
    public static void LogSoftmax(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<LogSoftmaxRows>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.Softmax"/>
    public static void Softmax(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<SoftmaxRows>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.HardForward"/>
    public static double HardForward(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<HardForwardRows>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.HardGradient"/>
    public static double HardGradient(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<HardGradientRows>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.SoftForward"/>
    public static double SoftForward(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<SoftForwardRows>(args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.SoftGradient"/>
    public static double SoftGradient(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<SoftGradientRows>(args, firstRow, endRow);

    // Each row is vectorised over its classes with the widest vector that fits in it (one lane: plain scalars).
    private static double Dispatch<TOperation>(in RowArgs<T> args, int firstRow, int endRow)
        where TOperation : struct, IRowOperation
    {
        int k = TClasses.Resolve(args.Classes);
        if (Vector512.IsHardwareAccelerated && k >= Vector512<T>.Count)
        {
            return TOperation.Run<Simd512<T>, Vector512<T>>(args, k, firstRow, endRow);
        }

        if (Vector256.IsHardwareAccelerated && k >= Vector256<T>.Count)
        {
            return TOperation.Run<Simd256<T>, Vector256<T>>(args, k, firstRow, endRow);
        }

        if (Vector128.IsHardwareAccelerated && k >= Vector128<T>.Count)
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

    private readonly struct HardForwardRows : IRowOperation
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
            => Hard<TS, TV>(args, k, firstRow, endRow, gradient: false);
    }

    private readonly struct HardGradientRows : IRowOperation
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
            => Hard<TS, TV>(args, k, firstRow, endRow, gradient: true);
    }

    private readonly struct SoftForwardRows : IRowOperation
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
            => Soft<TS, TV>(args, k, firstRow, endRow, gradient: false);
    }

    private readonly struct SoftGradientRows : IRowOperation
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
            => Soft<TS, TV>(args, k, firstRow, endRow, gradient: true);
    }

    private static void LogSoftmax<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        for (int row = firstRow; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, (nint)row * k);
            T max = RowPrimitives<T, TS, TV>.Max(ref x, k);
            T logSum = LsrVectorMath.LogOfSum(RowPrimitives<T, TS, TV>.SumExp(ref x, k, max));
            RowPrimitives<T, TS, TV>.WriteLogProbabilities(ref x, ref Unsafe.Add(ref args.Output, (nint)row * k), k, max, logSum);
        }
    }

    private static void Softmax<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        for (int row = firstRow; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, (nint)row * k);
            T max = RowPrimitives<T, TS, TV>.Max(ref x, k);
            T inverseSum = T.One / RowPrimitives<T, TS, TV>.SumExp(ref x, k, max);
            RowPrimitives<T, TS, TV>.WriteScaledExp(ref x, ref Unsafe.Add(ref args.Output, (nint)row * k), k, max, inverseSum);
        }
    }

    // Inlined into each caller so that `gradient` is a constant there and only one kind of row loop is compiled.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Hard<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow, bool gradient)
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        T eps = args.LabelSmoothing;
        T keep = T.One - eps;
        T spread = eps / T.CreateTruncating(k);
        T scale = args.Scale;
        bool weighted = args.HasWeight;
        bool writeLosses = !gradient && args.HasOutput;
        ref T w = ref args.Weight;
        double total = 0;
        for (int row = firstRow; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, (nint)row * k);
            int target = Unsafe.Add(ref args.Targets, row);
            if (target == args.IgnoreIndex)
            {
                // Ignored rows contribute 0 and get a zero gradient even when their logits hold NaN or Inf.
                if (gradient)
                {
                    LsrVectorMath.Clear(ref Unsafe.Add(ref args.Output, (nint)row * k), (nuint)k);
                }
                else if (writeLosses)
                {
                    Unsafe.Add(ref args.Output, row) = T.Zero;
                }

                continue;
            }

            T max = RowPrimitives<T, TS, TV>.Max(ref x, k);
            T targetLogit = Unsafe.Add(ref x, target); // read before a gradient written in place replaces it
            T shifted = T.Zero;
            ref T g = ref gradient ? ref Unsafe.Add(ref args.Output, (nint)row * k) : ref Unsafe.NullRef<T>();
            T sum = gradient
                ? RowPrimitives<T, TS, TV>.StoreExpAndSum(ref x, ref w, weighted, ref g, k, max, out shifted)
                : eps != T.Zero
                    ? RowPrimitives<T, TS, TV>.SumExpAndShifted(ref x, ref w, weighted, k, max, out shifted)
                    : RowPrimitives<T, TS, TV>.SumExp(ref x, k, max);
            T logSum = LsrVectorMath.LogOfSum(sum);
            T targetWeight = weighted ? Unsafe.Add(ref w, target) : T.One;
            T nll = -(targetWeight * ((targetLogit - max) - logSum));
            T loss = keep * nll;
            if (eps != T.Zero)
            {
                // -sum_k w_k logp_k = W log(s) - sum_k w_k (x_k - max). PyTorch skips this term at eps == 0, so a
                // -Inf logit elsewhere leaves the loss finite.
                loss += spread * ((args.WeightTotal * logSum) - shifted);
            }

            total += double.CreateTruncating(loss);
            if (gradient)
            {
                // g_j = s * ((1-eps) w_t (p_j - [j==t]) + (eps/K)(W p_j - w_j)), written as e_j * a - b * w_j over the
                // exps already stored in g, then the target fix-up.
                T pScale = (keep * targetWeight + spread * args.WeightTotal) * scale / sum;
                RowPrimitives<T, TS, TV>.ScaleAndShift(ref w, weighted, ref g, k, pScale, spread * scale);
                Unsafe.Add(ref g, target) -= keep * targetWeight * scale;
            }
            else if (writeLosses)
            {
                Unsafe.Add(ref args.Output, row) = loss;
            }
        }

        return total;
    }

    private static double Soft<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow, bool gradient)
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        T eps = args.LabelSmoothing;
        T keep = T.One - eps;
        T spread = eps / T.CreateTruncating(k);
        T scale = args.Scale;
        bool weighted = args.HasWeight;
        bool writeLosses = !gradient && args.HasOutput;
        ref T w = ref args.Weight;
        double total = 0;
        for (int row = firstRow; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, (nint)row * k);
            ref T q = ref Unsafe.Add(ref args.Probabilities, (nint)row * k);
            T max = RowPrimitives<T, TS, TV>.Max(ref x, k);
            T sum = RowPrimitives<T, TS, TV>.SumExp(ref x, k, max);
            T logSum = LsrVectorMath.LogOfSum(sum);
            T loss = -RowPrimitives<T, TS, TV>.SoftCrossTerms(ref x, ref q, ref w, weighted, k, max, logSum, keep, spread, out T mass);
            total += double.CreateTruncating(loss);
            if (gradient)
            {
                RowPrimitives<T, TS, TV>.WriteSoftGradient(
                    ref x, ref q, ref w, weighted, ref Unsafe.Add(ref args.Output, (nint)row * k), k, max, mass * scale / sum, scale, keep, spread);
            }
            else if (writeLosses)
            {
                Unsafe.Add(ref args.Output, row) = loss;
            }
        }

        return total;
    }
}
