using System;
using System.Diagnostics;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>
/// No call allocates: the 0 B the benchmarks report, checked on every build for every operation, both element
/// types, routed, generic and generated, and for work large enough to be split over threads (after a calling
/// thread's first such call, which creates the state it reuses). Bytes are counted on the calling thread, after a
/// warm-up, in a collection that runs alone: under other tests' load the thread pool itself may grow its queue or add
/// a thread on the thread that queues work (1,280 B seen), the pool's one-off cost, not a call's.
/// </summary>
[Collection(nameof(AllocationCollection))]
public class AllocationTests
{
    // 40 rows: two 16-row blocks and 8 leftover rows (a padded block); N * K stays below the parallel threshold here.
    private const int Rows = 40;

    public static TheoryData<int> ClassCounts => new()
    {
        3, // routed to Seed3 (block shape)
        4, // generic
        17, // routed to a nested generated class
        1000, // routed to ImageNet (the runtime's row loops)
        1001, // generic, large
    };

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void LsrKernels_calls_allocate_nothing(int classes)
    {
        Random random = RandomData.For(classes, Rows, 11);
        float[] x = TestNumbers.To<float>(RandomData.Normal(random, Rows * classes, 3));
        double[] xd = RandomData.Normal(random, Rows * classes, 3);
        int[] t = RandomData.Targets(random, Rows, classes, withIgnored: true, -100);
        float[] q = TestNumbers.To<float>(RandomData.Probabilities(random, Rows, classes));
        double[] qd = RandomData.Probabilities(random, Rows, classes);
        float[] w = TestNumbers.To<float>(RandomData.Weights(random, classes));
        double[] wd = RandomData.Weights(random, classes);
        var o = new float[x.Length];
        var od = new double[x.Length];
        var l = new float[Rows];
        var ld = new double[Rows];

        AssertAllocatesNothing(
            $"float, K = {classes}",
            () => LsrKernels.LogSoftmax(x, classes, o),
            () => LsrKernels.Softmax(x, classes, o),
            () => LsrKernels.GatherTargets(x, classes, t, l),
            () => LsrKernels.CrossEntropy(x, classes, t, 0.1f),
            () => LsrKernels.CrossEntropy(x, classes, t, 0.1f, Reduction.Sum, -100, w),
            () => LsrKernels.CrossEntropy(x, classes, t, l, 0.1f, -100, w),
            () => LsrKernels.CrossEntropyWithGradient(x, classes, t, o, 0.1f, Reduction.Mean, -100, w),
            () => LsrKernels.CrossEntropy(x, classes, q, 0.1f),
            () => LsrKernels.CrossEntropy(x, classes, q, l, 0.1f, w),
            () => LsrKernels.CrossEntropyWithGradient(x, classes, q, o, 0.1f, Reduction.Sum, w));

        AssertAllocatesNothing(
            $"double, K = {classes}",
            () => LsrKernels.LogSoftmax(xd, classes, od),
            () => LsrKernels.Softmax(xd, classes, od),
            () => LsrKernels.GatherTargets(xd, classes, t, ld),
            () => LsrKernels.CrossEntropy(xd, classes, t, 0.1),
            () => LsrKernels.CrossEntropy(xd, classes, t, ld, 0.1, -100, wd),
            () => LsrKernels.CrossEntropyWithGradient(xd, classes, t, od, 0.1, Reduction.Mean, -100, wd),
            () => LsrKernels.CrossEntropy(xd, classes, qd, 0.1),
            () => LsrKernels.CrossEntropyWithGradient(xd, classes, qd, od, 0.1, Reduction.Mean, wd));
    }

    [Fact]
    public void Generated_class_calls_allocate_nothing()
    {
        Random random = RandomData.For(1000, Rows, 12);
        float[] x = TestNumbers.To<float>(RandomData.Normal(random, Rows * 1000, 3));
        int[] t = RandomData.Targets(random, Rows, 1000, withIgnored: true, -100);
        float[] q = TestNumbers.To<float>(RandomData.Probabilities(random, Rows, 1000));
        var o = new float[x.Length];
        var l = new float[Rows];
        int[] t3 = RandomData.Targets(random, Rows, 3, withIgnored: true, -100);
        double[] x3 = RandomData.Normal(random, Rows * 3, 3);
        var o3 = new double[x3.Length];

        AssertAllocatesNothing(
            "generated classes",
            () => ImageNet.LogSoftmax(x, o),
            () => ImageNet.Softmax(x, o),
            () => ImageNet.GatherTargets(x, t, l),
            () => ImageNet.CrossEntropy(x, t, 0.1f),
            () => ImageNet.CrossEntropy(x, t, l, 0.1f),
            () => ImageNet.CrossEntropyWithGradient(x, t, o, 0.1f),
            () => ImageNet.CrossEntropy(x, q, 0.1f),
            () => ImageNet.CrossEntropyWithGradient(x, q, o, 0.1f),
            () => Seed3.CrossEntropy(x3, t3, 0.1),
            () => Seed3.CrossEntropyWithGradient(x3, t3, o3, 0.1),
            () => Seed3.Softmax(x3, o3));
    }

    [Fact]
    public void Calls_split_over_threads_allocate_nothing()
    {
        const int rows = 1100; // N * K = 1.1M, above the parallel threshold
        Random random = RandomData.For(1000, rows, 13);
        float[] x = TestNumbers.To<float>(RandomData.Normal(random, rows * 1000, 3));
        double[] xd = RandomData.Normal(random, rows * 1000, 3);
        int[] t = RandomData.Targets(random, rows, 1000, withIgnored: true, -100);
        float[] q = TestNumbers.To<float>(RandomData.Probabilities(random, rows, 1000));
        var o = new float[x.Length];
        var od = new double[x.Length];
        int before = LsrKernels.MaxDegreeOfParallelism;
        try
        {
            LsrKernels.MaxDegreeOfParallelism = 2;
            // K = 1000 routes to ImageNet; the same memory seen as 1000 rows of 1100 classes runs the generic kernel.
            AssertAllocatesNothing(
                "parallel calls",
                () => LsrKernels.LogSoftmax(x, 1000, o),
                () => LsrKernels.CrossEntropy(x, 1000, t, 0.1f),
                () => LsrKernels.CrossEntropyWithGradient(x, 1000, t, o, 0.1f),
                () => LsrKernels.CrossEntropyWithGradient(x, 1000, q, o, 0.1f),
                () => LsrKernels.CrossEntropyWithGradient(xd, 1000, t, od, 0.1),
                () => ImageNet.CrossEntropy(x, t, 0.1f),
                () => LsrKernels.CrossEntropy(x, 1100, t.AsSpan(0, 1000), 0.1f),
                () => LsrKernels.CrossEntropyWithGradient(x, 1100, t.AsSpan(0, 1000), o, 0.1f));
        }
        finally
        {
            LsrKernels.MaxDegreeOfParallelism = before;
        }
    }

    private static void AssertAllocatesNothing(string what, params Action[] calls)
    {
        // First calls run class constructors and registration, which may allocate once; and tiered compilation, when it
        // promotes a hot method, may allocate on the calling thread (about 3.7 KB seen, gone with
        // DOTNET_TieredCompilation=0). Warm up past both before counting.
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < 60 || warmUp.ElapsedMilliseconds < 500; i++)
        {
            foreach (Action call in calls)
            {
                call();
            }
        }

        // Every thread's allocations count, workers included, so the process's own background work shows too: the
        // thread pool starting a worker (136 B seen once), and, in the slow runs with AVX2 off, the test host's threads
        // (multiples of 168 B every few hundred milliseconds, also while no LsrGen code runs). Those come and go; an
        // allocation by a call shows every time it runs. So each call is measured alone, up to ten times, and one clean
        // run passes it.
        for (int index = 0; index < calls.Length; index++)
        {
            var runs = new long[10];
            for (int run = 0; run < runs.Length; run++)
            {
                long before = GC.GetTotalAllocatedBytes(precise: true);
                calls[index]();
                runs[run] = GC.GetTotalAllocatedBytes(precise: true) - before;
                if (runs[run] == 0)
                {
                    break;
                }

                if (run == runs.Length - 1)
                {
                    Assert.Fail($"{what}, call {index}: bytes allocated in each of {runs.Length} runs: {string.Join(", ", runs)}");
                }
            }
        }
    }
}

[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;
