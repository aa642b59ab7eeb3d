using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// The fused class-index gradient with the row held in registers (rows of up to 16 vectors) against the row loops it
/// replaces there: the same bits for the loss and every gradient element, at every K it serves at this machine's width
/// (CI reruns this at 256 and 128 bits), with and without weights, label smoothing, z-loss and ignored rows, in place too.
/// </summary>
public unsafe class RegisterRowTests
{
    [Fact]
    public void Float_registers_match_row_loops_bit_for_bit() => Compare<float>(seed: Environment.TickCount);

    [Fact]
    public void Double_registers_match_row_loops_bit_for_bit() => Compare<double>(seed: Environment.TickCount + 1);

    private static void Compare<T>(int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector256.IsHardwareAccelerated ? Vector256<T>.Count : Vector128<T>.Count;
        var random = new Random(seed);
        int compared = 0;
        for (int k = 2; k <= (16 * width) + 1; k++)
        {
            if (RoutingTable.Choose(RowOperation.ClassIndexGradient, typeof(T) == typeof(float), k, generatedBlocks: false, Machine.Sets, softcap: false, perRow: false) == Shape.GatheredBlocks)
            {
                continue;
            }

            const int rows = 19;
            T[] logits = new T[rows * k];
            for (int i = 0; i < logits.Length; i++)
            {
                logits[i] = T.CreateTruncating(random.NextDouble() * 16 - 8);
            }

            int[] targets = new int[rows];
            for (int r = 0; r < rows; r++)
            {
                targets[r] = r % 5 == 3 ? -100 : random.Next(k);
            }

            T[] weight = new T[k];
            T weightTotal = T.Zero;
            for (int j = 0; j < k; j++)
            {
                weight[j] = T.CreateTruncating(0.25 + random.NextDouble());
                weightTotal += weight[j];
            }

            foreach ((bool weighted, double eps, double zLoss, bool inPlace) in new[] { (false, 0.1, 0.0, false), (true, 0.0, 1e-3, false), (true, 0.2, 0.0, true) })
            {
                T[] viaRegisters = Run<T>(logits, k, targets, weighted ? weight : null, weightTotal, eps, zLoss, inPlace, rowLoops: false, out double totalRegisters);
                T[] viaRowLoops = Run<T>(logits, k, targets, weighted ? weight : null, weightTotal, eps, zLoss, inPlace, rowLoops: true, out double totalRowLoops);
                string context = $"K={k} weighted={weighted} eps={eps} zLoss={zLoss} inPlace={inPlace} seed={seed}";
                Assert.True(BitConverter.DoubleToInt64Bits(totalRegisters) == BitConverter.DoubleToInt64Bits(totalRowLoops), $"{context}: loss {totalRegisters} vs {totalRowLoops}");
                for (int i = 0; i < viaRegisters.Length; i++)
                {
                    Assert.True(viaRegisters[i].Equals(viaRowLoops[i]) && !T.IsNaN(viaRegisters[i]), $"{context}: gradient[{i / k}, {i % k}] {viaRegisters[i]} vs {viaRowLoops[i]}");
                }

                compared++;
            }
        }

        // Every width serves some K here (e.g. float at 512 bits: 33 to 256).
        Assert.True(compared >= 3 * 8, $"only {compared} comparisons");
    }

    private static T[] Run<T>(T[] logits, int k, int[] targets, T[]? weight, T weightTotal, double eps, double zLoss, bool inPlace, bool rowLoops, out double total)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = (T[])logits.Clone();
        T[] gradient = inPlace ? x : new T[x.Length];
        if (!inPlace)
        {
            Array.Fill(gradient, T.NaN);
        }

        fixed (T* px = x)
        fixed (T* pg = gradient)
        fixed (int* pt = targets)
        fixed (T* pw = weight)
        {
            var args = new RowArgs<T>(
                px, k, pg, pt, null, weight is null ? null : pw, T.CreateTruncating(eps), -100, weight is null ? T.CreateTruncating(k) : weightTotal,
                T.CreateTruncating(1.0 / targets.Length), T.Zero, T.CreateTruncating(zLoss), null, null);
            total = rowLoops
                ? RowKernels<T, RuntimeClassCount>.ClassIndexGradientInRowLoops(args, 0, targets.Length)
                : RowKernels<T, RuntimeClassCount>.ClassIndexGradient(args, 0, targets.Length);
        }

        return gradient;
    }
}
