using System;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>LsrKernels sends calls with a generated K to the generated kernel, bit for bit.</summary>
public class RoutingTests
{
    [Fact]
    public void Generated_class_counts_are_specialized()
    {
        Assert.True(LsrKernels.IsSpecialized(3));
        Assert.True(LsrKernels.IsSpecialized(10));
        Assert.True(LsrKernels.IsSpecialized(1000));
        Assert.True(LsrKernels.IsSpecialized(17));
        Assert.False(LsrKernels.IsSpecialized(4));
        Assert.Equal("LsrGen.Consumer.Tests.Cifar10", LsrKernelRegistry.GetRoutedTypeName(10));
    }

    public static TheoryData<int, int> Shapes => new() { { 3, 101 }, { 10, 64 }, { 1000, 9 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Routed_calls_are_bit_identical_to_direct_calls(int classes, int rows)
    {
        (float[] x, int[] t) = RandomData.Batch<float>(rows, classes, seed: 5);
        var direct = new GeneratedApi<float>(Declared.For(classes));

        var g1 = new float[x.Length];
        var g2 = new float[x.Length];
        float l1 = direct.CrossEntropyWithGradient(x, classes, t, g1, 0.1f, Reduction.Mean, -100, default);
        float l2 = LsrKernels.CrossEntropyWithGradient(x, classes, t, g2, 0.1f);
        Assert.Equal(BitConverter.SingleToInt32Bits(l1), BitConverter.SingleToInt32Bits(l2));
        Assert.True(g1.AsSpan().SequenceEqual(g2));

        var p1 = new float[x.Length];
        var p2 = new float[x.Length];
        direct.Softmax(x, classes, p1);
        LsrKernels.Softmax(x, classes, p2);
        Assert.True(p1.AsSpan().SequenceEqual(p2));
    }
}
