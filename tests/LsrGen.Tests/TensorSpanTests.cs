using System;
using System.Numerics.Tensors;
using Xunit;

namespace LsrGen.Tests;

/// <summary>The tensor-span overloads on the runtime's kernels: padded rows against the dense copy, errors, allocation.</summary>
public class TensorSpanTests
{
    public static TheoryData<int, int, int> PaddedShapes => new()
    {
        { 1, 5, 3 }, { 3, 37, 1 }, { 3, 40, 0 }, { 10, 40, 6 }, { 17, 33, 15 }, { 32, 50, 7 }, { 33, 41, 5 }, { 50, 21, 14 },
        { 100, 20, 28 }, { 200, 9, 56 }, { 225, 17, 31 }, { 255, 19, 1 }, { 256, 19, 2 }, { 257, 19, 63 }, { 1000, 7, 24 },
        { 4096, 20, 1 }, { 4097, 20, 3 }, { 10, 0, 6 }, { 10, 1, 6 }
    };

    [Theory]
    [MemberData(nameof(PaddedShapes))]
    public void Padded_rows_give_the_dense_copys_bits(int classes, int rows, int padding)
    {
        TensorSpanSuite<float>.StridedMatchesDense(RuntimeFloatApi.Instance, TensorFloatApi.Instance, classes, rows, padding, seed: 1);
        TensorSpanSuite<double>.StridedMatchesDense(RuntimeDoubleApi.Instance, TensorDoubleApi.Instance, classes, rows, padding, seed: 2);
    }

    /// <summary>llm.c's layout: a 50,257-token vocabulary in rows of 50,304; past the parallel threshold, so chunks run on workers too.</summary>
    [Fact]
    public void A_padded_vocabulary_gives_the_dense_copys_bits()
    {
        TensorSpanSuite<float>.StridedMatchesDense(RuntimeFloatApi.Instance, TensorFloatApi.Instance, 50257, 24, 47, seed: 3);
        TensorSpanSuite<double>.StridedMatchesDense(RuntimeDoubleApi.Instance, TensorDoubleApi.Instance, 50257, 5, 47, seed: 4);
    }

    /// <summary>Where RowStaging hands strided rows to the kernels unstaged, no block kernel may serve K.</summary>
    [Fact]
    public void Strided_rows_reach_only_the_row_loops_unstaged()
    {
        InstructionSets[] machines = [InstructionSets.Vector128, InstructionSets.Vector128 | InstructionSets.Vector256, InstructionSets.Vector128 | InstructionSets.Vector256 | InstructionSets.Vector512];
        foreach (RowOperation operation in RowOperations.All)
        {
            for (int k = 1; k <= 4096; k++)
            {
                if (RoutingTable.StagesStridedRows(operation, k))
                {
                    continue;
                }

                if (RoutingTable.RowLoopsOnly(operation))
                {
                    Assert.Equal(Shape.RowLoops, RoutingTable.Choose(operation, true, k, generatedBlocks: true, machines[^1], softcap: false, perRow: false));
                    continue;
                }

                Assert.True(k > RoutingTable.GeneratedLimitMaximum); // LsrGenSmallClassLimit's largest value: generated blocks stop there
                foreach (InstructionSets sets in machines)
                {
                    foreach (bool isFloat in new[] { true, false })
                    {
                        Assert.NotEqual(Shape.GatheredBlocks, RoutingTable.Choose(operation, isFloat, k, generatedBlocks: false, sets, softcap: false, perRow: false));
                        Assert.NotEqual(Shape.GatheredBlocks, RoutingTable.Choose(operation, isFloat, k, generatedBlocks: false, sets, softcap: true, perRow: true));
                    }
                }
            }
        }
    }

    [Fact]
    public void Bad_shapes_and_strides_are_rejected_naming_the_argument()
    {
        float[] data = new float[64];
        int[] targets = [0, 1, 2, 0];
        var rank1 = Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropy(new ReadOnlyTensorSpan<float>(new float[20]), targets));
        Assert.True(rank1.ParamName == "logits", rank1.ToString());
        Assert.Contains("rank-2", rank1.Message);

        var lastStride = Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropy(new ReadOnlyTensorSpan<float>(data, [4, 5], [12, 2]), targets));
        Assert.Equal("logits", lastStride.ParamName);
        Assert.Contains("last stride", lastStride.Message);

        var rowStride = Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropy(new ReadOnlyTensorSpan<float>(data, [4, 5], [0, 1]), targets));
        Assert.Equal("logits", rowStride.ParamName);
        Assert.Contains("row stride", rowStride.Message);

        float[] other = new float[64];
        other.AsSpan().Fill(float.NaN);
        var shape = Assert.Throws<ArgumentException>(() => LsrKernels.Softmax(Padded(data), new TensorSpan<float>(other, [4, 6], [6, 1])));
        Assert.Equal("destination", shape.ParamName);
        Assert.Contains("[4, 6]", shape.Message);
        Assert.Contains("[4, 5]", shape.Message);

        var probabilities = Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropy(Padded(data), new ReadOnlyTensorSpan<float>(other, [3, 5], [5, 1])));
        Assert.Equal("targetProbabilities", probabilities.ParamName);

        var gradientStride = Assert.Throws<ArgumentException>(
            () => LsrKernels.CrossEntropyWithGradient(Padded(data), targets, new TensorSpan<float>(other, [4, 5], [10, 2])));
        Assert.Equal("gradient", gradientStride.ParamName);
        Assert.All(other, value => Assert.True(float.IsNaN(value)));

        var wrongK = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss<float>(6).Forward(Padded(data), targets));
        Assert.Equal("logits", wrongK.ParamName);
    }

    [Fact]
    public void Nothing_is_written_before_a_throw()
    {
        float[] data = new float[4 * 8];
        float[] gradient = new float[4 * 8];
        gradient.AsSpan().Fill(float.NaN);
        var target = Assert.Throws<ArgumentOutOfRangeException>(() => LsrKernels.CrossEntropyWithGradient(Padded(data), [0, 1, 5, 0], Padded(gradient)));
        Assert.Contains("row 2", target.Message);
        float[] q = new float[4 * 8];
        q[(3 * 8) + 4] = -1;
        var probability = Assert.Throws<ArgumentException>(
            () => LsrKernels.CrossEntropyWithGradient(Padded(data), Padded(q), Padded(gradient)));
        Assert.Contains("row 3, class 4", probability.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss<float>(5).ForwardBackward(Padded(data), [0, 1, -1, 0], Padded(gradient)));
        Assert.All(gradient, value => Assert.True(float.IsNaN(value)));
    }

    [Fact]
    public void Probability_padding_is_not_validated()
    {
        float[] x = new float[3 * 4];
        float[] q = new float[3 * 4];
        q.AsSpan().Fill(float.NaN);
        for (int row = 0; row < 3; row++)
        {
            q.AsSpan(row * 4, 3).Fill(1f / 3);
        }

        float loss = LsrKernels.CrossEntropy(new ReadOnlyTensorSpan<float>(x, [3, 3], [4, 1]), new ReadOnlyTensorSpan<float>(q, [3, 3], [4, 1]));
        Assert.Equal(MathF.Log(3), loss, 6);
    }

    /// <summary>A single row has no row stride (System.Numerics.Tensors gives it 0): its probabilities are checked all the same.</summary>
    [Fact]
    public void A_single_rows_probabilities_are_validated()
    {
        float[] x = new float[3];
        float[] q = [0.5f, -0.5f, 1f];
        float[] gradient = [float.NaN, float.NaN, float.NaN];
        var loss = new CrossEntropyLoss<float>(3);
        Assert.Equal("targetProbabilities", Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropy(Row(x), Row(q))).ParamName);
        Assert.Equal("targetProbabilities", Assert.Throws<ArgumentException>(() => loss.Forward(Row(x), Row(q))).ParamName);
        Assert.Equal(
            "targetProbabilities",
            Assert.Throws<ArgumentException>(() => loss.ForwardBackward(Row(x), Row(q), new TensorSpan<float>(gradient, [1, 3], [0, 1]))).ParamName);
        Assert.All(gradient, value => Assert.True(float.IsNaN(value)));

        static ReadOnlyTensorSpan<float> Row(float[] values) => new(values, [1, 3], [0, 1]);
    }

    [Fact]
    public void Outputs_that_partially_overlap_the_logits_are_rejected()
    {
        float[] data = new float[64];
        Assert.Equal(
            "gradient",
            Assert.Throws<ArgumentException>(() => LsrKernels.CrossEntropyWithGradient(Padded(data), [0, 1, 2, 3], new TensorSpan<float>(data, 3, [4, 5], [8, 1]))).ParamName);

        // The same start with another row stride reads rows where the gradient writes others: not in place.
        var inPlace = Assert.Throws<ArgumentException>(() => LsrKernels.Softmax(Padded(data), new TensorSpan<float>(data, [4, 5], [6, 1])));
        Assert.Equal("destination", inPlace.ParamName);
        Assert.Contains("row stride", inPlace.Message);

        // Rows in the logits' padding columns are still memory the logits' rows span: rejected, not interleaved.
        Assert.Throws<ArgumentException>(
            () => LsrKernels.Softmax(new ReadOnlyTensorSpan<float>(data, [4, 3], [8, 1]), new TensorSpan<float>(data, 5, [4, 3], [8, 1])));
    }

    /// <summary>Four rows of five classes in rows of eight.</summary>
    private static TensorSpan<float> Padded(float[] data) => new(data, [4, 5], [8, 1]);

    [Fact]
    public void Padded_calls_allocate_nothing_once_warm()
    {
        const int classes = 100, rows = 64, stride = 112;
        float[] x = new float[rows * stride];
        float[] g = new float[rows * stride];
        float[] q = new float[rows * stride];
        float[] losses = new float[rows], lse = new float[rows], upstream = new float[rows];
        int[] targets = new int[rows];
        var loss = new CrossEntropyLoss<float>(classes) { LabelSmoothing = 0.1f, ZLossScale = 1e-4f };

        void All()
        {
            var logits = new ReadOnlyTensorSpan<float>(x, [rows, classes], [stride, 1]);
            var gradient = new TensorSpan<float>(g, [rows, classes], [stride, 1]);
            var probabilities = new ReadOnlyTensorSpan<float>(q, [rows, classes], [stride, 1]);
            LsrKernels.LogSoftmax(logits, gradient);
            LsrKernels.CrossEntropy(logits, targets, 0.1f);
            LsrKernels.CrossEntropy(logits, targets, losses);
            LsrKernels.CrossEntropyWithGradient(logits, targets, gradient);
            LsrKernels.CrossEntropyWithGradient(logits, probabilities, gradient);
            LsrKernels.GatherTargets(logits, targets, losses);
            loss.Forward(logits, targets, losses, lse);
            loss.Backward(logits, targets, lse, upstream, gradient);
            loss.ForwardBackward(logits, probabilities, gradient);
        }

        Assert.Equal(0, Allocations.Least(All));
    }
}
