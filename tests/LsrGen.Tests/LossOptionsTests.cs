using System;
using System.Linq;
using System.Numerics.Tensors;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// Temperature, EntropyScale and the optional per-row outputs: validation, errors with nothing written, the tensor-span
/// and Half forms against the span ones, and no allocation.
/// </summary>
public sealed class LossOptionsTests
{
    [Fact]
    public void Temperature_and_entropy_scale_are_validated_by_their_init_accessors()
    {
        foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
        {
            Assert.Equal("Temperature", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss<double>(3) { Temperature = bad }).ParamName);
        }

        foreach (float bad in new[] { -1f, float.NaN, float.PositiveInfinity })
        {
            Assert.Equal("EntropyScale", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss<float>(3) { EntropyScale = bad }).ParamName);
        }

        var loss = new CrossEntropyLoss<float>(3) { Temperature = 0.7f, EntropyScale = 0.01f };
        Assert.Equal((0.7f, 0.01f), (loss.Temperature, loss.EntropyScale));
        Assert.Equal((1f, 0f), (new CrossEntropyLoss<float>(3).Temperature, new CrossEntropyLoss<float>(3).EntropyScale));
    }

    [Fact]
    public void Bad_per_row_outputs_throw_before_anything_is_written()
    {
        var loss = new CrossEntropyLoss<float>(3) { Temperature = 2, EntropyScale = 0.1f };
        float[] logits = [1, 2, 3, 0, 5, 1];
        int[] targets = [2, 0];
        float[] losses = TestNumbers.Poisoned<float>(2);
        float[] lse = TestNumbers.Poisoned<float>(2);
        float[] entropy = TestNumbers.Poisoned<float>(2);
        int[] predictions = [-1, -1];
        float[] gradient = TestNumbers.Poisoned<float>(6);
        float[] upstream = [1, 1];

        Assert.Equal("entropy", Assert.Throws<ArgumentException>(() => loss.Forward(logits, targets, losses, lse, entropy.AsSpan(0, 1), predictions)).ParamName);
        Assert.Equal("predictions", Assert.Throws<ArgumentException>(() => loss.Forward(logits, targets, losses, lse, entropy, new int[3])).ParamName);
        Assert.Equal("losses", Assert.Throws<ArgumentException>(() => loss.ForwardBackward(logits, targets, gradient, losses.AsSpan(0, 1))).ParamName);
        Assert.Equal("predictions", Assert.Throws<ArgumentException>(() => loss.ForwardBackward(logits, [0.2f, 0.3f, 0.5f, 1, 0, 0], gradient, predictions: new int[1])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentOutOfRangeException>(() => loss.ForwardBackward(logits, [2, 3], gradient, losses, lse, entropy, predictions)).ParamName);

        // Overlaps: with another output, with an input, with the gradient (the later output is named).
        float[] shared = TestNumbers.Poisoned<float>(3);
        var outputs = Assert.Throws<ArgumentException>(() => loss.Forward(logits, targets, shared.AsSpan(0, 2), default, shared.AsSpan(1, 2)));
        Assert.Equal("entropy", outputs.ParamName);
        Assert.StartsWith("entropy overlaps losses;", outputs.Message);
        Assert.Equal("entropy", Assert.Throws<ArgumentException>(() => loss.Forward(logits, targets, default, default, logits.AsSpan(4, 2))).ParamName);
        Assert.Equal("entropy", Assert.Throws<ArgumentException>(() => loss.ForwardBackward(logits, targets, gradient, entropy: gradient.AsSpan(2, 2))).ParamName);
        int[] sharedInts = new int[3];
        Assert.Equal("predictions", Assert.Throws<ArgumentException>(() => loss.Forward(logits, sharedInts.AsSpan(0, 2), losses, predictions: sharedInts.AsSpan(1, 2))).ParamName);

        // Backward's entropy gradients: N values or none, apart from the gradient.
        Assert.Equal("entropyGradients", Assert.Throws<ArgumentException>(() => loss.Backward(logits, targets, lse, upstream, gradient, new float[3])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => loss.Backward(logits, targets, lse, upstream, gradient, gradient.AsSpan(0, 2))).ParamName);
        Assert.All(losses.Concat(lse).Concat(entropy).Concat(gradient).Concat(shared), v => Assert.True(float.IsNaN(v)));
        Assert.Equal([-1, -1], predictions);
    }

    /// <summary>The tensor-span and Half forms take the same outputs and give the span form's values (Half within its rounding).</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public void Tensor_and_Half_forms_give_the_span_forms_outputs(int classes)
    {
        Random random = RandomData.For(classes, 621);
        const int rows = 9;
        var loss = new CrossEntropyLoss<float>(classes) { Temperature = 0.7f, EntropyScale = 0.1f, Softcap = 5, LabelSmoothing = 0.1f };
        Half[] half = RandomData.Normal(random, rows * classes, 2).Select(v => (Half)v).ToArray();
        float[] logits = half.Select(h => (float)h).ToArray();
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, -100);
        float[] upstream = TestNumbers.To<float>(RandomData.Normal(random, rows, 1));
        float[] entropyUpstream = TestNumbers.To<float>(RandomData.Normal(random, rows, 1));

        var span = Run(
            (g, l, s, h, p) => loss.ForwardBackward(logits, targets, g, l, s, h, p),
            (s, u, e, g) => loss.Backward(logits, targets, s, u, g, e));

        // An [N, K] tensor span with padded rows: the same bits.
        int stride = classes + 3;
        float[] padded = TestNumbers.Poisoned<float>(rows * stride);
        for (int i = 0; i < rows; i++)
        {
            logits.AsSpan(i * classes, classes).CopyTo(padded.AsSpan(i * stride));
        }

        nint[] lengths = [rows, classes];
        nint[] strides = [stride, 1];
        float[] paddedGradient = TestNumbers.Poisoned<float>(rows * stride);
        var tensor = Run(
            (g, l, s, h, p) => loss.ForwardBackward(new ReadOnlyTensorSpan<float>(padded, lengths, strides), targets, new TensorSpan<float>(paddedGradient, lengths, strides), l, s, h, p),
            (s, u, e, g) =>
            {
                loss.Backward(new ReadOnlyTensorSpan<float>(padded, lengths, strides), targets, s, u, new TensorSpan<float>(paddedGradient, lengths, strides), e);
                for (int i = 0; i < rows; i++)
                {
                    paddedGradient.AsSpan(i * stride, classes).CopyTo(g.Slice(i * classes));
                }
            },
            densify: g =>
            {
                for (int i = 0; i < rows; i++)
                {
                    paddedGradient.AsSpan(i * stride, classes).CopyTo(g.Slice(i * classes));
                }
            });
        Assert.Equal(span.loss, tensor.loss);
        Assert.Equal(span.gradient, tensor.gradient);
        Assert.Equal(span.losses, tensor.losses);
        Assert.Equal(span.lse, tensor.lse);
        Assert.Equal(span.entropy, tensor.entropy);
        Assert.Equal(span.predictions, tensor.predictions);
        Assert.Equal(span.backward, tensor.backward);

        // Half logits: the math in float from the same values; per-row outputs in float, the same bits.
        Half[] halfGradient = new Half[half.Length];
        var fromHalf = Run(
            (g, l, s, h, p) =>
            {
                float total = loss.ForwardBackward(half, targets, halfGradient, l, s, h, p);
                return total;
            },
            (s, u, e, g) =>
            {
                loss.Backward(half, targets, s, u, halfGradient, e);
                for (int i = 0; i < g.Length; i++)
                {
                    g[i] = (float)halfGradient[i];
                }
            });
        Assert.Equal(span.loss, fromHalf.loss);
        Assert.Equal(span.losses, fromHalf.losses);
        Assert.Equal(span.lse, fromHalf.lse);
        Assert.Equal(span.entropy, fromHalf.entropy);
        Assert.Equal(span.predictions, fromHalf.predictions);
        Assert.Equal(span.backward.Select(v => (float)(Half)v), fromHalf.backward);

        (float loss, float[] gradient, float[] losses, float[] lse, float[] entropy, int[] predictions, float[] backward) Run(
            FusedCall fused, BackwardCall backward, Action<Span<float>>? densify = null)
        {
            float[] gradient = TestNumbers.Poisoned<float>(rows * classes);
            float[] losses = TestNumbers.Poisoned<float>(rows);
            float[] lse = TestNumbers.Poisoned<float>(rows);
            float[] entropy = TestNumbers.Poisoned<float>(rows);
            int[] predictions = Enumerable.Repeat(-1, rows).ToArray();
            float total = fused(gradient, losses, lse, entropy, predictions);
            densify?.Invoke(gradient);
            float[] backwardGradient = TestNumbers.Poisoned<float>(rows * classes);
            backward(lse, upstream, entropyUpstream, backwardGradient);
            return (total, gradient, losses, lse, entropy, predictions, backwardGradient);
        }
    }

    [Fact]
    public void Calls_with_every_option_allocate_nothing()
    {
        const int classes = 10;
        const int rows = 64;
        Random random = RandomData.For(4, 4);
        float[] logits = TestNumbers.To<float>(RandomData.Normal(random, rows * classes, 2));
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, ignoreIndex: -100);
        float[] probabilities = TestNumbers.To<float>(RandomData.Probabilities(random, rows, classes));
        float[] gradient = new float[logits.Length];
        float[] losses = new float[rows];
        float[] lse = new float[rows];
        float[] entropy = new float[rows];
        int[] predictions = new int[rows];
        float[] upstream = new float[rows];
        var loss = new CrossEntropyLoss<float>(classes) { Softcap = 20, Temperature = 0.7f, EntropyScale = 0.01f, LabelSmoothing = 0.1f };
        void All()
        {
            loss.Forward(logits, targets, losses, lse, entropy, predictions);
            loss.ForwardBackward(logits, targets, gradient, losses, lse, entropy, predictions);
            loss.Backward(logits, targets, lse, upstream, gradient, upstream);
            loss.Forward(logits, probabilities, losses, lse, entropy, predictions);
            loss.ForwardBackward(logits, probabilities, gradient, losses, lse, entropy, predictions);
            loss.Backward(logits, probabilities, lse, upstream, gradient, upstream);
        }

        Assert.Equal(0, Allocations.Least(All));
    }

    private delegate float FusedCall(Span<float> gradient, Span<float> losses, Span<float> lse, Span<float> entropy, Span<int> predictions);

    private delegate void BackwardCall(ReadOnlySpan<float> lse, ReadOnlySpan<float> upstream, ReadOnlySpan<float> entropyUpstream, Span<float> gradient);
}
