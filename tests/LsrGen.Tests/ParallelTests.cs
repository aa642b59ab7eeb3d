using System;
using System.Linq;
using System.Threading;
using Xunit;

namespace LsrGen.Tests;

/// <summary>Large work may run on several threads; results must not depend on how many.</summary>
[Collection(nameof(ParallelismSettingCollection))]
public class ParallelTests
{
    public static TheoryData<int, int> Shapes => new() { { 3, 400_000 }, { 1000, 1100 }, { 32000, 40 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Results_are_bit_identical_whatever_the_thread_count(int classes, int rows)
    {
        (float[] x, int[] t) = RandomData.Batch<float>(rows, classes, seed: 77);
        int before = LsrKernels.MaxDegreeOfParallelism;
        try
        {
            LsrKernels.MaxDegreeOfParallelism = 1;
            var one = Outputs.Compute(x, t, classes, rows);
            foreach (int threads in new[] { 2, 3, 8 })
            {
                LsrKernels.MaxDegreeOfParallelism = threads;
                Outputs.AssertSame(one, Outputs.Compute(x, t, classes, rows), $"with {threads} threads");
            }

            double expected = Oracle.Hard(TestNumbers.ToDouble<float>(x), classes, t, (double)0.1f, Reduction.Mean, -100, null).Loss;
            Tolerance.Close(expected, one.Loss, isFloat: true, Quantity.Other, "parallel loss");
        }
        finally
        {
            LsrKernels.MaxDegreeOfParallelism = before;
        }
    }

    [Fact]
    public void Large_calls_use_worker_threads()
    {
        // The host sometimes holds the second vCPU for a while (a CI run once saw 200 calls, 350 ms, without it), and then
        // the caller rightly takes every chunk: any call within 10 s will do.
        const int classes = 1000;
        const int rows = 2100;
        Random random = RandomData.For(classes, rows, 79);
        (float[] x, int[] t) = RandomData.Batch<float>(random, rows, classes, withIgnored: false);
        var g = new float[x.Length];
        int before = LsrKernels.MaxDegreeOfParallelism;
        try
        {
            LsrKernels.MaxDegreeOfParallelism = 2;
            long start = Interlocked.Read(ref LsrGen.Scheduling.ParallelRunCounters.WorkerChunks);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int calls = 0;
            while (clock.Elapsed.TotalSeconds < 10 && Interlocked.Read(ref LsrGen.Scheduling.ParallelRunCounters.WorkerChunks) == start)
            {
                LsrKernels.CrossEntropyWithGradient(x, classes, t, g, 0.1f);
                calls++;
            }

            Assert.True(
                Interlocked.Read(ref LsrGen.Scheduling.ParallelRunCounters.WorkerChunks) > start,
                $"{calls} calls of 2.1M elements with 2 threads in 10 s: no chunk ran on a worker thread.");

            LsrKernels.MaxDegreeOfParallelism = 1;
            start = Interlocked.Read(ref LsrGen.Scheduling.ParallelRunCounters.WorkerChunks);
            LsrKernels.CrossEntropyWithGradient(x, classes, t, g, 0.1f);
            Assert.Equal(start, Interlocked.Read(ref LsrGen.Scheduling.ParallelRunCounters.WorkerChunks));
        }
        finally
        {
            LsrKernels.MaxDegreeOfParallelism = before;
        }
    }

    [Fact]
    public void Concurrent_parallel_calls_are_bit_identical_to_serial_runs()
    {
        // Every caller thread reuses its own parallel-run state, and workers queued by one call may start during that
        // thread's next call: calls of different sizes back to back on 4 threads, 3 threads each, exercise both.
        const int classes = 1000;
        int[] sizes = [1100, 1500, 2100];
        Random random = RandomData.For(classes, 2100, 78);
        float[] x = TestNumbers.To<float>(RandomData.Normal(random, 2100 * classes, 3));
        int[] t = RandomData.Targets(random, 2100, classes, withIgnored: true, -100);
        int before = LsrKernels.MaxDegreeOfParallelism;
        try
        {
            LsrKernels.MaxDegreeOfParallelism = 1;
            var serial = sizes.Select(rows => Outputs.Compute(x, t, classes, rows)).ToArray();
            LsrKernels.MaxDegreeOfParallelism = 3;
            Exception? failure = OnThreads.Run(4, id =>
            {
                for (int call = 0; call < 12; call++)
                {
                    int which = (call + id) % sizes.Length;
                    Outputs.AssertSame(
                        serial[which], Outputs.Compute(x, t, classes, sizes[which]), $"caller {id} call {call} ({sizes[which]} rows)");
                }
            });

            Assert.Null(failure);
        }
        finally
        {
            LsrKernels.MaxDegreeOfParallelism = before;
        }
    }

    /// <summary>The fused loss, its gradient and the log-probabilities of the first <c>rows</c> rows.</summary>
    private sealed record Outputs(float Loss, float[] Gradient, float[] Logp)
    {
        public static Outputs Compute(float[] x, int[] t, int classes, int rows)
        {
            ReadOnlySpan<float> logits = x.AsSpan(0, rows * classes);
            var g = new float[logits.Length];
            float loss = LsrKernels.CrossEntropyWithGradient(logits, classes, t.AsSpan(0, rows), g, 0.1f);
            var logp = new float[logits.Length];
            LsrKernels.LogSoftmax(logits, classes, logp);
            return new Outputs(loss, g, logp);
        }

        public static void AssertSame(Outputs want, Outputs got, string what)
        {
            Assert.True(BitConverter.SingleToInt32Bits(want.Loss) == BitConverter.SingleToInt32Bits(got.Loss), $"loss differs {what}: {got.Loss:R} vs {want.Loss:R}");
            Assert.True(want.Gradient.AsSpan().SequenceEqual(got.Gradient), $"gradient differs {what}");
            Assert.True(want.Logp.AsSpan().SequenceEqual(got.Logp), $"log-probs differ {what}");
        }
    }
}
