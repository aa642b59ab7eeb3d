using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// The tensor-span overloads on rows padded to a larger stride (a padded vocabulary) against the span overloads on
/// the dense copy: every output bit-identical, the padding of every output untouched, and NaN in the padding of
/// every input (a kernel that read it would turn a result NaN). Outputs start NaN-poisoned, so an unwritten element
/// fails the comparison.
/// </summary>
public static class TensorSpanSuite<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Sentinel = T.CreateTruncating(-12345.5);

    public static void StridedMatchesDense(ILsrApi<T> spans, ITensorApi<T> tensors, int classes, int rows, int padding, int seed)
    {
        Random random = RandomData.For(classes, rows, padding, seed);
        int stride = classes + padding;
        T[] logits = Convert(RandomData.Normal(random, rows * classes, 3));
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, ignoreIndex: -100);
        T[] weight = Convert(RandomData.Weights(random, classes));
        T[] probabilities = Convert(RandomData.Probabilities(random, rows, classes));
        T eps = T.CreateTruncating(0.1);
        Padded x = Padded.Of(logits, rows, classes, stride);
        Padded q = Padded.Of(probabilities, rows, classes, stride);
        string context = $"K = {classes}, N = {rows}, row stride {stride}, seed {RandomData.RunSeed}/{seed}";

        foreach (bool log in new[] { true, false })
        {
            T[] dense = Poisoned(rows * classes);
            Padded strided = Padded.Output(rows, classes, stride);
            if (log)
            {
                spans.LogSoftmax(logits, classes, dense);
                tensors.LogSoftmax(x.Tensor, strided.Tensor);
            }
            else
            {
                spans.Softmax(logits, classes, dense);
                tensors.Softmax(x.Tensor, strided.Tensor);
            }

            strided.AssertRows(dense, $"{(log ? "LogSoftmax" : "Softmax")}, {context}");
        }

        T[] gatheredDense = Poisoned(rows);
        T[] gathered = Poisoned(rows);
        spans.GatherTargets(logits, classes, targets, gatheredDense, -100);
        tensors.GatherTargets(x.Tensor, targets, gathered, -100);
        AssertSameBits(gatheredDense, gathered, $"GatherTargets, {context}");

        foreach (Reduction reduction in new[] { Reduction.Mean, Reduction.Sum })
        {
            AssertSameBits(
                spans.CrossEntropy(logits, classes, targets, eps, reduction, -100, weight),
                tensors.CrossEntropy(x.Tensor, targets, eps, reduction, -100, weight),
                $"CrossEntropy {reduction}, {context}");
            AssertSameBits(
                spans.CrossEntropy(logits, classes, probabilities, eps, reduction, weight),
                tensors.CrossEntropy(x.Tensor, q.Tensor, eps, reduction, weight),
                $"CrossEntropy (probabilities) {reduction}, {context}");
        }

        T[] lossesDense = Poisoned(rows);
        T[] losses = Poisoned(rows);
        spans.CrossEntropy(logits, classes, targets, lossesDense, eps, -100, weight);
        tensors.CrossEntropy(x.Tensor, targets, losses, eps, -100, weight);
        AssertSameBits(lossesDense, losses, $"per-row CrossEntropy, {context}");
        spans.CrossEntropy(logits, classes, probabilities, lossesDense, eps, weight);
        tensors.CrossEntropy(x.Tensor, q.Tensor, losses, eps, weight);
        AssertSameBits(lossesDense, losses, $"per-row CrossEntropy (probabilities), {context}");

        foreach (bool inPlace in new[] { false, true })
        {
            T[] gradientDense = inPlace ? (T[])logits.Clone() : Poisoned(rows * classes);
            Padded gradient = inPlace ? Padded.Of(logits, rows, classes, stride) : Padded.Output(rows, classes, stride);
            T lossDense = spans.CrossEntropyWithGradient(inPlace ? gradientDense : logits, classes, targets, gradientDense, eps, Reduction.Mean, -100, weight);
            T loss = tensors.CrossEntropyWithGradient(inPlace ? gradient.Tensor : x.Tensor, targets, gradient.Tensor, eps, Reduction.Mean, -100, weight);
            AssertSameBits(lossDense, loss, $"CrossEntropyWithGradient loss, in place {inPlace}, {context}");
            gradient.AssertRows(gradientDense, $"CrossEntropyWithGradient, in place {inPlace}, {context}");

            gradientDense = inPlace ? (T[])logits.Clone() : Poisoned(rows * classes);
            gradient = inPlace ? Padded.Of(logits, rows, classes, stride) : Padded.Output(rows, classes, stride);
            lossDense = spans.CrossEntropyWithGradient(inPlace ? gradientDense : logits, classes, probabilities, gradientDense, eps, Reduction.Sum, weight);
            loss = tensors.CrossEntropyWithGradient(inPlace ? gradient.Tensor : x.Tensor, q.Tensor, gradient.Tensor, eps, Reduction.Sum, weight);
            AssertSameBits(lossDense, loss, $"CrossEntropyWithGradient (probabilities) loss, in place {inPlace}, {context}");
            gradient.AssertRows(gradientDense, $"CrossEntropyWithGradient (probabilities), in place {inPlace}, {context}");
        }

        x.AssertPadding($"logits, {context}");
        q.AssertPadding($"target probabilities, {context}");
        TrainingLoss(logits, targets, probabilities, weight, x, q, rows, classes, stride, context);
        Outputs(spans, tensors, logits, x, rows, classes, stride, context);
    }

    /// <summary>The softmax backwards (each tensor its own row stride; in place on the output gradient) and ArgMax, padded against dense.</summary>
    private static void Outputs(ILsrApi<T> spans, ITensorApi<T> tensors, T[] logits, Padded x, int rows, int classes, int stride, string context)
    {
        T[] gy = Convert(RandomData.Normal(RandomData.For(rows, classes, 73), rows * classes, 1));
        foreach (bool log in new[] { true, false })
        {
            string name = log ? "LogSoftmaxBackward" : "SoftmaxBackward";
            T[] y = Poisoned(rows * classes);
            if (log)
            {
                spans.LogSoftmax(logits, classes, y);
            }
            else
            {
                spans.Softmax(logits, classes, y);
            }

            Padded output = Padded.Of(y, rows, classes, stride);
            foreach (bool inPlace in new[] { false, true })
            {
                Padded outputGradient = Padded.Of(gy, rows, classes, stride + 3);
                T[] dense = inPlace ? (T[])gy.Clone() : Poisoned(rows * classes);
                Padded inputGradient = inPlace ? outputGradient : Padded.Output(rows, classes, stride + 1);
                if (log)
                {
                    spans.LogSoftmaxBackward(y, inPlace ? dense : gy, classes, dense);
                    tensors.LogSoftmaxBackward(output.Tensor, outputGradient.Tensor, inputGradient.Tensor);
                }
                else
                {
                    spans.SoftmaxBackward(y, inPlace ? dense : gy, classes, dense);
                    tensors.SoftmaxBackward(output.Tensor, outputGradient.Tensor, inputGradient.Tensor);
                }

                inputGradient.AssertRows(dense, $"{name}, in place {inPlace}, {context}");
                output.AssertPadding($"{name} output, {context}");
            }
        }

        int[] predictionsDense = new int[rows];
        int[] predictions = new int[rows];
        Array.Fill(predictions, -1);
        spans.ArgMax(logits, classes, predictionsDense);
        tensors.ArgMax(x.Tensor, predictions);
        Assert.Equal(predictionsDense, predictions);
    }

    /// <summary>Every <see cref="CrossEntropyLoss{T}"/> pass with every option on, padded against dense.</summary>
    private static void TrainingLoss(
        T[] logits, int[] targets, T[] probabilities, T[] weight, Padded x, Padded q, int rows, int classes, int stride, string context)
    {
        var loss = new CrossEntropyLoss<T>(classes)
        {
            LabelSmoothing = T.CreateTruncating(0.1),
            Weight = weight,
            ZLossScale = T.CreateTruncating(1e-3),
            Softcap = T.CreateTruncating(4),
        };
        T[] upstream = Convert(RandomData.Normal(RandomData.For(rows, classes, 71), rows, 1));

        AssertSameBits(loss.Forward(logits, targets), loss.Forward(x.Tensor, targets), $"Loss.Forward, {context}");
        AssertSameBits(loss.Forward(logits, probabilities), loss.Forward(x.Tensor, q.Tensor), $"Loss.Forward (probabilities), {context}");
        foreach (bool hard in new[] { true, false })
        {
            string kind = hard ? "class index" : "probabilities";
            T[] lossesDense = Poisoned(rows), lseDense = Poisoned(rows), losses = Poisoned(rows), lse = Poisoned(rows);
            T[] gradientDense = Poisoned(rows * classes);
            Padded gradient = Padded.Output(rows, classes, stride);
            if (hard)
            {
                loss.Forward(logits, targets, lossesDense, lseDense);
                loss.Forward(x.Tensor, targets, losses, lse);
            }
            else
            {
                loss.Forward(logits, probabilities, lossesDense, lseDense);
                loss.Forward(x.Tensor, q.Tensor, losses, lse);
            }

            AssertSameBits(lossesDense, losses, $"Loss.Forward per row ({kind}), {context}");
            AssertSameBits(lseDense, lse, $"Loss.Forward log-sum-exp ({kind}), {context}");

            T fusedDense = hard ? loss.ForwardBackward(logits, targets, gradientDense) : loss.ForwardBackward(logits, probabilities, gradientDense);
            T fused = hard ? loss.ForwardBackward(x.Tensor, targets, gradient.Tensor) : loss.ForwardBackward(x.Tensor, q.Tensor, gradient.Tensor);
            AssertSameBits(fusedDense, fused, $"Loss.ForwardBackward ({kind}), {context}");
            gradient.AssertRows(gradientDense, $"Loss.ForwardBackward ({kind}), {context}");

            gradientDense = (T[])logits.Clone();
            gradient = Padded.Of(logits, rows, classes, stride);
            if (hard)
            {
                loss.Backward(gradientDense, targets, lseDense, upstream, gradientDense);
                loss.Backward(gradient.Tensor, targets, lse, upstream, gradient.Tensor);
            }
            else
            {
                loss.Backward(gradientDense, probabilities, lseDense, upstream, gradientDense);
                loss.Backward(gradient.Tensor, q.Tensor, lse, upstream, gradient.Tensor);
            }

            gradient.AssertRows(gradientDense, $"Loss.Backward in place ({kind}), {context}");
        }
    }

    public static T[] Convert(double[] values) => Array.ConvertAll(values, T.CreateTruncating);

    public static T[] Poisoned(int count)
    {
        var values = new T[count];
        values.AsSpan().Fill(T.NaN);
        return values;
    }

    public static void AssertSameBits(T expected, T actual, string context)
        => AssertSameBits(new[] { expected }, new[] { actual }, context);

    public static void AssertSameBits(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        ReadOnlySpan<byte> a = MemoryMarshal.AsBytes(expected), b = MemoryMarshal.AsBytes(actual);
        if (!a.SequenceEqual(b))
        {
            int size = a.Length / Math.Max(1, expected.Length);
            int at = 0;
            while (a.Slice(at * size, size).SequenceEqual(b.Slice(at * size, size)))
            {
                at++;
            }

            Assert.Fail($"{context}: element {at} differs: expected {expected[at]}, got {actual[at]}.");
        }
    }

    /// <summary>An [N, K] matrix in rows of <c>stride</c> elements; the padding after each row (the last one too) holds a marker.</summary>
    public sealed class Padded
    {
        private Padded(T[] data, int rows, int classes, int stride, T marker)
        {
            Marker = marker;
            data.AsSpan().Fill(marker);
            Data = data;
            Rows = rows;
            Classes = classes;
            Stride = stride;
        }

        public T[] Data { get; }

        /// <summary>Gets what the padding holds: NaN for an input (or an in-place output), the sentinel for an output.</summary>
        public T Marker { get; }

        public int Rows { get; }

        public int Classes { get; }

        public int Stride { get; }

        /// <summary>Gets the rows as a tensor span; a dimension of length 1 or 0 gets stride 0, as System.Numerics.Tensors requires.</summary>
        public TensorSpan<T> Tensor => new(Data, [Rows, Classes], [Rows > 1 ? Stride : 0, Classes > 1 ? 1 : 0]);

        /// <summary>The dense rows copied into padded rows; NaN in the padding.</summary>
        public static Padded Of(T[] dense, int rows, int classes, int stride)
        {
            var padded = new Padded(new T[Math.Max(1, rows * stride)], rows, classes, stride, T.NaN);
            for (int row = 0; row < rows; row++)
            {
                dense.AsSpan(row * classes, classes).CopyTo(padded.Data.AsSpan(row * stride));
            }

            return padded;
        }

        /// <summary>An output: NaN in the rows, the sentinel in the padding.</summary>
        public static Padded Output(int rows, int classes, int stride)
        {
            var padded = new Padded(new T[Math.Max(1, rows * stride)], rows, classes, stride, Sentinel);
            for (int row = 0; row < rows; row++)
            {
                padded.Data.AsSpan(row * stride, classes).Fill(T.NaN);
            }

            return padded;
        }

        /// <summary>The rows equal <paramref name="dense"/> bit for bit.</summary>
        public void AssertRows(T[] dense, string context)
        {
            for (int row = 0; row < Rows; row++)
            {
                AssertSameBits(dense.AsSpan(row * Classes, Classes), Data.AsSpan(row * Stride, Classes), $"{context}, row {row}");
            }

            AssertPadding(context);
        }

        public void AssertPadding(string context)
        {
            T marker = Marker;
            for (int row = 0; row < Rows; row++)
            {
                foreach (T value in Data.AsSpan((row * Stride) + Classes, Stride - Classes))
                {
                    Assert.True(value.Equals(marker) || (T.IsNaN(marker) && T.IsNaN(value)), $"{context}: padding of row {row} changed to {value}.");
                }
            }
        }
    }
}
