using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Sharding;

/// <summary>Which pass a <see cref="ShardKernels{T}"/> call runs over a shard's rows.</summary>
internal enum ShardOperation
{
    ClassIndexPartials,
    ProbabilityPartials,
    ClassIndexBackward,
    ProbabilityBackward,
}

/// <summary>One validated sharded call: a shard's rows (its K_s columns, row-major) and what the pass needs.</summary>
internal readonly unsafe struct ShardArgs<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T* Logits { get; init; }

    public T* Probabilities { get; init; }

    public int* Targets { get; init; }

    public T* Weight { get; init; }

    public ShardPartials* Partials { get; init; }

    public T* LossGradients { get; init; }

    public T* Gradient { get; init; }

    /// <summary>Gets Backward's per-row dL/dH, or null.</summary>
    public T* EntropyGradients { get; init; }

    public int Rows { get; init; }

    public int Offset { get; init; }

    public int LocalClasses { get; init; }

    public int Classes { get; init; }

    /// <summary>Gets the loss's scalars (the reduction scale is not used: shards take per-row upstream gradients).</summary>
    public CallOptions<T> Options { get; init; }

    /// <summary>Gets 1 - eps.</summary>
    public T Keep => Smoothing.Keep(Options.LabelSmoothing);

    /// <summary>Gets eps / K, with the global K.</summary>
    public T Spread => Smoothing.Spread(Options.LabelSmoothing, Classes);

    /// <summary>Gets 1 / tau and whether tau is not 1.</summary>
    public (T Inverse, bool Tempered) InverseTemperature
        => Options.Temperature == T.One ? (T.One, false) : (T.One / Options.Temperature, true);

    /// <summary>Gets a value indicating whether a backward pass takes the option rows' math (a temperature, an entropy bonus or entropy gradients).</summary>
    public bool HasExtras => Options.Temperature != T.One || Options.EntropyScale != T.Zero || EntropyGradients != null;

    /// <summary>Gets the soft-cap as the row primitives take it.</summary>
    public LogitCap Cap => new(double.CreateTruncating(Options.Softcap));

    /// <summary>Gets the shard's first class weight (a null reference without weights).</summary>
    public ref T ShardWeight => ref Weight != null ? ref Unsafe.AsRef<T>(Weight + Offset) : ref Unsafe.NullRef<T>();
}

/// <summary>
/// The per-row passes of sharded cross-entropy, on the same row primitives as the unsharded loss: a shard's partial
/// statistics (<see cref="ShardPartials"/>), and its gradient slice from merged statistics with Backward's math, the
/// target's term only in the shard that holds it.
/// </summary>
internal static unsafe class ShardKernels<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Run(ShardOperation operation, in ShardArgs<T> args)
    {
        int lanes = RoutingTable.RowLanes(typeof(T) == typeof(float), args.LocalClasses, Machine.Sets);
        if (lanes == Vector512<T>.Count)
        {
            Run<Simd512<T>, Vector512<T>>(operation, args);
        }
        else if (lanes == Vector256<T>.Count)
        {
            Run<Simd256<T>, Vector256<T>>(operation, args);
        }
        else if (lanes == Vector128<T>.Count)
        {
            Run<Simd128<T>, Vector128<T>>(operation, args);
        }
        else
        {
            Run<Scalar<T>, T>(operation, args);
        }
    }

    private static void Run<TS, TV>(ShardOperation operation, in ShardArgs<T> args)
        where TS : struct, ISimd<T, TV>
        where TV : struct
    {
        bool capped = args.Options.Softcap != T.Zero;
        if (args.HasExtras && operation is ShardOperation.ClassIndexBackward or ShardOperation.ProbabilityBackward)
        {
            if (capped)
            {
                OptionBackward<TS, TV, SoftCappedPrecise>(args, operation == ShardOperation.ClassIndexBackward);
            }
            else
            {
                OptionBackward<TS, TV, Uncapped>(args, operation == ShardOperation.ClassIndexBackward);
            }

            return;
        }

        switch (operation)
        {
            case ShardOperation.ClassIndexPartials when capped:
                Partials<TS, TV, SoftCapped>(args, hard: true);
                break;
            case ShardOperation.ClassIndexPartials:
                Partials<TS, TV, Uncapped>(args, hard: true);
                break;
            case ShardOperation.ProbabilityPartials when capped:
                Partials<TS, TV, SoftCapped>(args, hard: false);
                break;
            case ShardOperation.ProbabilityPartials:
                Partials<TS, TV, Uncapped>(args, hard: false);
                break;
            case ShardOperation.ClassIndexBackward when capped:
                ClassIndexBackward<TS, TV, SoftCappedPrecise>(args);
                break;
            case ShardOperation.ClassIndexBackward:
                ClassIndexBackward<TS, TV, Uncapped>(args);
                break;
            case ShardOperation.ProbabilityBackward when capped:
                ProbabilityBackward<TS, TV, SoftCappedPrecise>(args);
                break;
            default:
                ProbabilityBackward<TS, TV, Uncapped>(args);
                break;
        }
    }

    // One pass per row for s, E and the linear sums (the option rows' statistics), with z = cap(x) / tau.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Partials<TS, TV, TMap>(in ShardArgs<T> args, bool hard)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TMap : struct, ILogitMap
    {
        int k = args.LocalClasses;
        bool weighted = args.Weight != null;
        ref T w = ref args.ShardWeight;
        T keep = args.Keep, spread = args.Spread;
        LogitCap cap = args.Cap;
        (T tau, bool tempered) = args.InverseTemperature;
        double shardWeight = hard ? ShardWeight(args) : 0;
        for (int row = 0; row < args.Rows; row++)
        {
            ref T x = ref Unsafe.AsRef<T>(args.Logits + ((nint)row * k));
            T cappedMax = RowPrimitives<T, TS, TV>.MapOne<TMap>(RowPrimitives<T, TS, TV>.Max(ref x, k), cap, out _);
            T entropySum, shifted;
            T sum = tempered
                ? RowPrimitives<T, TS, TV>.OptionStatistics<TMap, On, On, Off>(ref x, ref w, weighted, k, cappedMax, cap, tau, hard, out entropySum, out shifted, ref Unsafe.NullRef<T>())
                : RowPrimitives<T, TS, TV>.OptionStatistics<TMap, Off, On, Off>(ref x, ref w, weighted, k, cappedMax, cap, tau, hard, out entropySum, out shifted, ref Unsafe.NullRef<T>());
            double max = double.CreateTruncating(tempered ? cappedMax * tau : cappedMax);
            double linear;
            double weightSum;
            if (hard)
            {
                linear = double.CreateTruncating(shifted) + (max * shardWeight);
                weightSum = shardWeight;
            }
            else
            {
                ref T q = ref Unsafe.AsRef<T>(args.Probabilities + ((nint)row * k));
                T cross = RowPrimitives<T, TS, TV>.OptionCrossTerms<TMap>(ref x, ref q, ref w, weighted, k, cappedMax, cap, tau, tempered, T.Zero, keep, spread, out T mass);
                weightSum = double.CreateTruncating(mass);
                linear = double.CreateTruncating(cross) + (max * weightSum);
            }

            // sum = 1 + rest: below 2 exactly one class sits at the max, and the rest is summed again without the 1.
            double rest = sum < T.CreateTruncating(2)
                ? double.CreateTruncating(RowPrimitives<T, TS, TV>.OptionRestExp<TMap>(ref x, k, cappedMax, cap, tau, tempered))
                : double.CreateTruncating(sum) - 1;
            double maxShards = 1;
            double entropy = double.CreateTruncating(entropySum);
            if (T.IsNegativeInfinity(cappedMax))
            {
                (maxShards, rest, entropy) = (0, 0, 0); // every z is -Inf: no mass here
            }

            double targetLogit = 0, targetCount = 0;
            if (hard)
            {
                int target = args.Targets[row];
                int local = target - args.Offset;
                if (target != args.Options.IgnoreIndex && (uint)local < (uint)k)
                {
                    T shiftedTarget = RowPrimitives<T, TS, TV>.OptionExponent<TMap>(Unsafe.Add(ref x, local), cappedMax, cap, tau, divide: false, tempered, out _);
                    targetLogit = max + double.CreateTruncating(shiftedTarget);
                    targetCount = 1;
                }
            }

            args.Partials[row] = new ShardPartials(max, maxShards, rest, targetLogit, linear, weightSum, k, targetCount, entropy);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ClassIndexBackward<TS, TV, TMap>(in ShardArgs<T> args)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TMap : struct, ILogitMap
    {
        int k = args.LocalClasses;
        bool weighted = args.Weight != null;
        ref T w = ref args.ShardWeight;
        T keep = args.Keep, spread = args.Spread;
        LogitCap cap = args.Cap;
        for (int row = 0; row < args.Rows; row++)
        {
            ref T x = ref Unsafe.AsRef<T>(args.Logits + ((nint)row * k));
            ref T g = ref Unsafe.AsRef<T>(args.Gradient + ((nint)row * k));
            int target = args.Targets[row];
            if (target == args.Options.IgnoreIndex)
            {
                LsrVectorMath.Clear(ref g, (nuint)k);
                continue;
            }

            // Backward's row on the shard's columns; the target's term only where the shard holds it.
            int local = target - args.Offset;
            RowPrimitives<T, TS, TV>.WriteClassIndexBackward<TMap>(
                ref x, ref w, weighted, ref g, k, (uint)local < (uint)k ? local : -1, args.Weight != null ? args.Weight[target] : T.One,
                T.CreateTruncating(args.Partials[row].LogSumExp), args.LossGradients[row], keep, spread, args.Options.WeightTotal, args.Options.ZLossScale, cap);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ProbabilityBackward<TS, TV, TMap>(in ShardArgs<T> args)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TMap : struct, ILogitMap
    {
        int k = args.LocalClasses;
        bool weighted = args.Weight != null;
        ref T w = ref args.ShardWeight;
        T keep = args.Keep, spread = args.Spread;
        LogitCap cap = args.Cap;
        for (int row = 0; row < args.Rows; row++)
        {
            // The row's mass over all shards comes from the merged partials: the shard holds only part of q.
            ShardPartials partials = args.Partials[row];
            RowPrimitives<T, TS, TV>.WriteProbabilityBackward<TMap>(
                ref Unsafe.AsRef<T>(args.Logits + ((nint)row * k)), ref Unsafe.AsRef<T>(args.Probabilities + ((nint)row * k)), ref w, weighted,
                ref Unsafe.AsRef<T>(args.Gradient + ((nint)row * k)), k, T.CreateTruncating(partials.WeightSum), T.CreateTruncating(partials.LogSumExp),
                args.LossGradients[row], keep, spread, args.Options.ZLossScale, cap);
        }
    }

    // The option rows' Backward on the shard's columns: p from the merged lse, H from the merged partials, the
    // class-index target's term only where the shard holds it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OptionBackward<TS, TV, TMap>(in ShardArgs<T> args, bool hard)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TMap : struct, ILogitMap
    {
        int k = args.LocalClasses;
        bool weighted = args.Weight != null;
        ref T w = ref args.ShardWeight;
        T keep = args.Keep, spread = args.Spread;
        LogitCap cap = args.Cap;
        T temperature = args.Options.Temperature;
        bool tempered = temperature != T.One;
        T b = args.Options.EntropyScale;
        bool withEntropy = b != T.Zero || args.EntropyGradients != null;
        for (int row = 0; row < args.Rows; row++)
        {
            ref T x = ref Unsafe.AsRef<T>(args.Logits + ((nint)row * k));
            ref T g = ref Unsafe.AsRef<T>(args.Gradient + ((nint)row * k));
            ref T q = ref hard ? ref Unsafe.NullRef<T>() : ref Unsafe.AsRef<T>(args.Probabilities + ((nint)row * k));
            int target = hard ? args.Targets[row] : -1;
            if (hard && target == args.Options.IgnoreIndex)
            {
                LsrVectorMath.Clear(ref g, (nuint)k);
                continue;
            }

            // The merged lse is a double: a float row takes it as two floats, so p keeps what its rounding would lose.
            ShardPartials partials = args.Partials[row];
            T lse = T.CreateTruncating(partials.LogSumExp);
            T lseLow = T.CreateTruncating(partials.LogSumExp - double.CreateTruncating(lse));
            int local = target - args.Offset;
            RowPrimitives<T, TS, TV>.WriteOptionBackward<TMap>(
                ref x, ref q, ref w, weighted, !hard, ref g, k, hard && (uint)local < (uint)k ? local : -1, hard && weighted ? args.Weight[target] : T.One,
                T.CreateTruncating(partials.WeightSum), args.Options.WeightTotal, args.Options.ZLossScale, lse, lseLow, args.LossGradients[row], b, withEntropy,
                args.EntropyGradients != null ? args.EntropyGradients[row] : T.Zero, withEntropy ? T.CreateTruncating(partials.Entropy) : T.Zero,
                keep, spread, cap, temperature, tempered);
        }
    }

    /// <summary>sum of the shard's class weights (its class count without weights).</summary>
    private static double ShardWeight(in ShardArgs<T> args)
    {
        if (args.Weight == null)
        {
            return args.LocalClasses;
        }

        double total = 0;
        for (int j = 0; j < args.LocalClasses; j++)
        {
            total += double.CreateTruncating(args.Weight[args.Offset + j]);
        }

        return total;
    }
}
