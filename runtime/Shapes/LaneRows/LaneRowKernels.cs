using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.Shapes.LaneRows;

/// <summary>
/// The reduced class-index loss of float rows with AVX-512, no soft-cap and no per-row outputs, where the routing table
/// (<see cref="LsrGen.Routing.RoutingTable"/>) sends it: each row is read along its classes, as in the row loops, but its sums
/// of exps and of shifted logits stay one vector per row (a lane per column of the row's vectors); the 16 vectors of
/// 16 rows are then added up together by one transposing tree, whose result holds one row's sum per lane and feeds
/// the block loss of <see cref="ClassIndexBlock{T, TS, TV}"/>. A row costs its vector work, one horizontal max and a
/// sixteenth of two trees, where the row loops pay two horizontal sums, a scalar log and the loss terms on every row
/// and the gathered blocks two gathers per 16 logits. Every row goes through the same steps whatever its place in the
/// block (the tree adds each row's lanes in the same order in every slot), so a row's loss never depends on where it
/// sits in the batch.
/// </summary>
[SkipLocalsInit]
internal static unsafe class LaneRowKernels
{
    private const int Lanes = 16;

    /// <inheritdoc cref="ILsrRowKernel{T}.ClassIndexForward"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double ClassIndexForward(in RowArgs<float> args, int firstRow, int endRow)
    {
        int k = args.Classes;

        // Only the block loss reads blockArgs, and not its weights (the target weights come per row below), so the 256
        // ones are never indexed past their end.
        var blockArgs = new BlockArgs<float>(args, k, PinnedOnes<float>.Pointer);
        Vector512<float>* sums = stackalloc Vector512<float>[Lanes];
        Vector512<float>* shifted = stackalloc Vector512<float>[Lanes];
        float* max = stackalloc float[Lanes];
        float* targetLogit = stackalloc float[Lanes];
        float* targetWeight = stackalloc float[Lanes];
        int* targets = stackalloc int[Lanes];
        float* weights = args.HasWeight ? (float*)Unsafe.AsPointer(ref args.Weight) : null;
        nint stride = args.LogitRowStride;

        double total = 0;
        Vector512<float> lossLanes = Vector512<float>.Zero;
        int blocks = 0;
        float* logits = (float*)Unsafe.AsPointer(ref args.Logits);

        // The vector ending a row holds its last K % 16 classes in its top lanes.
        Vector512<float> keep = Vector512.GreaterThanOrEqual(Vector512<float>.Indices, Vector512.Create((float)((k & ~(Lanes - 1)) + Lanes - k)));

        // Each row's max is taken while the row before sums its exps: the max's horizontal steps are a long chain, and
        // issued a row ahead they no longer hold up the exps that wait on them.
        Vector512<float> nextMax = firstRow < endRow ? RowMax(logits + (firstRow * stride), k) : default;
        for (int row = firstRow; row < endRow; row += Lanes)
        {
            int rows = Math.Min(Lanes, endRow - row);
            for (int r = 0; r < rows; r++)
            {
                float* x = logits + ((row + r) * stride);
                Vector512<float> m = nextMax;
                if (row + r + 1 < endRow)
                {
                    nextMax = RowMax(x + stride, k);
                }

                int target = Unsafe.Add(ref args.Targets, row + r);
                int slot = Slot(r);
                RowSums(x, weights, k, stride, keep, m, out sums[slot], out shifted[slot]);
                max[r] = m.ToScalar();
                targets[r] = target;
                int column = target == args.IgnoreIndex ? 0 : target;
                targetLogit[r] = x[column];
                targetWeight[r] = weights == null ? 1f : weights[column];
            }

            // Past the last row a block is padded with ignored rows, whose losses are zeroed.
            for (int r = rows; r < Lanes; r++)
            {
                sums[Slot(r)] = Vector512<float>.One;
                shifted[Slot(r)] = Vector512<float>.Zero;
                max[r] = 0;
                targets[r] = args.IgnoreIndex;
                targetLogit[r] = 0;
                targetWeight[r] = 0;
            }

            var h = new ClassIndexBlock<float, Simd512<float>, Vector512<float>>(blockArgs, ref *targets);
            h.SetRows(Vector512.Load(max), TreeSum(sums), TreeSum(shifted));
            h.SetTarget(Vector512.Load(targetLogit), Vector512.Load(targetWeight));
            lossLanes += h.Loss(blockArgs);
            if (++blocks == 64)
            {
                total += Vector512.Sum(lossLanes);
                lossLanes = Vector512<float>.Zero;
                blocks = 0;
            }
        }

        return total + Vector512.Sum(lossLanes);
    }

    // The tree below leaves slot s's sum in lane (s % 4) * 4 + s / 4; rows go to the slot that lands them in their own lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(int row) => ((row & 3) << 2) | (row >> 2);

    // A row's max, in every lane: the row loops' max pass.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> RowMax(float* x, int k) => Vector512.Create(RowPrimitives<float, Simd512<float>, Vector512<float>>.Max(ref *x, k));

    // One row with max m: the lane-wise sums of exp(x - m) and of w (x - m).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowSums(float* x, float* w, int k, nint stride, Vector512<float> keep, Vector512<float> m, out Vector512<float> sums, out Vector512<float> shifted)
    {
        int full = k & ~(Lanes - 1);
        int i = 0;
        Vector512<float> s0 = Vector512<float>.Zero;
        Vector512<float> s1 = Vector512<float>.Zero;
        Vector512<float> d0 = Vector512<float>.Zero;
        Vector512<float> d1 = Vector512<float>.Zero;
        for (; i + (2 * Lanes) <= full; i += 2 * Lanes)
        {
            // Two rows on: the next row is being read by its max already.
            LsrVectorMath.Prefetch(ref *x, (nuint)((2 * stride) + i));
            LsrVectorMath.Prefetch(ref *x, (nuint)((2 * stride) + i + Lanes));
            Vector512<float> e0 = Vector512.Load(x + i) - m;
            Vector512<float> e1 = Vector512.Load(x + i + Lanes) - m;
            s0 += Simd512<float>.Exp(e0);
            s1 += Simd512<float>.Exp(e1);
            d0 = w == null ? d0 + e0 : Vector512.FusedMultiplyAdd(Vector512.Load(w + i), e0, d0);
            d1 = w == null ? d1 + e1 : Vector512.FusedMultiplyAdd(Vector512.Load(w + i + Lanes), e1, d1);
        }

        if (i < full)
        {
            Vector512<float> e0 = Vector512.Load(x + i) - m;
            s0 += Simd512<float>.Exp(e0);
            d0 = w == null ? d0 + e0 : Vector512.FusedMultiplyAdd(Vector512.Load(w + i), e0, d0);
        }

        if (full < k)
        {
            // The last K - full classes, in the top lanes of the vector ending the row; the lanes below repeat classes
            // counted above.
            Vector512<float> e1 = Vector512.Load(x + k - Lanes) - m;
            s1 += Vector512.BitwiseAnd(Simd512<float>.Exp(e1), keep);
            d1 += Vector512.BitwiseAnd(w == null ? e1 : Vector512.Load(w + k - Lanes) * e1, keep);
        }

        sums = s0 + s1;
        shifted = d0 + d1;
    }

    // Lane (s % 4) * 4 + s / 4 of the result is the sum of v[s]'s 16 lanes, added in the same order for every s: halves
    // of 128-bit quarters, then quarters, then pairs within quarters, then neighbours (45 instructions for 16 sums).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TreeSum(Vector512<float>* v)
    {
        Vector512<float> c0 = Quarters(v[0], v[1]);
        Vector512<float> c1 = Quarters(v[2], v[3]);
        Vector512<float> c2 = Quarters(v[4], v[5]);
        Vector512<float> c3 = Quarters(v[6], v[7]);
        Vector512<float> c4 = Quarters(v[8], v[9]);
        Vector512<float> c5 = Quarters(v[10], v[11]);
        Vector512<float> c6 = Quarters(v[12], v[13]);
        Vector512<float> c7 = Quarters(v[14], v[15]);
        Vector512<float> e0 = Halves(c0, c1);
        Vector512<float> e1 = Halves(c2, c3);
        Vector512<float> e2 = Halves(c4, c5);
        Vector512<float> e3 = Halves(c6, c7);
        Vector512<float> g0 = Avx512F.Shuffle(e0, e1, 0x44) + Avx512F.Shuffle(e0, e1, 0xEE);
        Vector512<float> g1 = Avx512F.Shuffle(e2, e3, 0x44) + Avx512F.Shuffle(e2, e3, 0xEE);
        return Avx512F.Shuffle(g0, g1, 0x88) + Avx512F.Shuffle(g0, g1, 0xDD);
    }

    // [a0 + a2, a1 + a3, b0 + b2, b1 + b3] in 128-bit quarters.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Quarters(Vector512<float> a, Vector512<float> b)
        => Avx512F.Shuffle4x128(a, b, 0x44) + Avx512F.Shuffle4x128(a, b, 0xEE);

    // [c0 + c1, c2 + c3, d0 + d1, d2 + d3] in 128-bit quarters.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Halves(Vector512<float> c, Vector512<float> d)
        => Avx512F.Shuffle4x128(c, d, 0x88) + Avx512F.Shuffle4x128(c, d, 0xDD);
}
