using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using Xunit;

namespace LsrGen.Tests;

/// <summary>PyTorch's (N, C, d1, ..., dk) inputs: ranks 3 to 8, the classes along dimension 1, any strides.</summary>
public class ClassAxisTests
{
    public static IEnumerable<object[]> Shapes()
    {
        int[][] spatial = [[5], [3, 4], [2, 3, 2]];
        foreach (int classes in new[] { 1, 2, 3, 4, 10, 19, 21, 150, 1000 })
        {
            foreach (int[] dims in spatial)
            {
                foreach (ClassAxisLayout layout in Enum.GetValues<ClassAxisLayout>())
                {
                    for (int n = 0; n <= 3; n++)
                    {
                        yield return [string.Join(",", new[] { n, classes }.Concat(dims)), layout];
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_member_gives_the_bits_of_the_same_data_as_rows(string shape, ClassAxisLayout layout)
    {
        int[] lengths = [.. shape.Split(',').Select(int.Parse)];
        ClassAxisSuite<float>.MatchesRows(RuntimeFloatApi.Instance, TensorFloatApi.Instance, lengths, layout, seed: 1);
        ClassAxisSuite<double>.MatchesRows(RuntimeDoubleApi.Instance, TensorDoubleApi.Instance, lengths, layout, seed: 2);
    }

    /// <summary>Ranks 6 to 8, batches past the parallel threshold (chunks on worker threads), images long enough for buffered class planes.</summary>
    [Theory]
    [InlineData("2,3,2,1,2,3", ClassAxisLayout.Padded)]
    [InlineData("1,4,2,2,1,2,2", ClassAxisLayout.Permuted)]
    [InlineData("2,5,1,2,2,1,2,3", ClassAxisLayout.Mixed)]
    [InlineData("4,19,128,128", ClassAxisLayout.Contiguous)]
    [InlineData("2,150,64,64", ClassAxisLayout.Permuted)]
    [InlineData("2,150,64,64", ClassAxisLayout.Contiguous)]
    [InlineData("2,100,9,13", ClassAxisLayout.Padded)]
    [InlineData("3,224,7,11", ClassAxisLayout.Contiguous)]
    [InlineData("2,32,9,13", ClassAxisLayout.Contiguous)]
    public void Higher_ranks_and_large_batches_give_the_same_bits(string shape, ClassAxisLayout layout)
    {
        int[] lengths = [.. shape.Split(',').Select(int.Parse)];
        ClassAxisSuite<float>.MatchesRows(RuntimeFloatApi.Instance, TensorFloatApi.Instance, lengths, layout, seed: 3);
        if (lengths.Aggregate(1L, (a, b) => a * b) < 1 << 20)
        {
            ClassAxisSuite<double>.MatchesRows(RuntimeDoubleApi.Instance, TensorDoubleApi.Instance, lengths, layout, seed: 4);
        }
    }

    /// <summary>A position's outputs do not depend on the batch around it: class planes, and (with an entropy bonus) staged rows.</summary>
    [Theory]
    [InlineData(4, 0f)]
    [InlineData(21, 0f)]
    [InlineData(150, 0f)]
    [InlineData(21, 0.05f)]
    public void A_positions_outputs_do_not_depend_on_the_batch(int classes, float entropyScale)
    {
        const int h = 7, w = 9;
        int plane = h * w;
        int n = 3;
        Random random = RandomData.For(classes, 91);
        float[] logits = TensorSpanSuite<float>.Convert(RandomData.Normal(random, n * classes * plane, 3));
        int[] targets = RandomData.Targets(random, n * plane, classes, withIgnored: true, ignoreIndex: -100);
        var loss = new CrossEntropyLoss<float>(classes) { LabelSmoothing = 0.1f, EntropyScale = entropyScale, Reduction = Reduction.Sum };
        float[] all = new float[n * plane];
        float[] gradient = new float[logits.Length];
        loss.ForwardBackward(new ReadOnlyTensorSpan<float>(logits, [n, classes, h, w], [classes * plane, plane, w, 1]), targets, new TensorSpan<float>(gradient, [n, classes, h, w], [classes * plane, plane, w, 1]), all);

        // The last image alone, at the start of its own array.
        float[] last = logits[(2 * classes * plane)..];
        float[] one = new float[plane];
        float[] oneGradient = new float[last.Length];
        loss.ForwardBackward(new ReadOnlyTensorSpan<float>(last, [1, classes, h, w], [0, plane, w, 1]), targets.AsSpan(2 * plane), new TensorSpan<float>(oneGradient, [1, classes, h, w], [0, plane, w, 1]), one);
        TensorSpanSuite<float>.AssertSameBits(all.AsSpan(2 * plane), one, $"losses, C = {classes}");
        TensorSpanSuite<float>.AssertSameBits(gradient.AsSpan(2 * classes * plane), oneGradient, $"gradient, C = {classes}");
        float[] dense = new float[n * plane];
        loss.Forward(Channels(logits, n, classes, plane), targets, dense);
        ClassAxisSuite<float>.Close(dense, all, $"against rows, C = {classes}");
        float[] denseGradient = new float[logits.Length];
        loss.ForwardBackward(Channels(logits, n, classes, plane), targets, denseGradient);
        ClassAxisSuite<float>.Close(Channels(gradient, n, classes, plane), denseGradient, $"gradient against rows, C = {classes}");
    }

    [Fact]
    public void Wrong_shapes_and_strides_throw_before_anything_is_written()
    {
        const int n = 2, c = 3, h = 2, w = 2;
        float[] logits = TensorSpanSuite<float>.Convert(RandomData.Normal(RandomData.For(5), n * c * h * w, 1));
        int[] targets = [0, 1, 2, 0, 1, 2, 0, 1];
        ReadOnlyTensorSpan<float> X() => new(logits, [n, c, h, w], [c * h * w, h * w, w, 1]);
        float[] output = new float[64];
        Array.Fill(output, float.NaN);

        var shape = Assert.Throws<ArgumentException>(() => LsrKernels.LogSoftmax(X(), new TensorSpan<float>(output, [n, c, w, h + 1], [c * h * (w + 1), h * (w + 1), h + 1, 1])));
        Assert.Equal("destination", shape.ParamName);
        Assert.Contains("[2, 3, 2, 2]", shape.Message);
        Assert.Contains("[2, 3, 2, 3]", shape.Message);

        var rank2 = Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropyWithGradient(X(), targets, new TensorSpan<float>(output, [n * h * w, c], [c, 1])));
        Assert.Equal("gradient", rank2.ParamName);

        var shared = Assert.Throws<ArgumentException>(() => LsrKernels.Softmax(X(), new TensorSpan<float>(output, [n, c, h, w], [c * h * w, h * w, 0, 1])));
        Assert.Equal("destination", shared.ParamName);
        Assert.Contains("share memory", shared.Message);

        var count = Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropy(X(), targets.AsSpan(1)));
        Assert.Equal("targets", count.ParamName);

        int[] outOfRange = [0, 1, 2, 0, 1, 3, 0, 1];
        var target = Assert.Throws<ArgumentOutOfRangeException>(() => LsrKernels.CrossEntropyWithGradient(X(), outOfRange, new TensorSpan<float>(output, [n, c, h, w], [c * h * w, h * w, w, 1])));
        Assert.Contains("row 5", target.Message);

        float[] badProbabilities = new float[logits.Length];
        badProbabilities[7] = -1;
        var probabilities = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss<float>(c).ForwardBackward(X(), new ReadOnlyTensorSpan<float>(badProbabilities, [n, c, h, w], [c * h * w, h * w, w, 1]), new TensorSpan<float>(output, [n, c, h, w], [c * h * w, h * w, w, 1])));
        Assert.Equal("targetProbabilities", probabilities.ParamName);

        var strides = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss<float>(c).ForwardBackward(X(), targets, new TensorSpan<float>(logits, [n, c, h, w], [c * h * w, h * w, 1, w])));
        Assert.Equal("gradient", strides.ParamName);
        Assert.Contains("same strides", strides.Message);

        var loss = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss<float>(4).Forward(X(), targets));
        Assert.Equal("logits", loss.ParamName);

        Assert.All(output, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Class_axis_calls_allocate_nothing()
    {
        const int n = 2, c = 19, h = 16, w = 16;
        float[] logits = TensorSpanSuite<float>.Convert(RandomData.Normal(RandomData.For(6), n * c * h * w, 3));
        int[] targets = RandomData.Targets(RandomData.For(7), n * h * w, c, withIgnored: true, ignoreIndex: -100);
        float[] gradient = new float[logits.Length];
        float[] losses = new float[n * h * w];
        nint[] lengths = [n, c, h, w];
        nint[] strides = [c * h * w, 1, w * c, c];
        var loss = new CrossEntropyLoss<float>(c) { LabelSmoothing = 0.1f };
        Assert.Equal(0, Allocations.Least(() =>
        {
            loss.ForwardBackward(new ReadOnlyTensorSpan<float>(logits, lengths, [c * h * w, h * w, w, 1]), targets, new TensorSpan<float>(gradient, lengths, strides), losses);
            LsrKernels.CrossEntropy(new ReadOnlyTensorSpan<float>(logits, lengths, [c * h * w, h * w, w, 1]), targets, 0.1f);
        }));
    }

    // Contiguous (N, C, plane) as dense (N * plane, C) rows.
    private static float[] Channels(float[] logits, int n, int classes, int plane)
    {
        float[] rows = new float[logits.Length];
        for (int image = 0; image < n; image++)
        {
            for (int c = 0; c < classes; c++)
            {
                for (int p = 0; p < plane; p++)
                {
                    rows[(((image * plane) + p) * classes) + c] = logits[(((image * classes) + c) * plane) + p];
                }
            }
        }

        return rows;
    }
}
