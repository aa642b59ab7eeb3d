using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// The reduced float loss in lane rows (<see cref="LaneRowKernels"/>: K = 48..2048 with AVX-512): against the float64 oracle
/// and the double path on fresh random rows, with every option the path serves, at its K bounds, with and without a
/// partial last vector, in whole and partial blocks of 16 rows, on padded rows and on extreme values; and a row's loss
/// has the same bits wherever it sits in the batch.
/// </summary>
public class LaneRowTests
{
    private static readonly int[] s_classes = [48, 49, 50, 63, 64, 100, 255, 256, 257, 1000, 2047, 2048];

    [Fact]
    public void This_machine_runs_lane_rows_where_it_has_AVX512()
    {
        bool avx512 = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
        foreach (int k in s_classes)
        {
            Assert.Equal(avx512, RunsLaneRows(k));
        }

        Assert.False(RunsLaneRows(RoutingTable.LaneRowsMinimum - 1));
        Assert.False(RunsLaneRows(RoutingTable.LaneRowsMaximum + 1));
    }

    [Fact]
    public void Reduced_loss_matches_the_oracle()
    {
        foreach (int k in s_classes)
        {
            foreach (int rows in new[] { 1, 15, 16, 17, 40 })
            {
                Random random = RandomData.For(k, rows, 17);
                double[] x = RandomData.Normal(random, rows * k, 3);
                int[] targets = RandomData.Targets(random, rows, k, withIgnored: true, -100);
                double[] weight = RandomData.Weights(random, k);
                foreach ((bool weighted, double eps, Reduction reduction) in new[] { (false, 0.1, Reduction.Mean), (true, 0.0, Reduction.Sum), (true, 0.2, Reduction.Mean), (false, 0.0, Reduction.Sum) })
                {
                    double expected = Oracle.Hard(x, k, targets, eps, reduction, -100, weighted ? weight : null).Loss;
                    float got = LsrKernels.CrossEntropy(TestNumbers.To<float>(x), k, targets, (float)eps, reduction, -100, weighted ? TestNumbers.To<float>(weight) : default);
                    Tolerance.Close(expected, got, isFloat: true, Quantity.Other, $"K={k} rows={rows} weighted={weighted} eps={eps} {reduction} seed={RandomData.RunSeed}");
                }
            }
        }
    }

    [Fact]
    public void Z_loss_matches_the_double_path()
    {
        foreach (int k in new[] { 48, 100, 257 })
        {
            const int rows = 37;
            Random random = RandomData.For(k, 19);
            double[] x = RandomData.Normal(random, rows * k, 3);
            int[] targets = RandomData.Targets(random, rows, k, withIgnored: true, -100);
            double[] weight = RandomData.Weights(random, k);
            var single = new CrossEntropyLoss<float>(k) { LabelSmoothing = 0.1f, ZLossScale = 1e-3f, Weight = TestNumbers.To<float>(weight) };
            var reference = new CrossEntropyLoss<double>(k) { LabelSmoothing = 0.1, ZLossScale = 1e-3, Weight = weight };
            Tolerance.Close(reference.Forward(x, targets), single.Forward(TestNumbers.To<float>(x), targets), isFloat: true, Quantity.Other, $"K={k} seed={RandomData.RunSeed}");
        }
    }

    [Fact]
    public void Padded_rows_match_the_oracle()
    {
        const int k = 100;
        const int stride = 117;
        const int rows = 21;
        Random random = RandomData.For(23);
        double[] x = RandomData.Normal(random, rows * k, 3);
        int[] targets = RandomData.Targets(random, rows, k, withIgnored: true, -100);
        float[] padded = new float[(rows - 1) * stride + k];
        Array.Fill(padded, float.NaN);
        for (int r = 0; r < rows; r++)
        {
            TestNumbers.To<float>(x).AsSpan(r * k, k).CopyTo(padded.AsSpan(r * stride));
        }

        var logits = new ReadOnlyTensorSpan<float>(padded, [rows, k], [stride, 1]);
        double expected = Oracle.Hard(x, k, targets, 0.1, Reduction.Mean, -100, null).Loss;
        Tolerance.Close(expected, LsrKernels.CrossEntropy(logits, targets, 0.1f), isFloat: true, Quantity.Other, $"seed={RandomData.RunSeed}");
    }

    [Fact]
    public void Extreme_rows_match_the_double_path()
    {
        foreach (int k in new[] { 50, 64, 300 })
        {
            Random random = RandomData.For(k, 29);
            int[] targets = [1, 0, 2, 3, 4, 5, 6, 7];
            double[][] rows =
            [
                Fill(random, k, j => j % 3 == 0 ? double.NegativeInfinity : null),
                Fill(random, k, j => j == k - 1 ? null : double.NegativeInfinity),
                Fill(random, k, _ => double.NegativeInfinity),
                Fill(random, k, j => j == 5 ? double.PositiveInfinity : null),
                Fill(random, k, j => j == k - 2 ? double.NaN : null),
                Fill(random, k, j => (j % 2 == 0 ? 3e4 : -3e4) + j),
                Fill(random, k, j => j == 7 ? 80.0 : -80.0),
                Fill(random, k, _ => 1e-30),
            ];
            double[] x = new double[rows.Length * k];
            for (int r = 0; r < rows.Length; r++)
            {
                rows[r].CopyTo(x, r * k);
            }

            foreach (double eps in new[] { 0.0, 0.1 })
            {
                for (int r = 0; r < rows.Length; r++)
                {
                    // One row at a time, so that a NaN or infinite row does not hide another row's error.
                    double expected = LsrKernels.CrossEntropy(rows[r], k, targets.AsSpan(r, 1), eps, Reduction.Sum);
                    float got = LsrKernels.CrossEntropy(TestNumbers.To<float>(rows[r]), k, targets.AsSpan(r, 1), (float)eps, Reduction.Sum);
                    Tolerance.Close(expected, got, isFloat: true, Quantity.Other, $"K={k} row {r} eps={eps} seed={RandomData.RunSeed}");
                }

                double all = LsrKernels.CrossEntropy(x, k, targets, eps, Reduction.Sum);
                float allFloat = LsrKernels.CrossEntropy(TestNumbers.To<float>(x), k, targets, (float)eps, Reduction.Sum);
                Tolerance.Close(all, allFloat, isFloat: true, Quantity.Other, $"K={k} all rows eps={eps}");
            }
        }
    }

    [Fact]
    public void A_rows_loss_has_the_same_bits_at_every_position()
    {
        // The other rows are ignored, so the summed loss is the probe's loss alone, added to zeros (exact).
        foreach (int k in new[] { 48, 50, 100, 257 })
        {
            Random random = RandomData.For(k, 31);
            float[] probe = TestNumbers.To<float>(RandomData.Normal(random, k, 3));
            int target = random.Next(k);
            var loss = new CrossEntropyLoss<float>(k)
            {
                LabelSmoothing = 0.1f,
                ZLossScale = 1e-4f,
                Weight = TestNumbers.To<float>(RandomData.Weights(random, k)),
                Reduction = Reduction.Sum,
            };
            float alone = loss.Forward(probe, [target]);
            for (int rows = 1; rows <= 40; rows++)
            {
                for (int position = 0; position < rows; position++)
                {
                    float[] x = TestNumbers.To<float>(RandomData.Normal(random, rows * k, 3));
                    int[] targets = new int[rows];
                    Array.Fill(targets, -100);
                    probe.CopyTo(x, position * k);
                    targets[position] = target;
                    float got = loss.Forward(x, targets);
                    Assert.True(
                        BitConverter.SingleToInt32Bits(alone) == BitConverter.SingleToInt32Bits(got),
                        $"K={k}: the row at {position} of {rows} got {got:R}, alone {alone:R} (seed={RandomData.RunSeed})");
                }
            }
        }
    }

    // A random row with some entries replaced.
    private static double[] Fill(Random random, int k, Func<int, double?> entry)
    {
        double[] row = RandomData.Normal(random, k, 3);
        for (int j = 0; j < k; j++)
        {
            row[j] = entry(j) ?? row[j];
        }

        return row;
    }

    // The reduced float loss, no soft-cap, as a call without a declaration routes it.
    private static bool RunsLaneRows(int k)
        => RoutingTable.Choose(RowOperation.ClassIndexForward, isFloat: true, k, generatedBlocks: false, Machine.Sets, softcap: false, perRow: false) == Shape.LaneRows;
}
