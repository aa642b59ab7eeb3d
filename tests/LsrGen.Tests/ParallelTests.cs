using System;
using System.Linq;
using Xunit;

namespace LsrGen.Tests;

/// <summary>Large work may run on several threads; results must not depend on how many.</summary>
[Collection(nameof(ParallelismSettingCollection))]
public class ParallelTests
{
    [Theory]
    [InlineData(3, 400_000)]
    [InlineData(1000, 1100)]
    [InlineData(32000, 40)]
    public void Results_are_bit_identical_whatever_the_thread_count(int classes, int rows)
    {
        Random random = RandomData.For(classes, rows, 77);
        float[] x = TestNumbers.To<float>(RandomData.Normal(random, rows * classes, 3));
        int[] t = RandomData.Targets(random, rows, classes, withIgnored: true, -100);
        int before = LsrKernels.MaxDegreeOfParallelism;
        try
        {
            (float Loss, float[] Gradient, float[] Logp) Run(int threads)
            {
                LsrKernels.MaxDegreeOfParallelism = threads;
                var g = new float[x.Length];
                float loss = LsrKernels.CrossEntropyWithGradient(x, classes, t, g, 0.1f);
                var logp = new float[x.Length];
                LsrKernels.LogSoftmax(x, classes, logp);
                return (loss, g, logp);
            }

            var one = Run(1);
            foreach (int threads in new[] { 2, 3, 8 })
            {
                var many = Run(threads);
                Assert.Equal(BitConverter.SingleToInt32Bits(one.Loss), BitConverter.SingleToInt32Bits(many.Loss));
                Assert.True(one.Gradient.AsSpan().SequenceEqual(many.Gradient), $"gradient differs with {threads} threads");
                Assert.True(one.Logp.AsSpan().SequenceEqual(many.Logp), $"log-probs differ with {threads} threads");
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
            (float Loss, float[] Gradient, float[] Logp) Run(int rows)
            {
                var g = new float[rows * classes];
                float loss = LsrKernels.CrossEntropyWithGradient(x.AsSpan(0, rows * classes), classes, t.AsSpan(0, rows), g, 0.1f);
                var logp = new float[rows * classes];
                LsrKernels.LogSoftmax(x.AsSpan(0, rows * classes), classes, logp);
                return (loss, g, logp);
            }

            LsrKernels.MaxDegreeOfParallelism = 1;
            var serial = sizes.Select(Run).ToArray();
            LsrKernels.MaxDegreeOfParallelism = 3;
            Exception? failure = OnThreads.Run(4, id =>
            {
                for (int call = 0; call < 12; call++)
                {
                    int which = (call + id) % sizes.Length;
                    var got = Run(sizes[which]);
                    var want = serial[which];
                    if (BitConverter.SingleToInt32Bits(got.Loss) != BitConverter.SingleToInt32Bits(want.Loss)
                        || !got.Gradient.AsSpan().SequenceEqual(want.Gradient)
                        || !got.Logp.AsSpan().SequenceEqual(want.Logp))
                    {
                        throw new InvalidOperationException($"caller {id} call {call} ({sizes[which]} rows) differs from the serial run");
                    }
                }
            });

            Assert.Null(failure);
        }
        finally
        {
            LsrKernels.MaxDegreeOfParallelism = before;
        }
    }
}

[CollectionDefinition(nameof(ParallelismSettingCollection), DisableParallelization = true)]
public sealed class ParallelismSettingCollection;
