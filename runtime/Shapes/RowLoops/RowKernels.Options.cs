using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.Shapes.RowLoops;

/// <content>
/// The option rows: every loss pass with a temperature, an entropy bonus, entropy gradients or the per-row outputs of
/// version 0.3 (<see cref="RowArgs{T}.HasExtras"/>), for class-index and probability targets. One row at a time: its
/// capped max, one pass for s, E (the entropy) and the smoothing sum, log s, then the loss and, for the fused and
/// Backward passes, one gradient pass (Backward reads the row once more for H when it needs it).
/// </content>
public static partial class RowKernels<T, TClasses>
{
    // Whether a pass's call takes the option rows.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TakesOptionRows<TPass>(in RowArgs<T> args, bool classIndex)
        where TPass : struct, IPass
        => args.HasExtras(
            typeof(TPass) == typeof(ForwardPass) ? classIndex ? RowOperation.ClassIndexForward : RowOperation.ProbabilityForward
            : typeof(TPass) == typeof(GradientPass) ? classIndex ? RowOperation.ClassIndexGradient : RowOperation.ProbabilityGradient
            : classIndex ? RowOperation.ClassIndexBackward : RowOperation.ProbabilityBackward);

    // As ClassIndexPassRows / ProbabilityPassRows pick their cap: Backward's float z within 1 ulp (p from a saved lse).
    private static double OptionPassRows<TS, TV, TPass>(in RowArgs<T> args, int k, int firstRow, int endRow, bool classIndex)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TPass : struct, IPass
        => args.Softcap == T.Zero ? Flagged<TS, TV, Uncapped, TPass>(args, k, firstRow, endRow, classIndex)
            : typeof(TPass) == typeof(BackwardPass) ? Flagged<TS, TV, SoftCappedPrecise, TPass>(args, k, firstRow, endRow, classIndex)
            : Flagged<TS, TV, SoftCapped, TPass>(args, k, firstRow, endRow, classIndex);

    // One compiled method per combination of the per-logit choices, so that none is a branch in a row's loops: a
    // temperature, the entropy's terms, and (fused, not in place) exps stored for the gradient pass.
    private static unsafe double Flagged<TS, TV, TMap, TPass>(in RowArgs<T> args, int k, int firstRow, int endRow, bool classIndex)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TMap : struct, ILogitMap
        where TPass : struct, IPass
    {
        RowExtras<T> extras = args.Extras;
        bool entropy = extras.HasEntropyScale || (typeof(TPass) == typeof(BackwardPass) ? extras.EntropyGradients != null : extras.Entropy != null);
        bool stored = typeof(TPass) == typeof(GradientPass) && args.RawOutput != args.RawLogits;
        return (extras.Tempered, entropy, stored) switch
        {
            (false, false, false) => OptionRows<TS, TV, TMap, TPass, Off, Off, Off>(args, k, firstRow, endRow, classIndex),
            (false, false, true) => OptionRows<TS, TV, TMap, TPass, Off, Off, On>(args, k, firstRow, endRow, classIndex),
            (false, true, false) => OptionRows<TS, TV, TMap, TPass, Off, On, Off>(args, k, firstRow, endRow, classIndex),
            (false, true, true) => OptionRows<TS, TV, TMap, TPass, Off, On, On>(args, k, firstRow, endRow, classIndex),
            (true, false, false) => OptionRows<TS, TV, TMap, TPass, On, Off, Off>(args, k, firstRow, endRow, classIndex),
            (true, false, true) => OptionRows<TS, TV, TMap, TPass, On, Off, On>(args, k, firstRow, endRow, classIndex),
            (true, true, false) => OptionRows<TS, TV, TMap, TPass, On, On, Off>(args, k, firstRow, endRow, classIndex),
            _ => OptionRows<TS, TV, TMap, TPass, On, On, On>(args, k, firstRow, endRow, classIndex),
        };
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe double OptionRows<TS, TV, TMap, TPass, TTempered, TEntropy, TStored>(in RowArgs<T> args, int k, int firstRow, int endRow, bool classIndex)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TMap : struct, ILogitMap
        where TPass : struct, IPass
        where TTempered : struct, IFlag
        where TEntropy : struct, IFlag
        where TStored : struct, IFlag
    {
        bool forward = typeof(TPass) == typeof(ForwardPass);
        bool backward = typeof(TPass) == typeof(BackwardPass);
        RowExtras<T> extras = args.Extras;
        T keep = Smoothing.Keep(args.LabelSmoothing);
        T spread = Smoothing.Spread(args.LabelSmoothing, k);
        bool smoothing = args.LabelSmoothing != T.Zero;
        T tau = extras.InverseTemperature;
        bool tempered = TTempered.IsSet;
        T b = extras.EntropyScale;
        bool bonus = extras.HasEntropyScale;
        bool withEntropy = TEntropy.IsSet;
        bool store = TStored.IsSet;
        T zLoss = args.ZLossScale;
        T scale = args.Scale;
        bool weighted = args.HasWeight;
        ref T w = ref args.Weight;
        var cap = new LogitCap(double.CreateTruncating(args.Softcap));
        T* losses = forward ? (args.HasOutput ? (T*)Unsafe.AsPointer(ref args.Output) : null) : extras.Losses;
        bool writeLse = !backward && args.HasLogSumExp;
        bool writeEntropy = !backward && extras.Entropy != null;
        bool predict = !backward && args.HasPredictions;
        double total = 0;
        for (int row = firstRow; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, row * args.LogitRowStride);
            ref T q = ref classIndex ? ref Unsafe.NullRef<T>() : ref Unsafe.Add(ref args.Probabilities, row * args.ProbabilityRowStride);
            ref T g = ref forward ? ref Unsafe.NullRef<T>() : ref Unsafe.Add(ref args.Output, row * args.OutputRowStride);
            // The prediction is of x as given, before a gradient written in place replaces it; its pass gives the max.
            T rowMax = T.Zero;
            if (predict)
            {
                Unsafe.Add(ref args.Predictions, row) = RowPrimitives<T, TS, TV>.ArgMax(ref x, k, out rowMax);
            }

            int target = classIndex ? Unsafe.Add(ref args.Targets, row) : -1;
            bool ignored = classIndex && target == args.IgnoreIndex;
            T targetWeight = classIndex && weighted && !ignored ? Unsafe.Add(ref w, target) : T.One;
            if (backward)
            {
                if (ignored)
                {
                    LsrVectorMath.Clear(ref g, (nuint)k);
                    continue;
                }

                T savedLse = Unsafe.Add(ref args.LogSumExp, row);
                RowPrimitives<T, TS, TV>.WriteOptionBackward<TMap>(
                    ref x, ref q, ref w, weighted, !classIndex, ref g, k, classIndex ? target : -1, targetWeight,
                    classIndex ? T.Zero : RowPrimitives<T, TS, TV>.TargetMass(ref q, ref w, weighted, k, keep, spread), args.WeightTotal, zLoss, savedLse, T.Zero,
                    Unsafe.Add(ref args.LossGradients, row), b, withEntropy, extras.EntropyGradients != null ? extras.EntropyGradients[row] : T.Zero,
                    withEntropy ? RowPrimitives<T, TS, TV>.EntropyAt<TMap>(ref x, k, savedLse, cap, extras.Temperature, tempered) : T.Zero,
                    keep, spread, cap, extras.Temperature, tempered);
                continue;
            }

            if (ignored && !writeLse && !writeEntropy)
            {
                if (forward)
                {
                    WriteIfAsked(losses, row, T.Zero);
                }
                else
                {
                    LsrVectorMath.Clear(ref g, (nuint)k);
                    WriteIfAsked(extras.Losses, row, T.Zero);
                }

                continue;
            }

            T cappedMax = RowPrimitives<T, TS, TV>.MapOne<TMap>(predict ? rowMax : RowPrimitives<T, TS, TV>.Max(ref x, k), cap, out _);
            T targetShifted = T.Zero;
            T slopeAtTarget = T.One;
            if (classIndex && !ignored)
            {
                // Read before a gradient written in place replaces it.
                targetShifted = RowPrimitives<T, TS, TV>.OptionExponent<TMap>(Unsafe.Add(ref x, target), cappedMax, cap, tau, divide: false, tempered, out slopeAtTarget);
            }

            // An ignored row's stored exps are cleared below.
            T sum = RowPrimitives<T, TS, TV>.OptionStatistics<TMap, TTempered, TEntropy, TStored>(
                ref x, ref w, weighted, k, cappedMax, cap, tau, classIndex && smoothing && !ignored, out T entropySum, out T shifted, ref g);
            T logSum = RowPrimitives<T, TS, TV>.OptionLogOfSum<TMap>(sum, ref x, k, cappedMax, cap, tau, tempered);
            T lse = (tempered ? cappedMax * tau : cappedMax) + logSum;
            T entropy = withEntropy ? EntropyTerms<T>.Entropy(entropySum, sum, logSum) : T.Zero;
            WriteIfAsked(writeLse ? (T*)Unsafe.AsPointer(ref args.LogSumExp) : null, row, lse);
            WriteIfAsked(writeEntropy ? extras.Entropy : null, row, entropy);
            if (ignored)
            {
                WriteIfAsked(losses, row, T.Zero);
                if (!forward)
                {
                    LsrVectorMath.Clear(ref g, (nuint)k);
                }

                continue;
            }

            T loss;
            T gradientMass;
            if (classIndex)
            {
                loss = ClassIndexTerms<T>.Loss(keep, targetWeight, targetShifted, logSum, smoothing, spread, (args.WeightTotal * logSum) - shifted, zLoss, lse);
                gradientMass = ClassIndexTerms<T>.GradientMass(keep, spread, targetWeight, args.WeightTotal, zLoss, lse);
            }
            else
            {
                loss = -RowPrimitives<T, TS, TV>.OptionCrossTerms<TMap>(ref x, ref q, ref w, weighted, k, cappedMax, cap, tau, tempered, logSum, keep, spread, out T mass);
                if (zLoss != T.Zero)
                {
                    loss += zLoss * lse * lse;
                }

                gradientMass = RowPrimitives<T, TS, TV>.ProbabilityMass(mass, zLoss, lse);
            }

            loss = EntropyTerms<T>.WithBonus(loss, b, targetWeight, entropy);
            total += double.CreateTruncating(loss);
            WriteIfAsked(losses, row, loss);
            if (!forward)
            {
                // The fused gradient: Backward's row with upstream = the reduction's scale, p = exp(d) / s; from the
                // stored exps unless the gradient replaces the logits.
                FusedGradient<TS, TV, TMap, TTempered>(
                    ref x, ref q, ref w, weighted, !classIndex, ref g, k, cappedMax, logSum, T.One / sum, cap, tau, scale * gradientMass, bonus,
                    -(scale * b * targetWeight), entropy, classIndex ? scale * spread : scale, keep, spread, store);
                if (classIndex)
                {
                    Unsafe.Add(ref g, target) -= scale * keep * targetWeight * slopeAtTarget;
                }
            }
        }

        return total;
    }

    // The fused pass's gradient row, with the entropy term and the stored exps as compile-time choices.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FusedGradient<TS, TV, TMap, TTempered>(
        ref T x, ref T q, ref T w, bool weighted, bool probabilities, ref T g, int k, T cappedMax, T logSum, T inverseSum, in LogitCap cap, T tau,
        T pMass, bool bonus, T hScale, T entropy, T offset, T keep, T spread, bool stored)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TMap : struct, ILogitMap
        where TTempered : struct, IFlag
    {
        if (bonus)
        {
            if (stored)
            {
                RowPrimitives<T, TS, TV>.WriteOptionGradientFromExps<TMap, TTempered, On, Off>(ref x, ref q, ref w, weighted, probabilities, ref g, k, cappedMax, logSum, inverseSum, cap, tau, pMass, hScale, entropy, offset, keep, spread);
            }
            else
            {
                RowPrimitives<T, TS, TV>.WriteOptionGradientFromExps<TMap, TTempered, On, On>(ref x, ref q, ref w, weighted, probabilities, ref g, k, cappedMax, logSum, inverseSum, cap, tau, pMass, hScale, entropy, offset, keep, spread);
            }
        }
        else if (stored)
        {
            RowPrimitives<T, TS, TV>.WriteOptionGradientFromExps<TMap, TTempered, Off, Off>(ref x, ref q, ref w, weighted, probabilities, ref g, k, cappedMax, logSum, inverseSum, cap, tau, pMass, hScale, entropy, offset, keep, spread);
        }
        else
        {
            RowPrimitives<T, TS, TV>.WriteOptionGradientFromExps<TMap, TTempered, Off, On>(ref x, ref q, ref w, weighted, probabilities, ref g, k, cappedMax, logSum, inverseSum, cap, tau, pMass, hScale, entropy, offset, keep, spread);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void WriteIfAsked(T* values, int row, T value)
    {
        if (values != null)
        {
            values[row] = value;
        }
    }
}
