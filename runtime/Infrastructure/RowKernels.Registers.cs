using System.Diagnostics;
using System.Runtime.CompilerServices;
using LsrGen.Simd;

namespace LsrGen.Infrastructure;

/// <summary>
/// The fused loss and gradient for rows of at most 16 vectors (float K up to 256 with AVX-512), the row held in
/// registers: read once, its exps kept for the scaling that their sum decides, so the row loops' store of the exps
/// and their reload in a third pass go away. The same arithmetic in the same order as the row loops (the same bits).
/// </summary>
public static partial class RowKernels<T, TClasses>
{
    /// <summary>
    /// The fused class-index gradient in the row loops even where the registers serve it (no gathered blocks either):
    /// tests compare the two bit for bit.
    /// </summary>
    internal static double HardGradientInRowLoops(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<HardGradientRowLoops>(args, firstRow, endRow);

    /// <summary>Whether the fused class-index gradient of K classes (uncapped) runs with the row in registers.</summary>
    private static bool InRegisters<TS, TV>(int k)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        => TS.Count > 1 && k > TS.Count && k <= 16 * TS.Count;

    // K splits into whole vectors before a last one that ends at K (it may overlap the one before): one compiled
    // method per count of whole vectors, so the registers' code is straight.
    private static double FusedInRegisters<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        => ((k - 1) / TS.Count) switch
        {
            1 => FusedInRegisters<TS, TV, Whole1>(args, k, firstRow, endRow),
            2 => FusedInRegisters<TS, TV, Whole2>(args, k, firstRow, endRow),
            3 => FusedInRegisters<TS, TV, Whole3>(args, k, firstRow, endRow),
            4 => FusedInRegisters<TS, TV, Whole4>(args, k, firstRow, endRow),
            5 => FusedInRegisters<TS, TV, Whole5>(args, k, firstRow, endRow),
            6 => FusedInRegisters<TS, TV, Whole6>(args, k, firstRow, endRow),
            7 => FusedInRegisters<TS, TV, Whole7>(args, k, firstRow, endRow),
            8 => FusedInRegisters<TS, TV, Whole8>(args, k, firstRow, endRow),
            9 => FusedInRegisters<TS, TV, Whole9>(args, k, firstRow, endRow),
            10 => FusedInRegisters<TS, TV, Whole10>(args, k, firstRow, endRow),
            11 => FusedInRegisters<TS, TV, Whole11>(args, k, firstRow, endRow),
            12 => FusedInRegisters<TS, TV, Whole12>(args, k, firstRow, endRow),
            13 => FusedInRegisters<TS, TV, Whole13>(args, k, firstRow, endRow),
            14 => FusedInRegisters<TS, TV, Whole14>(args, k, firstRow, endRow),
            15 => FusedInRegisters<TS, TV, Whole15>(args, k, firstRow, endRow),
            _ => throw new UnreachableException(),
        };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double FusedInRegisters<TS, TV, TWhole>(in RowArgs<T> args, int k, int firstRow, int endRow)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TWhole : struct, IWholeVectors
    {
        T eps = args.LabelSmoothing;
        T keep = T.One - eps;
        T spread = eps / T.CreateTruncating(k);
        T scale = args.Scale;
        bool weighted = args.HasWeight;
        ref T w = ref args.Weight;
        nuint width = (nuint)TS.Count;
        nuint last = (nuint)k - width;
        int firstLane = (int)(((nuint)TWhole.Count * width) - last);
        bool partial = firstLane > 0;
        bool prefetch = TS.Count * Unsafe.SizeOf<T>() >= 32;
        double total = 0;
        for (int row = firstRow; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, row * args.LogitRowStride);
            ref T g = ref Unsafe.Add(ref args.Output, row * args.OutputRowStride);
            int target = Unsafe.Add(ref args.Targets, row);
            if (target == args.IgnoreIndex)
            {
                LsrVectorMath.Clear(ref g, (nuint)k);
                continue;
            }

            T targetLogit = Unsafe.Add(ref x, target);
            TV t = TS.Load(ref x, last);
            TV v0 = TWhole.Count > 0 ? TS.Load(ref x, 0 * width) : t;
            TV v1 = TWhole.Count > 1 ? TS.Load(ref x, 1 * width) : t;
            TV v2 = TWhole.Count > 2 ? TS.Load(ref x, 2 * width) : t;
            TV v3 = TWhole.Count > 3 ? TS.Load(ref x, 3 * width) : t;
            TV v4 = TWhole.Count > 4 ? TS.Load(ref x, 4 * width) : t;
            TV v5 = TWhole.Count > 5 ? TS.Load(ref x, 5 * width) : t;
            TV v6 = TWhole.Count > 6 ? TS.Load(ref x, 6 * width) : t;
            TV v7 = TWhole.Count > 7 ? TS.Load(ref x, 7 * width) : t;
            TV v8 = TWhole.Count > 8 ? TS.Load(ref x, 8 * width) : t;
            TV v9 = TWhole.Count > 9 ? TS.Load(ref x, 9 * width) : t;
            TV v10 = TWhole.Count > 10 ? TS.Load(ref x, 10 * width) : t;
            TV v11 = TWhole.Count > 11 ? TS.Load(ref x, 11 * width) : t;
            TV v12 = TWhole.Count > 12 ? TS.Load(ref x, 12 * width) : t;
            TV v13 = TWhole.Count > 13 ? TS.Load(ref x, 13 * width) : t;
            TV v14 = TWhole.Count > 14 ? TS.Load(ref x, 14 * width) : t;

            // Four chains of maxima (absent vectors repeat the last one, which changes no max).
            TV max0 = TS.MaxNative(t, v0);
            TV max1 = v1;
            TV max2 = v2;
            TV max3 = v3;
            if (TWhole.Count > 4)
            {
                max0 = TS.MaxNative(max0, v4);
            }

            if (TWhole.Count > 5)
            {
                max1 = TS.MaxNative(max1, v5);
            }

            if (TWhole.Count > 6)
            {
                max2 = TS.MaxNative(max2, v6);
            }

            if (TWhole.Count > 7)
            {
                max3 = TS.MaxNative(max3, v7);
            }

            if (TWhole.Count > 8)
            {
                max0 = TS.MaxNative(max0, v8);
            }

            if (TWhole.Count > 9)
            {
                max1 = TS.MaxNative(max1, v9);
            }

            if (TWhole.Count > 10)
            {
                max2 = TS.MaxNative(max2, v10);
            }

            if (TWhole.Count > 11)
            {
                max3 = TS.MaxNative(max3, v11);
            }

            if (TWhole.Count > 12)
            {
                max0 = TS.MaxNative(max0, v12);
            }

            if (TWhole.Count > 13)
            {
                max1 = TS.MaxNative(max1, v13);
            }

            if (TWhole.Count > 14)
            {
                max2 = TS.MaxNative(max2, v14);
            }

            T max = TS.HorizontalMax(TS.MaxNative(TS.MaxNative(max0, max1), TS.MaxNative(max2, max3)));
            TV m = TS.Broadcast(max);

            // As StoreExpAndSum: a partial last vector first, its lanes before firstLane (held by the whole vectors)
            // set to the max and left out of the sums; then the whole vectors in order, each exp kept in place of its
            // logits; a whole last vector (K a multiple of the width) last.
            TV dLast = TS.Subtract(TS.SelectFromLane(firstLane, t, m), m);
            t = TS.Exp(dLast);
            TV acc = partial ? TS.SelectFromLane(firstLane, t, TS.Zero) : TS.Zero;
            TV accShifted = partial ? TS.SelectFromLane(firstLane, weighted ? TS.Multiply(TS.Load(ref w, last), dLast) : dLast, TS.Zero) : TS.Zero;
            TV d;
            if (TWhole.Count > 0)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (0 * width));
                }

                d = TS.Subtract(v0, m);
                v0 = TS.Exp(d);
                acc = TS.Add(acc, v0);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 0 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 1)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (1 * width));
                }

                d = TS.Subtract(v1, m);
                v1 = TS.Exp(d);
                acc = TS.Add(acc, v1);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 1 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 2)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (2 * width));
                }

                d = TS.Subtract(v2, m);
                v2 = TS.Exp(d);
                acc = TS.Add(acc, v2);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 2 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 3)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (3 * width));
                }

                d = TS.Subtract(v3, m);
                v3 = TS.Exp(d);
                acc = TS.Add(acc, v3);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 3 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 4)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (4 * width));
                }

                d = TS.Subtract(v4, m);
                v4 = TS.Exp(d);
                acc = TS.Add(acc, v4);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 4 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 5)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (5 * width));
                }

                d = TS.Subtract(v5, m);
                v5 = TS.Exp(d);
                acc = TS.Add(acc, v5);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 5 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 6)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (6 * width));
                }

                d = TS.Subtract(v6, m);
                v6 = TS.Exp(d);
                acc = TS.Add(acc, v6);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 6 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 7)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (7 * width));
                }

                d = TS.Subtract(v7, m);
                v7 = TS.Exp(d);
                acc = TS.Add(acc, v7);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 7 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 8)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (8 * width));
                }

                d = TS.Subtract(v8, m);
                v8 = TS.Exp(d);
                acc = TS.Add(acc, v8);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 8 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 9)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (9 * width));
                }

                d = TS.Subtract(v9, m);
                v9 = TS.Exp(d);
                acc = TS.Add(acc, v9);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 9 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 10)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (10 * width));
                }

                d = TS.Subtract(v10, m);
                v10 = TS.Exp(d);
                acc = TS.Add(acc, v10);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 10 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 11)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (11 * width));
                }

                d = TS.Subtract(v11, m);
                v11 = TS.Exp(d);
                acc = TS.Add(acc, v11);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 11 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 12)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (12 * width));
                }

                d = TS.Subtract(v12, m);
                v12 = TS.Exp(d);
                acc = TS.Add(acc, v12);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 12 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 13)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (13 * width));
                }

                d = TS.Subtract(v13, m);
                v13 = TS.Exp(d);
                acc = TS.Add(acc, v13);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 13 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (TWhole.Count > 14)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref x, (nuint)args.LogitRowStride + (14 * width));
                }

                d = TS.Subtract(v14, m);
                v14 = TS.Exp(d);
                acc = TS.Add(acc, v14);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, 14 * width), d, accShifted) : TS.Add(accShifted, d);
            }

            if (!partial)
            {
                acc = TS.Add(acc, t);
                accShifted = weighted ? TS.MultiplyAdd(TS.Load(ref w, last), dLast, accShifted) : TS.Add(accShifted, dLast);
            }

            T sum = T.CreateTruncating(double.CreateTruncating(TS.HorizontalSum(acc)));
            T shifted = T.CreateTruncating(double.CreateTruncating(TS.HorizontalSum(accShifted)));
            T targetWeight = weighted ? Unsafe.Add(ref w, target) : T.One;
            T logSum = LsrVectorMath.LogOfSum(sum);
            T loss = HardLoss(args, logSum, max, targetLogit, targetWeight, shifted, keep, spread, out T lse);
            total += double.CreateTruncating(loss);

            // As ScaleAndShift, from the kept exps: the last vector first, whose early lanes the whole vectors rewrite.
            TV a = TS.Broadcast(GradientMass(args, targetWeight, keep, spread, lse) * scale / sum);
            TV minusB = TS.Broadcast(-(spread * scale));
            TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, last), TS.Multiply(t, a)) : TS.MultiplyAdd(t, a, minusB), ref g, last);
            if (TWhole.Count > 0)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 0 * width), TS.Multiply(v0, a)) : TS.MultiplyAdd(v0, a, minusB), ref g, 0 * width);
            }

            if (TWhole.Count > 1)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 1 * width), TS.Multiply(v1, a)) : TS.MultiplyAdd(v1, a, minusB), ref g, 1 * width);
            }

            if (TWhole.Count > 2)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 2 * width), TS.Multiply(v2, a)) : TS.MultiplyAdd(v2, a, minusB), ref g, 2 * width);
            }

            if (TWhole.Count > 3)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 3 * width), TS.Multiply(v3, a)) : TS.MultiplyAdd(v3, a, minusB), ref g, 3 * width);
            }

            if (TWhole.Count > 4)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 4 * width), TS.Multiply(v4, a)) : TS.MultiplyAdd(v4, a, minusB), ref g, 4 * width);
            }

            if (TWhole.Count > 5)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 5 * width), TS.Multiply(v5, a)) : TS.MultiplyAdd(v5, a, minusB), ref g, 5 * width);
            }

            if (TWhole.Count > 6)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 6 * width), TS.Multiply(v6, a)) : TS.MultiplyAdd(v6, a, minusB), ref g, 6 * width);
            }

            if (TWhole.Count > 7)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 7 * width), TS.Multiply(v7, a)) : TS.MultiplyAdd(v7, a, minusB), ref g, 7 * width);
            }

            if (TWhole.Count > 8)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 8 * width), TS.Multiply(v8, a)) : TS.MultiplyAdd(v8, a, minusB), ref g, 8 * width);
            }

            if (TWhole.Count > 9)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 9 * width), TS.Multiply(v9, a)) : TS.MultiplyAdd(v9, a, minusB), ref g, 9 * width);
            }

            if (TWhole.Count > 10)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 10 * width), TS.Multiply(v10, a)) : TS.MultiplyAdd(v10, a, minusB), ref g, 10 * width);
            }

            if (TWhole.Count > 11)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 11 * width), TS.Multiply(v11, a)) : TS.MultiplyAdd(v11, a, minusB), ref g, 11 * width);
            }

            if (TWhole.Count > 12)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 12 * width), TS.Multiply(v12, a)) : TS.MultiplyAdd(v12, a, minusB), ref g, 12 * width);
            }

            if (TWhole.Count > 13)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 13 * width), TS.Multiply(v13, a)) : TS.MultiplyAdd(v13, a, minusB), ref g, 13 * width);
            }

            if (TWhole.Count > 14)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 14 * width), TS.Multiply(v14, a)) : TS.MultiplyAdd(v14, a, minusB), ref g, 14 * width);
            }

            Unsafe.Add(ref g, target) -= keep * targetWeight * scale;
        }

        return total;
    }

    private readonly struct HardGradientRowLoops : IRowOperation
    {
        public static double Run<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
            where TS : struct, ISimd<T, TV>
            where TV : struct
            => Hard<TS, TV, Uncapped, GradientPass>(args, k, firstRow, endRow);
    }

    /// <summary>How many whole vectors a row holds before its last one, as a type (a JIT-time constant).</summary>
    private interface IWholeVectors
    {
        static abstract int Count { get; }
    }


    private readonly struct Whole1 : IWholeVectors
    {
        public static int Count => 1;
    }

    private readonly struct Whole2 : IWholeVectors
    {
        public static int Count => 2;
    }

    private readonly struct Whole3 : IWholeVectors
    {
        public static int Count => 3;
    }

    private readonly struct Whole4 : IWholeVectors
    {
        public static int Count => 4;
    }

    private readonly struct Whole5 : IWholeVectors
    {
        public static int Count => 5;
    }

    private readonly struct Whole6 : IWholeVectors
    {
        public static int Count => 6;
    }

    private readonly struct Whole7 : IWholeVectors
    {
        public static int Count => 7;
    }

    private readonly struct Whole8 : IWholeVectors
    {
        public static int Count => 8;
    }

    private readonly struct Whole9 : IWholeVectors
    {
        public static int Count => 9;
    }

    private readonly struct Whole10 : IWholeVectors
    {
        public static int Count => 10;
    }

    private readonly struct Whole11 : IWholeVectors
    {
        public static int Count => 11;
    }

    private readonly struct Whole12 : IWholeVectors
    {
        public static int Count => 12;
    }

    private readonly struct Whole13 : IWholeVectors
    {
        public static int Count => 13;
    }

    private readonly struct Whole14 : IWholeVectors
    {
        public static int Count => 14;
    }

    private readonly struct Whole15 : IWholeVectors
    {
        public static int Count => 15;
    }
}
