using System;
using Xunit;

namespace LsrGen.Tests;

public class ExtremeValueTests
{
    public static TheoryData<int> ClassCounts => new() { 1, 2, 7, 16, 33, 1000 };

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Extreme_rows_match_the_oracle(int classes)
    {
        ExtremeValuesSuite<float>.Run(RuntimeFloatApi.Instance, classes, RandomData.RunSeed + classes);
        ExtremeValuesSuite<double>.Run(RuntimeDoubleApi.Instance, classes, RandomData.RunSeed + classes);
    }

    [Fact]
    public void A_single_row_of_a_million_classes()
    {
        const int classes = 1 << 20;
        Random random = RandomData.For(classes, 3);
        double[] x = TestNumbers.RoundTrip<float>(RandomData.Normal(random, classes, 3));
        int[] target = [random.Next(classes)];
        CorrectnessSuite<float>.Hard(RuntimeFloatApi.Instance, x, classes, target, 0.1, Reduction.Mean, -100, null, $"K=2^20 seed={RandomData.RunSeed}");
        CorrectnessSuite<double>.Hard(RuntimeDoubleApi.Instance, x, classes, target, 0.1, Reduction.Sum, -100, null, $"K=2^20 seed={RandomData.RunSeed}");
        CorrectnessSuite<float>.Probabilities(RuntimeFloatApi.Instance, x, classes, $"K=2^20 seed={RandomData.RunSeed}");
    }

    [Fact]
    public void Empty_batches_give_nan_means_and_zero_sums()
    {
        Assert.True(float.IsNaN(LsrKernels.CrossEntropy(ReadOnlySpan<float>.Empty, 10, ReadOnlySpan<int>.Empty)));
        Assert.Equal(0f, LsrKernels.CrossEntropy(ReadOnlySpan<float>.Empty, 10, ReadOnlySpan<int>.Empty, reduction: Reduction.Sum));
        Assert.True(double.IsNaN(LsrKernels.CrossEntropy(ReadOnlySpan<double>.Empty, 10, ReadOnlySpan<double>.Empty)));
        Assert.True(float.IsNaN(LsrKernels.CrossEntropyWithGradient([1f, 2f], 2, [-100], new float[2])));
    }
}
