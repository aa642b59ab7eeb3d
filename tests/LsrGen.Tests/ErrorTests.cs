using System;
using Xunit;

namespace LsrGen.Tests;

public class ErrorTests
{
    public static TheoryData<int> ClassCounts => new() { 1, 3, 17, 100 };

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Float_errors_follow_the_contract(int classes) => ErrorSuite<float>.All(RuntimeFloatApi.Instance, classes, classesIsParameter: true);

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Double_errors_follow_the_contract(int classes) => ErrorSuite<double>.All(RuntimeDoubleApi.Instance, classes, classesIsParameter: true);

    public static TheoryData<int> OverlapClassCounts => new() { 1, 3, 40 };

    [Theory]
    [MemberData(nameof(OverlapClassCounts))]
    public void Overlapping_outputs_are_rejected(int classes)
    {
        ErrorSuite<float>.Overlaps(RuntimeFloatApi.Instance, classes);
        ErrorSuite<double>.Overlaps(RuntimeDoubleApi.Instance, classes);
    }

    [Fact]
    public void Classes_below_one_is_rejected_everywhere()
    {
        float[] x = [1, 2];
        int[] t = [0];
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => LsrKernels.Softmax(x, 0, new float[2])).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => LsrKernels.GatherTargets(x, 0, t, new float[1])).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => LsrKernels.CrossEntropy(x, 0, t)).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => LsrKernels.CrossEntropy(x, -3, x)).ParamName);
    }

    [Fact]
    public void MaxDegreeOfParallelism_below_one_is_rejected()
    {
        int before = LsrKernels.MaxDegreeOfParallelism;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LsrKernels.MaxDegreeOfParallelism = 0);
        Assert.StartsWith("MaxDegreeOfParallelism must be at least 1 (1 runs every call on the calling thread; the default is the processor count), got 0.", error.Message);
        Assert.Equal(before, LsrKernels.MaxDegreeOfParallelism);
    }

    [Fact]
    public void Rows_of_another_width_say_that_the_class_count_may_not_fit()
    {
        // Four rows of 5 classes given to a loss of 10 classes: 20 values, read as 2 rows of 10.
        float[] logits = new float[20];
        int[] targets = [0, 1, 2, 3];
        var lengths = Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropy(logits, 10, targets));
        Assert.Equal("targets", lengths.ParamName);
        Assert.StartsWith(
            "targets must hold 2 elements (one per row), but its length is 4. The logits' 20 values are 2 rows of K = 10 classes; "
            + "if the rows are not 10 wide, the class count is what does not fit.",
            lengths.Message);
        var loss = new CrossEntropyLoss<float>(10);
        Assert.Equal(lengths.Message, Assert.Throws<ArgumentException>(() => loss.ForwardBackward(logits, targets, new float[20])).Message);
        Assert.Equal(lengths.Message, Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropyWithGradient(logits, 10, targets, new float[20])).Message);
    }

    [Fact]
    public void Overlaps_name_both_spans()
    {
        float[] logits = new float[12];
        var losses = Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropy(logits, 3, [0, 1, 2, 0], logits.AsSpan(4, 4)));
        Assert.Equal("losses", losses.ParamName);
        Assert.StartsWith("losses overlaps logits; give it memory of its own.", losses.Message);
        float[] weight = [1, 1, 1, 1];
        var weights = Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropy(logits, 3, [0, 1, 2, 0], weight, 0f, -100, weight.AsSpan(0, 3)));
        Assert.StartsWith("losses overlaps weight;", weights.Message);
        float[] shared = new float[14];
        var loss = new CrossEntropyLoss<float>(3);
        var backward = Assert.Throws<ArgumentException>(() => loss.Backward(logits, [0, 1, 2, 0], new float[4], shared.AsSpan(0, 4), shared.AsSpan(2, 12)));
        Assert.Equal("gradient", backward.ParamName);
        Assert.StartsWith("gradient overlaps lossGradients;", backward.Message);
    }
}
