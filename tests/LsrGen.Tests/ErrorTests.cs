using System;
using Xunit;

namespace LsrGen.Tests;

public class ErrorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(100)]
    public void Float_errors_follow_the_contract(int classes) => ErrorSuite<float>.All(RuntimeFloatApi.Instance, classes, classesIsParameter: true);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(100)]
    public void Double_errors_follow_the_contract(int classes) => ErrorSuite<double>.All(RuntimeDoubleApi.Instance, classes, classesIsParameter: true);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(40)]
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
        Assert.Throws<ArgumentOutOfRangeException>(() => LsrKernels.MaxDegreeOfParallelism = 0);
        Assert.Equal(before, LsrKernels.MaxDegreeOfParallelism);
    }
}
