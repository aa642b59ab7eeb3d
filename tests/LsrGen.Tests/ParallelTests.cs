using System;
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
}

[CollectionDefinition(nameof(ParallelismSettingCollection), DisableParallelization = true)]
public sealed class ParallelismSettingCollection;
