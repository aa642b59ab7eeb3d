using System;
using System.Runtime.Intrinsics;
using LsrGen.Tools;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// The gathered blocks' permute transposes: the template covers the routing table's range, and every K's transposes
/// move each element where the gathers put it.
/// </summary>
public sealed unsafe class ClassTransposesTests
{
    public static TheoryData<int> ClassCounts => [.. System.Linq.Enumerable.Range(2, RoutingTable.TransposedBlockMaximum - 1)];

    [Fact]
    public void The_template_covers_the_routing_tables_range()
    {
        Assert.Equal(2, ClassTransposesTemplate.Minimum);
        Assert.Equal(RoutingTable.TransposedBlockMaximum, ClassTransposesTemplate.Maximum);
        Assert.False(RoutingTable.TransposesBlocks(1));
        Assert.True(RoutingTable.TransposesBlocks(2));
        Assert.True(RoutingTable.TransposesBlocks(RoutingTable.TransposedBlockMaximum));
        Assert.False(RoutingTable.TransposesBlocks(RoutingTable.TransposedBlockMaximum + 1));
    }

    /// <summary>Intel's loss blocks gather from above its own limit; its gradient blocks, and every AMD block, keep the transposes.</summary>
    [Fact]
    public void Intel_loss_blocks_gather_above_their_own_limit()
    {
        int limit = RoutingTable.IntelTransposedLossMaximum;
        Assert.InRange(limit, 2, RoutingTable.TransposedBlockMaximum);
        Assert.True(RoutingTable.TransposesBlocks(limit, loss: true, CpuVendor.Intel));
        Assert.False(RoutingTable.TransposesBlocks(limit + 1, loss: true, CpuVendor.Intel));
        Assert.True(RoutingTable.TransposesBlocks(RoutingTable.TransposedBlockMaximum, loss: false, CpuVendor.Intel));
        Assert.True(RoutingTable.TransposesBlocks(RoutingTable.TransposedBlockMaximum, loss: true, CpuVendor.Amd));
        Assert.True(RoutingTable.TransposesBlocks(RoutingTable.TransposedBlockMaximum, loss: true, CpuVendor.Other));
    }

    /// <summary>CPUID names this machine's maker as /proc/cpuinfo does.</summary>
    [Fact]
    public void The_vendor_is_read_from_cpuid()
    {
        if (!System.IO.File.Exists("/proc/cpuinfo") || !System.Runtime.Intrinsics.X86.X86Base.IsSupported)
        {
            return;
        }

        string info = System.IO.File.ReadAllText("/proc/cpuinfo");
        CpuVendor expected = info.Contains("GenuineIntel", StringComparison.Ordinal) ? CpuVendor.Intel
            : info.Contains("AuthenticAMD", StringComparison.Ordinal) ? CpuVendor.Amd : CpuVendor.Other;
        Assert.Equal(expected, Machine.Vendor);
    }

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Columns_and_rows_move_every_element_and_back(int classes)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return; // the transposes are AVX-512 code, run only where the routing table sends Vector512 blocks
        }

        float[] rows = new float[16 * classes];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = i + 0.5f;
        }

        Vector512<float>* z = stackalloc Vector512<float>[classes];
        float[] back = new float[rows.Length];
        Array.Fill(back, float.NaN);
        fixed (float* x = rows)
        fixed (float* b = back)
        {
            Run(classes, x, z, b);
        }

        for (int j = 0; j < classes; j++)
        {
            for (int r = 0; r < 16; r++)
            {
                Assert.True(z[j][r] == rows[(r * classes) + j], $"K = {classes}: class {j}, row {r} holds {z[j][r]}, not {rows[(r * classes) + j]}");
            }
        }

        Assert.Equal(rows, back);
    }

    // Through the same per-K dispatch the blocks take.
    private static void Run(int classes, float* x, Vector512<float>* z, float* back)
    {
        Probe.X = x;
        Probe.Z = z;
        Probe.Back = back;
        ClassTransposes.Run<Probe, float>(classes, default, 0, 16);
    }


    private readonly struct Probe : ITransposedBlocks<float>
    {
        [ThreadStatic]
        public static float* X;

        [ThreadStatic]
        public static Vector512<float>* Z;

        [ThreadStatic]
        public static float* Back;

        public static double Run<TRead>(in RowArgs<float> args, int firstRow, int endRow)
            where TRead : struct, IClassTranspose
        {
            TRead.Columns(X, Z);
            TRead.Rows(Z, Back);
            return 0;
        }
    }
}
