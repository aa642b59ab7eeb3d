using System;
using System.Runtime.InteropServices;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// Kernels read nothing past the spans they are given: the targets end right before a page that may not be read, so a
/// block that loaded a few targets too many (as gathered double blocks once did) crashes the test run.
/// </summary>
public sealed unsafe class GuardPageTests
{
    private const int ProtNone = 0;
    private const int ProtReadWrite = 3;
    private const int MapPrivateAnonymous = 0x22;

    public static TheoryData<int, int> Shapes => new() { { 3, 8 }, { 3, 16 }, { 10, 4 }, { 10, 24 }, { 50, 8 }, { 100, 16 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Targets_ending_at_an_unreadable_page_are_not_read_past(int classes, int rows)
    {
        Assert.True(OperatingSystem.IsLinux(), "this test maps pages with mmap; CI runs on Linux");
        nuint page = (nuint)Environment.SystemPageSize;
        nint region = Mmap(0, 2 * page, ProtReadWrite, MapPrivateAnonymous, -1, 0);
        Assert.NotEqual(-1, region);
        try
        {
            Assert.Equal(0, Mprotect(region + (nint)page, page, ProtNone));
            var random = new Random(classes * 1000 + rows);
            int[] copy = RandomData.Targets(random, rows, classes, withIgnored: true, -100);
            var targets = new Span<int>((int*)(region + (nint)page) - rows, rows);
            copy.CopyTo(targets);
            double[] xd = RandomData.Normal(random, rows * classes, 3);
            float[] xf = TestNumbers.To<float>(xd);

            Assert.Equal(LsrKernels.CrossEntropy(xf, classes, copy, 0.1f), LsrKernels.CrossEntropy(xf, classes, targets, 0.1f));
            Assert.Equal(LsrKernels.CrossEntropy(xd, classes, copy, 0.1), LsrKernels.CrossEntropy(xd, classes, targets, 0.1));
            var gf = new float[xf.Length];
            var gd = new double[xd.Length];
            Assert.Equal(
                LsrKernels.CrossEntropyWithGradient(xf, classes, copy, gf, 0.1f),
                LsrKernels.CrossEntropyWithGradient(xf, classes, targets, gf, 0.1f));
            Assert.Equal(
                LsrKernels.CrossEntropyWithGradient(xd, classes, copy, gd, 0.1),
                LsrKernels.CrossEntropyWithGradient(xd, classes, targets, gd, 0.1));
            var losses = new double[rows];
            var expected = new double[rows];
            LsrKernels.CrossEntropy(xd, classes, copy, expected, 0.1);
            LsrKernels.CrossEntropy(xd, classes, targets, losses, 0.1);
            Assert.Equal(expected, losses);
        }
        finally
        {
            _ = Munmap(region, 2 * page);
        }
    }

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static extern int Mprotect(nint address, nuint length, int protection);

    [DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static extern int Munmap(nint address, nuint length);
}
