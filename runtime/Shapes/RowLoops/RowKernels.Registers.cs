using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace LsrGen.Shapes.RowLoops;

// Written by tools/LsrGen.Templates from its template (RegisterRowsTemplate.cs): edit the template, not this file.

/// <summary>
/// The fused loss and gradient for rows of at most 16 vectors (float K up to 256 with AVX-512), the row held in
/// registers: read once, its exps kept for the scaling that their sum decides, so the row loops' store of the exps
/// and their reload in a third pass go away. The same arithmetic in the same order as the row loops (the same bits).
/// Rows of up to <see cref="TwoRowVectors"/> whole vectors run two at a time, phase by phase, so that one row's
/// reductions, log and division overlap the other's.
/// </summary>
/// <remarks>
/// Each vector slot's steps are written out (RowPrimitives' one-vector ScaleAndShift and AddShifted spelled in place):
/// called through those helpers, the methods ran slower at mid K (the JIT's inlining budget ran out).
/// </remarks>
public static partial class RowKernels<T, TClasses>
{
    // Two rows of this many whole vectors (and their last vectors and temporaries) still fit 32 vector registers.
    private const int TwoRowVectors = 7;

    /// <summary>
    /// The fused class-index gradient in the row loops even where the registers serve it (no gathered blocks either):
    /// tests compare the two bit for bit.
    /// </summary>
    internal static double ClassIndexGradientInRowLoops(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<ClassIndexPassRows<GradientPass>>(args, firstRow, endRow);

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
        T keep = Smoothing.Keep(eps);
        T spread = Smoothing.Spread(eps, k);
        T scale = args.Scale;
        bool weighted = args.HasWeight;
        ref T w = ref args.Weight;
        nuint width = (nuint)TS.Count;
        nuint last = (nuint)k - width;
        int firstLane = (int)(((nuint)TWhole.Count * width) - last);
        bool partial = firstLane > 0;
        bool prefetch = TS.Count * Unsafe.SizeOf<T>() >= 32;
        TV minusB = TS.Broadcast(-(spread * scale));
        double total = 0;
        int row = firstRow;
        if (TWhole.Count <= TwoRowVectors)
        {
            row = firstRow + ((endRow - firstRow) & ~1);
            total = FusedRowPairs<TS, TV, TWhole>(args, k, firstRow, row);
        }

        for (; row < endRow; row++)
        {
            ref T x = ref Unsafe.Add(ref args.Logits, row * args.LogitRowStride);
            ref T g = ref Unsafe.Add(ref args.Output, row * args.OutputRowStride);
            int target = Unsafe.Add(ref args.Targets, row);
            bool ignored = target == args.IgnoreIndex;
            target = ignored ? 0 : target; // an ignored row runs as if its target were 0, then gets zeros
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
            T loss = ClassIndexLoss(args, LsrVectorMath.LogOfSum(sum), max, targetLogit, targetWeight, shifted, keep, spread, out T lse);
            TV a = TS.Broadcast(GradientMass(args, targetWeight, keep, spread, lse) * scale / sum);

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

            if (ignored)
            {
                LsrVectorMath.Clear(ref g, (nuint)k);
            }
            else
            {
                total += double.CreateTruncating(loss);
                Unsafe.Add(ref g, target) -= keep * targetWeight * scale;
            }
        }

        return total;
    }

    // Two rows at a time, phase by phase, in a method of its own: with the single rows' code beside it, the method grew
    // past the JIT's limits for optimising and ran several times slower.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double FusedRowPairs<TS, TV, TWhole>(in RowArgs<T> args, int k, int firstRow, int endRow)
        where TS : struct, ISimd<T, TV>
        where TV : struct
        where TWhole : struct, IWholeVectors
    {
        T eps = args.LabelSmoothing;
        T keep = Smoothing.Keep(eps);
        T spread = Smoothing.Spread(eps, k);
        T scale = args.Scale;
        bool weighted = args.HasWeight;
        ref T w = ref args.Weight;
        nuint width = (nuint)TS.Count;
        nuint last = (nuint)k - width;
        int firstLane = (int)(((nuint)TWhole.Count * width) - last);
        bool partial = firstLane > 0;
        bool prefetch = TS.Count * Unsafe.SizeOf<T>() >= 32;
        TV minusB = TS.Broadcast(-(spread * scale));
        double total = 0;
        for (int row = firstRow; row < endRow; row += 2)
        {
            int rowA = row;
            int rowB = row + 1;

            // Both rows read.
            ref T xA = ref Unsafe.Add(ref args.Logits, rowA * args.LogitRowStride);
            ref T gA = ref Unsafe.Add(ref args.Output, rowA * args.OutputRowStride);
            int targetA = Unsafe.Add(ref args.Targets, rowA);
            bool ignoredA = targetA == args.IgnoreIndex;
            targetA = ignoredA ? 0 : targetA; // an ignored row runs as if its target were 0, then gets zeros
            T targetLogitA = Unsafe.Add(ref xA, targetA);
            TV tA = TS.Load(ref xA, last);
            TV v0A = TWhole.Count > 0 ? TS.Load(ref xA, 0 * width) : tA;
            TV v1A = TWhole.Count > 1 ? TS.Load(ref xA, 1 * width) : tA;
            TV v2A = TWhole.Count > 2 ? TS.Load(ref xA, 2 * width) : tA;
            TV v3A = TWhole.Count > 3 ? TS.Load(ref xA, 3 * width) : tA;
            TV v4A = TWhole.Count > 4 ? TS.Load(ref xA, 4 * width) : tA;
            TV v5A = TWhole.Count > 5 ? TS.Load(ref xA, 5 * width) : tA;
            TV v6A = TWhole.Count > 6 ? TS.Load(ref xA, 6 * width) : tA;
            ref T xB = ref Unsafe.Add(ref args.Logits, rowB * args.LogitRowStride);
            ref T gB = ref Unsafe.Add(ref args.Output, rowB * args.OutputRowStride);
            int targetB = Unsafe.Add(ref args.Targets, rowB);
            bool ignoredB = targetB == args.IgnoreIndex;
            targetB = ignoredB ? 0 : targetB; // an ignored row runs as if its target were 0, then gets zeros
            T targetLogitB = Unsafe.Add(ref xB, targetB);
            TV tB = TS.Load(ref xB, last);
            TV v0B = TWhole.Count > 0 ? TS.Load(ref xB, 0 * width) : tB;
            TV v1B = TWhole.Count > 1 ? TS.Load(ref xB, 1 * width) : tB;
            TV v2B = TWhole.Count > 2 ? TS.Load(ref xB, 2 * width) : tB;
            TV v3B = TWhole.Count > 3 ? TS.Load(ref xB, 3 * width) : tB;
            TV v4B = TWhole.Count > 4 ? TS.Load(ref xB, 4 * width) : tB;
            TV v5B = TWhole.Count > 5 ? TS.Load(ref xB, 5 * width) : tB;
            TV v6B = TWhole.Count > 6 ? TS.Load(ref xB, 6 * width) : tB;

            // Four chains of maxima each (absent vectors repeat the last one, which changes no max).
            TV max0A = TS.MaxNative(tA, v0A);
            TV max1A = v1A;
            TV max2A = v2A;
            TV max3A = v3A;
            if (TWhole.Count > 4)
            {
                max0A = TS.MaxNative(max0A, v4A);
            }

            if (TWhole.Count > 5)
            {
                max1A = TS.MaxNative(max1A, v5A);
            }

            if (TWhole.Count > 6)
            {
                max2A = TS.MaxNative(max2A, v6A);
            }

            T maxA = TS.HorizontalMax(TS.MaxNative(TS.MaxNative(max0A, max1A), TS.MaxNative(max2A, max3A)));
            TV mA = TS.Broadcast(maxA);

            TV max0B = TS.MaxNative(tB, v0B);
            TV max1B = v1B;
            TV max2B = v2B;
            TV max3B = v3B;
            if (TWhole.Count > 4)
            {
                max0B = TS.MaxNative(max0B, v4B);
            }

            if (TWhole.Count > 5)
            {
                max1B = TS.MaxNative(max1B, v5B);
            }

            if (TWhole.Count > 6)
            {
                max2B = TS.MaxNative(max2B, v6B);
            }

            T maxB = TS.HorizontalMax(TS.MaxNative(TS.MaxNative(max0B, max1B), TS.MaxNative(max2B, max3B)));
            TV mB = TS.Broadcast(maxB);

            // As StoreExpAndSum: a partial last vector first, its lanes before firstLane (held by the whole vectors) set to
            // the max and left out of the sums; then the whole vectors in order, each exp kept in place of its logits; a whole
            // last vector (K a multiple of the width) last.
            TV dLastA = TS.Subtract(TS.SelectFromLane(firstLane, tA, mA), mA);
            tA = TS.Exp(dLastA);
            TV accA = partial ? TS.SelectFromLane(firstLane, tA, TS.Zero) : TS.Zero;
            TV accShiftedA = partial ? TS.SelectFromLane(firstLane, weighted ? TS.Multiply(TS.Load(ref w, last), dLastA) : dLastA, TS.Zero) : TS.Zero;
            TV dA;
            if (TWhole.Count > 0)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xA, (2 * (nuint)args.LogitRowStride) + (0 * width));
                }

                dA = TS.Subtract(v0A, mA);
                v0A = TS.Exp(dA);
                accA = TS.Add(accA, v0A);
                accShiftedA = weighted ? TS.MultiplyAdd(TS.Load(ref w, 0 * width), dA, accShiftedA) : TS.Add(accShiftedA, dA);
            }

            if (TWhole.Count > 1)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xA, (2 * (nuint)args.LogitRowStride) + (1 * width));
                }

                dA = TS.Subtract(v1A, mA);
                v1A = TS.Exp(dA);
                accA = TS.Add(accA, v1A);
                accShiftedA = weighted ? TS.MultiplyAdd(TS.Load(ref w, 1 * width), dA, accShiftedA) : TS.Add(accShiftedA, dA);
            }

            if (TWhole.Count > 2)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xA, (2 * (nuint)args.LogitRowStride) + (2 * width));
                }

                dA = TS.Subtract(v2A, mA);
                v2A = TS.Exp(dA);
                accA = TS.Add(accA, v2A);
                accShiftedA = weighted ? TS.MultiplyAdd(TS.Load(ref w, 2 * width), dA, accShiftedA) : TS.Add(accShiftedA, dA);
            }

            if (TWhole.Count > 3)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xA, (2 * (nuint)args.LogitRowStride) + (3 * width));
                }

                dA = TS.Subtract(v3A, mA);
                v3A = TS.Exp(dA);
                accA = TS.Add(accA, v3A);
                accShiftedA = weighted ? TS.MultiplyAdd(TS.Load(ref w, 3 * width), dA, accShiftedA) : TS.Add(accShiftedA, dA);
            }

            if (TWhole.Count > 4)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xA, (2 * (nuint)args.LogitRowStride) + (4 * width));
                }

                dA = TS.Subtract(v4A, mA);
                v4A = TS.Exp(dA);
                accA = TS.Add(accA, v4A);
                accShiftedA = weighted ? TS.MultiplyAdd(TS.Load(ref w, 4 * width), dA, accShiftedA) : TS.Add(accShiftedA, dA);
            }

            if (TWhole.Count > 5)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xA, (2 * (nuint)args.LogitRowStride) + (5 * width));
                }

                dA = TS.Subtract(v5A, mA);
                v5A = TS.Exp(dA);
                accA = TS.Add(accA, v5A);
                accShiftedA = weighted ? TS.MultiplyAdd(TS.Load(ref w, 5 * width), dA, accShiftedA) : TS.Add(accShiftedA, dA);
            }

            if (TWhole.Count > 6)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xA, (2 * (nuint)args.LogitRowStride) + (6 * width));
                }

                dA = TS.Subtract(v6A, mA);
                v6A = TS.Exp(dA);
                accA = TS.Add(accA, v6A);
                accShiftedA = weighted ? TS.MultiplyAdd(TS.Load(ref w, 6 * width), dA, accShiftedA) : TS.Add(accShiftedA, dA);
            }

            if (!partial)
            {
                accA = TS.Add(accA, tA);
                accShiftedA = weighted ? TS.MultiplyAdd(TS.Load(ref w, last), dLastA, accShiftedA) : TS.Add(accShiftedA, dLastA);
            }

            TV dLastB = TS.Subtract(TS.SelectFromLane(firstLane, tB, mB), mB);
            tB = TS.Exp(dLastB);
            TV accB = partial ? TS.SelectFromLane(firstLane, tB, TS.Zero) : TS.Zero;
            TV accShiftedB = partial ? TS.SelectFromLane(firstLane, weighted ? TS.Multiply(TS.Load(ref w, last), dLastB) : dLastB, TS.Zero) : TS.Zero;
            TV dB;
            if (TWhole.Count > 0)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xB, (2 * (nuint)args.LogitRowStride) + (0 * width));
                }

                dB = TS.Subtract(v0B, mB);
                v0B = TS.Exp(dB);
                accB = TS.Add(accB, v0B);
                accShiftedB = weighted ? TS.MultiplyAdd(TS.Load(ref w, 0 * width), dB, accShiftedB) : TS.Add(accShiftedB, dB);
            }

            if (TWhole.Count > 1)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xB, (2 * (nuint)args.LogitRowStride) + (1 * width));
                }

                dB = TS.Subtract(v1B, mB);
                v1B = TS.Exp(dB);
                accB = TS.Add(accB, v1B);
                accShiftedB = weighted ? TS.MultiplyAdd(TS.Load(ref w, 1 * width), dB, accShiftedB) : TS.Add(accShiftedB, dB);
            }

            if (TWhole.Count > 2)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xB, (2 * (nuint)args.LogitRowStride) + (2 * width));
                }

                dB = TS.Subtract(v2B, mB);
                v2B = TS.Exp(dB);
                accB = TS.Add(accB, v2B);
                accShiftedB = weighted ? TS.MultiplyAdd(TS.Load(ref w, 2 * width), dB, accShiftedB) : TS.Add(accShiftedB, dB);
            }

            if (TWhole.Count > 3)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xB, (2 * (nuint)args.LogitRowStride) + (3 * width));
                }

                dB = TS.Subtract(v3B, mB);
                v3B = TS.Exp(dB);
                accB = TS.Add(accB, v3B);
                accShiftedB = weighted ? TS.MultiplyAdd(TS.Load(ref w, 3 * width), dB, accShiftedB) : TS.Add(accShiftedB, dB);
            }

            if (TWhole.Count > 4)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xB, (2 * (nuint)args.LogitRowStride) + (4 * width));
                }

                dB = TS.Subtract(v4B, mB);
                v4B = TS.Exp(dB);
                accB = TS.Add(accB, v4B);
                accShiftedB = weighted ? TS.MultiplyAdd(TS.Load(ref w, 4 * width), dB, accShiftedB) : TS.Add(accShiftedB, dB);
            }

            if (TWhole.Count > 5)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xB, (2 * (nuint)args.LogitRowStride) + (5 * width));
                }

                dB = TS.Subtract(v5B, mB);
                v5B = TS.Exp(dB);
                accB = TS.Add(accB, v5B);
                accShiftedB = weighted ? TS.MultiplyAdd(TS.Load(ref w, 5 * width), dB, accShiftedB) : TS.Add(accShiftedB, dB);
            }

            if (TWhole.Count > 6)
            {
                if (prefetch)
                {
                    LsrVectorMath.Prefetch(ref xB, (2 * (nuint)args.LogitRowStride) + (6 * width));
                }

                dB = TS.Subtract(v6B, mB);
                v6B = TS.Exp(dB);
                accB = TS.Add(accB, v6B);
                accShiftedB = weighted ? TS.MultiplyAdd(TS.Load(ref w, 6 * width), dB, accShiftedB) : TS.Add(accShiftedB, dB);
            }

            if (!partial)
            {
                accB = TS.Add(accB, tB);
                accShiftedB = weighted ? TS.MultiplyAdd(TS.Load(ref w, last), dLastB, accShiftedB) : TS.Add(accShiftedB, dLastB);
            }

            // The losses, and the scale each row's exps get.
            T sumA = T.CreateTruncating(double.CreateTruncating(TS.HorizontalSum(accA)));
            T shiftedA = T.CreateTruncating(double.CreateTruncating(TS.HorizontalSum(accShiftedA)));
            T targetWeightA = weighted ? Unsafe.Add(ref w, targetA) : T.One;
            T lossA = ClassIndexLoss(args, LsrVectorMath.LogOfSum(sumA), maxA, targetLogitA, targetWeightA, shiftedA, keep, spread, out T lseA);
            TV aA = TS.Broadcast(GradientMass(args, targetWeightA, keep, spread, lseA) * scale / sumA);
            T sumB = T.CreateTruncating(double.CreateTruncating(TS.HorizontalSum(accB)));
            T shiftedB = T.CreateTruncating(double.CreateTruncating(TS.HorizontalSum(accShiftedB)));
            T targetWeightB = weighted ? Unsafe.Add(ref w, targetB) : T.One;
            T lossB = ClassIndexLoss(args, LsrVectorMath.LogOfSum(sumB), maxB, targetLogitB, targetWeightB, shiftedB, keep, spread, out T lseB);
            TV aB = TS.Broadcast(GradientMass(args, targetWeightB, keep, spread, lseB) * scale / sumB);

            // As ScaleAndShift, from the kept exps: the last vector first, whose early lanes the whole vectors rewrite.
            TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, last), TS.Multiply(tA, aA)) : TS.MultiplyAdd(tA, aA, minusB), ref gA, last);
            if (TWhole.Count > 0)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 0 * width), TS.Multiply(v0A, aA)) : TS.MultiplyAdd(v0A, aA, minusB), ref gA, 0 * width);
            }

            if (TWhole.Count > 1)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 1 * width), TS.Multiply(v1A, aA)) : TS.MultiplyAdd(v1A, aA, minusB), ref gA, 1 * width);
            }

            if (TWhole.Count > 2)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 2 * width), TS.Multiply(v2A, aA)) : TS.MultiplyAdd(v2A, aA, minusB), ref gA, 2 * width);
            }

            if (TWhole.Count > 3)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 3 * width), TS.Multiply(v3A, aA)) : TS.MultiplyAdd(v3A, aA, minusB), ref gA, 3 * width);
            }

            if (TWhole.Count > 4)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 4 * width), TS.Multiply(v4A, aA)) : TS.MultiplyAdd(v4A, aA, minusB), ref gA, 4 * width);
            }

            if (TWhole.Count > 5)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 5 * width), TS.Multiply(v5A, aA)) : TS.MultiplyAdd(v5A, aA, minusB), ref gA, 5 * width);
            }

            if (TWhole.Count > 6)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 6 * width), TS.Multiply(v6A, aA)) : TS.MultiplyAdd(v6A, aA, minusB), ref gA, 6 * width);
            }

            if (ignoredA)
            {
                LsrVectorMath.Clear(ref gA, (nuint)k);
            }
            else
            {
                total += double.CreateTruncating(lossA);
                Unsafe.Add(ref gA, targetA) -= keep * targetWeightA * scale;
            }

            TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, last), TS.Multiply(tB, aB)) : TS.MultiplyAdd(tB, aB, minusB), ref gB, last);
            if (TWhole.Count > 0)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 0 * width), TS.Multiply(v0B, aB)) : TS.MultiplyAdd(v0B, aB, minusB), ref gB, 0 * width);
            }

            if (TWhole.Count > 1)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 1 * width), TS.Multiply(v1B, aB)) : TS.MultiplyAdd(v1B, aB, minusB), ref gB, 1 * width);
            }

            if (TWhole.Count > 2)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 2 * width), TS.Multiply(v2B, aB)) : TS.MultiplyAdd(v2B, aB, minusB), ref gB, 2 * width);
            }

            if (TWhole.Count > 3)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 3 * width), TS.Multiply(v3B, aB)) : TS.MultiplyAdd(v3B, aB, minusB), ref gB, 3 * width);
            }

            if (TWhole.Count > 4)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 4 * width), TS.Multiply(v4B, aB)) : TS.MultiplyAdd(v4B, aB, minusB), ref gB, 4 * width);
            }

            if (TWhole.Count > 5)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 5 * width), TS.Multiply(v5B, aB)) : TS.MultiplyAdd(v5B, aB, minusB), ref gB, 5 * width);
            }

            if (TWhole.Count > 6)
            {
                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, 6 * width), TS.Multiply(v6B, aB)) : TS.MultiplyAdd(v6B, aB, minusB), ref gB, 6 * width);
            }

            if (ignoredB)
            {
                LsrVectorMath.Clear(ref gB, (nuint)k);
            }
            else
            {
                total += double.CreateTruncating(lossB);
                Unsafe.Add(ref gB, targetB) -= keep * targetWeightB * scale;
            }
        }

        return total;
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
