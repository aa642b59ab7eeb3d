using System;
using System.Linq;
using System.Numerics.Tensors;
using Xunit;

namespace LsrGen.Tests;

/// <summary>LogSoftmaxBackward, SoftmaxBackward and ArgMax on the runtime's kernels: golden cases, random rows, errors.</summary>
public class OutputsTests
{
    public static TheoryData<string> GoldenIds => [.. OutputsFile.Ids];

    // Every lane count's edges (1, 2, 4, 8, 16 floats) and their neighbours, and large rows that sum in blocks.
    public static TheoryData<int> ClassCounts => [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 1000, 1025, 5000];

    /// <summary>Each golden softmax-backward and argmax case, float and double.</summary>
    [Theory]
    [MemberData(nameof(GoldenIds))]
    public void Golden_cases_match(string id) => OutputsGoldenSuite.Check(id, RuntimeFloatApi.Instance, RuntimeDoubleApi.Instance);

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Random_rows_match_the_oracle(int classes)
    {
        int rows = classes >= 1000 ? 5 : 37;
        Random random = RandomData.For(classes, rows, 91);
        double[] x = TestNumbers.RoundTrip<float>(RandomData.Normal(random, rows * classes, 4));
        string context = $"K={classes} N={rows} seed={RandomData.RunSeed}";
        OutputsSuite<float>.Backwards(RuntimeFloatApi.Instance, x, classes, random, context);
        OutputsSuite<double>.Backwards(RuntimeDoubleApi.Instance, x, classes, random, context);
        OutputsSuite<float>.ArgMaxSpecials(RuntimeFloatApi.Instance, classes, 70, random, context);
        OutputsSuite<double>.ArgMaxSpecials(RuntimeDoubleApi.Instance, classes, 70, random, context);
    }

    [Fact]
    public void Backwards_of_special_outputs_follow_IEEE()
    {
        // A -Inf log-probability has probability 0: its input gradient is its output gradient (log) or 0 (softmax).
        float[] y = [float.NegativeInfinity, 0, float.NaN, -1, -2, -3];
        float[] gy = [1, 2, 3, 4, 5, 6];
        float[] gx = new float[6];
        LsrKernels.LogSoftmaxBackward(y, gy, 3, gx);
        Assert.Equal(1f, gx[0]);
        Assert.Equal(2f - 6f, gx[1]); // the row's sum of gy is 6; exp(0) = 1
        Assert.True(float.IsNaN(gx[2]));
        Assert.Equal(4 - (MathF.Exp(-1) * 15), gx[3], 5e-6f);

        float[] p = [0, 1, 0];
        float[] gp = [float.PositiveInfinity, 2, 3];
        float[] gpx = new float[3];
        LsrKernels.SoftmaxBackward(p, gp, 3, gpx);
        Assert.All(gpx, v => Assert.True(float.IsNaN(v))); // 0 * Inf in the row's dot product: NaN, as torch gives
    }

    [Fact]
    public void Empty_batches_write_nothing()
    {
        LsrKernels.LogSoftmaxBackward(ReadOnlySpan<float>.Empty, ReadOnlySpan<float>.Empty, 10, Span<float>.Empty);
        LsrKernels.SoftmaxBackward(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty, 10, Span<double>.Empty);
        LsrKernels.ArgMax(ReadOnlySpan<float>.Empty, 10, Span<int>.Empty);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(100)]
    public void Errors_follow_the_contract(int classes)
    {
        OutputsSuite<float>.Errors(RuntimeFloatApi.Instance, classes, classesIsParameter: true);
        OutputsSuite<double>.Errors(RuntimeDoubleApi.Instance, classes, classesIsParameter: true);
    }

    [Fact]
    public void Tensor_shapes_and_overlaps_are_rejected_naming_the_argument()
    {
        float[] y = new float[12];
        float[] gy = new float[12];
        float[] gx = Enumerable.Repeat(7f, 12).ToArray();
        var shape = Assert.Throws<ArgumentException>(() => LsrKernels.LogSoftmaxBackward(
            new ReadOnlyTensorSpan<float>(y, [3, 4], [4, 1]), new ReadOnlyTensorSpan<float>(gy, [4, 3], [3, 1]), new TensorSpan<float>(gx, [3, 4], [4, 1])));
        Assert.Equal("outputGradient", shape.ParamName);
        Assert.Contains("[4, 3]", shape.Message, StringComparison.Ordinal);
        var gradientShape = Assert.Throws<ArgumentException>(() => LsrKernels.SoftmaxBackward(
            new ReadOnlyTensorSpan<float>(y, [3, 4], [4, 1]), new ReadOnlyTensorSpan<float>(gy, [3, 4], [4, 1]), new TensorSpan<float>(gx, [2, 4], [4, 1])));
        Assert.Equal("inputGradient", gradientShape.ParamName);
        var stride = Assert.Throws<ArgumentException>(() => LsrKernels.SoftmaxBackward(
            new ReadOnlyTensorSpan<float>(y, [3, 2], [4, 2]), new ReadOnlyTensorSpan<float>(gy, [3, 2], [4, 1]), new TensorSpan<float>(gx, [3, 2], [4, 1])));
        Assert.Equal("output", stride.ParamName);
        var onOutput = Assert.Throws<ArgumentException>(() => LsrKernels.LogSoftmaxBackward(
            new ReadOnlyTensorSpan<float>(y, [3, 4], [4, 1]), new ReadOnlyTensorSpan<float>(gy, [3, 4], [4, 1]), new TensorSpan<float>(y, [3, 4], [4, 1])));
        Assert.Equal("inputGradient", onOutput.ParamName);
        var shifted = Assert.Throws<ArgumentException>(() => LsrKernels.LogSoftmaxBackward(
            new ReadOnlyTensorSpan<float>(y, [2, 4], [4, 1]), new ReadOnlyTensorSpan<float>(gx, [2, 4], [4, 1]), new TensorSpan<float>(gx, 4, [2, 4], [4, 1])));
        Assert.Equal("inputGradient", shifted.ParamName);
        Assert.All(gx, v => Assert.Equal(7f, v));

        int[] predictions = Enumerable.Repeat(-1, 4).ToArray();
        var rows = Assert.Throws<ArgumentException>(() => LsrKernels.ArgMax(new ReadOnlyTensorSpan<float>(y, [3, 4], [4, 1]), predictions));
        Assert.Equal("destination", rows.ParamName);
        Assert.All(predictions, v => Assert.Equal(-1, v));
    }

    [Fact]
    public void Nothing_allocates()
    {
        float[] y = new float[64 * 10], gy = new float[64 * 10], gx = new float[64 * 10];
        int[] predictions = new int[64];
        Assert.Equal(0, Allocations.Least(() =>
        {
            LsrKernels.LogSoftmaxBackward(y, gy, 10, gx);
            LsrKernels.SoftmaxBackward(y, gy, 10, gx);
            LsrKernels.ArgMax(y, 10, predictions);
        }));
        Assert.Equal(0, Allocations.Least(() => LsrKernels.LogSoftmaxBackward(
            new ReadOnlyTensorSpan<float>(y, [64, 10], [10, 1]), new ReadOnlyTensorSpan<float>(gy, [64, 10], [10, 1]), new TensorSpan<float>(gx, [64, 10], [10, 1]))));
    }
}
