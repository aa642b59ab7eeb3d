using System;
using System.Linq;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>CrossEntropyLoss runs the generated kernel of its K: same bits as the generated class, nothing allocated.</summary>
[Collection(nameof(AllocationCollection))]
public sealed class CrossEntropyLossRoutingTests
{
    public static TheoryData<int, int> Shapes => new() { { 3, 37 }, { 10, 64 }, { 1000, 9 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Without_softcap_and_z_loss_results_equal_the_generated_class_bit_for_bit(int classes, int rows)
    {
        Random random = RandomData.For(classes, rows, 77);
        (float[] x, int[] t) = RandomData.Batch<float>(random, rows, classes);
        float[] q = TestNumbers.To<float>(RandomData.Probabilities(random, rows, classes));
        float[] w = TestNumbers.To<float>(RandomData.Weights(random, classes));
        var direct = new GeneratedApi<float>(Declared.For(classes));
        var loss = new CrossEntropyLoss<float>(classes) { LabelSmoothing = 0.1f, Weight = w };
        Assert.True(loss.IsSpecialized);

        Assert.Equal(direct.CrossEntropy(x, classes, t, 0.1f, Reduction.Mean, -100, w), loss.Forward(x, t));
        Assert.Equal(direct.CrossEntropy(x, classes, q, 0.1f, Reduction.Mean, w), loss.Forward(x, q));
        float[] expected = new float[x.Length];
        float[] actual = new float[x.Length];
        Assert.Equal(direct.CrossEntropyWithGradient(x, classes, t, expected, 0.1f, Reduction.Mean, -100, w), loss.ForwardBackward(x, t, actual));
        Assert.True(expected.AsSpan().SequenceEqual(actual));
        Assert.Equal(direct.CrossEntropyWithGradient(x, classes, q, expected, 0.1f, Reduction.Mean, w), loss.ForwardBackward(x, q, actual));
        Assert.True(expected.AsSpan().SequenceEqual(actual));
        float[] perRow = new float[rows];
        float[] losses = new float[rows];
        direct.CrossEntropy(x, classes, t, perRow, 0.1f, -100, w);
        loss.Forward(x, t, losses, new float[rows]);
        Assert.True(perRow.AsSpan().SequenceEqual(losses));
    }

    [Fact]
    public void Routed_calls_with_every_option_allocate_nothing()
    {
        const int classes = 10;
        const int rows = 70;
        Random random = RandomData.For(10, 70, 78);
        (float[] x, int[] t) = RandomData.Batch<float>(random, rows, classes);
        float[] q = TestNumbers.To<float>(RandomData.Probabilities(random, rows, classes));
        float[] g = new float[x.Length];
        float[] losses = new float[rows];
        float[] lse = new float[rows];
        float[] upstream = Enumerable.Repeat(0.5f, rows).ToArray();
        var loss = new CrossEntropyLoss<float>(classes) { LabelSmoothing = 0.1f, Softcap = 20, ZLossScale = 1e-4f, Weight = TestNumbers.To<float>(RandomData.Weights(random, classes)) };
        void All()
        {
            loss.Forward(x, t);
            loss.Forward(x, t, losses, lse);
            loss.ForwardBackward(x, t, g);
            loss.Backward(x, t, lse, upstream, g);
            loss.Forward(x, q, losses, lse);
            loss.ForwardBackward(x, q, g);
            loss.Backward(x, q, lse, upstream, g);
        }

        long least = long.MaxValue;
        for (int attempt = 0; attempt < 10 && least > 0; attempt++)
        {
            for (int i = 0; i < 20; i++)
            {
                All();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            All();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
    }
}
