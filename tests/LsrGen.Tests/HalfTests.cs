using System;
using Xunit;

namespace LsrGen.Tests;

/// <summary>Half logits on the runtime's kernels.</summary>
public class HalfTests
{
    public static TheoryData<int, int> Shapes => new()
    {
        { 1, 9 }, { 3, 37 }, { 10, 40 }, { 17, 33 }, { 32, 50 }, { 100, 20 }, { 225, 17 }, { 1000, 7 }, { 32000, 3 }, { 10, 0 }
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Half_logits_get_the_float_kernels_result_rounded_once(int classes, int rows)
        => HalfSuite.MatchesFloatOnWidenedLogits(classes, rows, seed: 1);

    /// <summary>Past the parallel threshold: chunks are widened on the threads that run them.</summary>
    [Fact]
    public void Half_logits_past_the_parallel_threshold_get_the_float_result()
        => HalfSuite.MatchesFloatOnWidenedLogits(32000, 40, seed: 2);

    public static TheoryData<int, int> AccuracyShapes => new() { { 1, 9 }, { 3, 64 }, { 10, 40 }, { 100, 20 }, { 1000, 5 }, { 50000, 2 } };

    [Theory]
    [MemberData(nameof(AccuracyShapes))]
    public void Half_outputs_are_within_one_ulp_of_the_rounded_oracle(int classes, int rows)
        => HalfSuite.WithinTheOracleBounds(classes, rows, seed: 3);

    [Fact]
    public void Bad_half_calls_throw_before_writing()
    {
        Half[] logits = new Half[12];
        Half[] gradient = HalfSuite.Poisoned(12);
        Assert.Equal("logits", Assert.Throws<ArgumentException>(() => LsrKernels.Softmax(logits, 5, gradient)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => LsrKernels.LogSoftmax(logits, 4, new Half[8])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropyWithGradient(logits, 4, [0, 1, 2], new Half[11])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropyWithGradient(logits.AsSpan(0, 8), 4, [0, 1], logits.AsSpan(4, 8))).ParamName);
        var target = Assert.Throws<ArgumentOutOfRangeException>(() => LsrKernels.CrossEntropyWithGradient(logits, 4, [0, 4, 1], gradient));
        Assert.Contains("row 1", target.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => LsrKernels.CrossEntropyWithGradient(logits, 4, [0, 1, 1], gradient, labelSmoothing: 2));
        Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropyWithGradient(logits, 4, [0, 1, 1], gradient, weight: [1, 1, -1, 1]));
        var loss = new CrossEntropyLoss<float>(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.ForwardBackward(logits, [0, 1, 9], gradient));
        Assert.Throws<ArgumentOutOfRangeException>(() => loss.Backward(logits, [0, 1, 9], new float[3], new float[3], gradient));
        Assert.Equal("losses", Assert.Throws<ArgumentException>(() => loss.Forward(logits, [0, 1, 2], new float[2], new float[3])).ParamName);
        Assert.Throws<ArgumentNullException>(() => CrossEntropyLossHalfExtensions.Forward(null!, logits, [0, 1, 2]));
        Assert.All(gradient, value => Assert.True(Half.IsNaN(value)));
    }

    [Fact]
    public void Half_calls_allocate_nothing_once_warm()
    {
        const int classes = 100, rows = 64;
        Half[] x = new Half[rows * classes], g = new Half[rows * classes];
        float[] losses = new float[rows], lse = new float[rows], upstream = new float[rows];
        int[] targets = new int[rows];
        var loss = new CrossEntropyLoss<float>(classes) { LabelSmoothing = 0.1f };

        void All()
        {
            LsrKernels.LogSoftmax(x, classes, g);
            LsrKernels.CrossEntropy(x, classes, targets, 0.1f);
            LsrKernels.CrossEntropy(x, classes, targets, losses);
            LsrKernels.CrossEntropyWithGradient(x, classes, targets, g);
            loss.Forward(x, targets, losses, lse);
            loss.Backward(x, targets, lse, upstream, g);
            loss.ForwardBackward(x, targets, g);
        }

        Assert.Equal(0, Allocations.Least(All));
    }
}
