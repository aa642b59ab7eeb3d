using System;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using Xunit;

namespace LsrGen.Tests;

/// <summary>How a test lays out a tensor of rank 3 or more in memory.</summary>
public enum ClassAxisLayout
{
    /// <summary>Row-major (N, C, d1, ..., dk), as PyTorch makes it: class stride d1 ... dk.</summary>
    Contiguous,

    /// <summary>Channels last: stored (N, d1, ..., dk, C), so the positions are rows of C.</summary>
    ChannelsLast,

    /// <summary>Row-major with a gap after every dimension's last element (the classes' too).</summary>
    Padded,

    /// <summary>Stored with the first spatial dimension outermost, then N, C and the rest, with gaps.</summary>
    Permuted,

    /// <summary>The logits contiguous, matrix outputs permuted and target probabilities padded: each tensor its own strides.</summary>
    Mixed,
}

/// <summary>
/// The tensor-span members on PyTorch's (N, C, d1, ..., dk) layout against the span members on the same data as dense
/// (P, C) rows, P = N d1 ... dk in row-major order: every output bit-identical (the class-index losses and gradient of
/// LsrKernels within section 6's bounds: class planes run in blocks of their own), nothing outside the elements
/// written, NaN in every input's gaps (a kernel that read one would turn a result NaN), outputs NaN-poisoned so an
/// unwritten element fails. The dense rows' loss is checked against the float64 oracle too.
/// </summary>
public static class ClassAxisSuite<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T Sentinel = T.CreateTruncating(-12345.5);

    public static void MatchesRows(ILsrApi<T> spans, ITensorApi<T> tensors, int[] shape, ClassAxisLayout layout, int seed)
    {
        int classes = shape[1];
        int positions = Positions(shape);
        Random random = RandomData.For([.. shape, (int)layout, seed]);
        double[] wide = RandomData.Normal(random, positions * classes, 3);
        T[] logits = TensorSpanSuite<T>.Convert(wide);
        int[] targets = RandomData.Targets(random, positions, classes, withIgnored: true, ignoreIndex: -100);
        T[] weight = TensorSpanSuite<T>.Convert(RandomData.Weights(random, classes));
        T[] probabilities = TensorSpanSuite<T>.Convert(RandomData.Probabilities(random, positions, classes));
        T eps = T.CreateTruncating(0.1);
        ClassAxisLayout inputs = layout == ClassAxisLayout.Mixed ? ClassAxisLayout.Contiguous : layout;
        ClassAxisLayout outputs = layout == ClassAxisLayout.Mixed ? ClassAxisLayout.Permuted : layout;
        ClassAxisLayout targetLayout = layout == ClassAxisLayout.Mixed ? ClassAxisLayout.Padded : layout;
        Laid x = Laid.Of(logits, shape, inputs);
        Laid q = Laid.Of(probabilities, shape, targetLayout);
        string context = $"shape [{string.Join(", ", shape)}], {layout}, seed {RandomData.RunSeed}/{seed}";

        foreach (bool log in new[] { true, false })
        {
            T[] dense = TensorSpanSuite<T>.Poisoned(positions * classes);
            Laid laid = Laid.Output(shape, outputs);
            if (log)
            {
                spans.LogSoftmax(logits, classes, dense);
                tensors.LogSoftmax(x.Tensor, laid.Tensor);
            }
            else
            {
                spans.Softmax(logits, classes, dense);
                tensors.Softmax(x.Tensor, laid.Tensor);
            }

            laid.AssertElements(dense, $"{(log ? "LogSoftmax" : "Softmax")}, {context}");
        }

        T[] gatheredDense = TensorSpanSuite<T>.Poisoned(positions);
        T[] gathered = TensorSpanSuite<T>.Poisoned(positions);
        spans.GatherTargets(logits, classes, targets, gatheredDense, -100);
        tensors.GatherTargets(x.Tensor, targets, gathered, -100);
        TensorSpanSuite<T>.AssertSameBits(gatheredDense, gathered, $"GatherTargets, {context}");

        foreach (Reduction reduction in new[] { Reduction.Mean, Reduction.Sum })
        {
            T dense = spans.CrossEntropy(logits, classes, targets, eps, reduction, -100, weight);
            Close(dense, tensors.CrossEntropy(x.Tensor, targets, eps, reduction, -100, weight), $"CrossEntropy {reduction}, {context}");
            double oracle = Oracle.Hard(Wide(logits), classes, targets, 0.1, reduction, -100, Wide(weight)).Loss;
            if (!double.IsNaN(oracle))
            {
                Tolerance.Close(oracle, double.CreateTruncating(dense), typeof(T) == typeof(float), Quantity.WideLoss, $"CrossEntropy {reduction} against the oracle, {context}");
            }

            TensorSpanSuite<T>.AssertSameBits(
                spans.CrossEntropy(logits, classes, probabilities, eps, reduction, weight),
                tensors.CrossEntropy(x.Tensor, q.Tensor, eps, reduction, weight),
                $"CrossEntropy (probabilities) {reduction}, {context}");
        }

        T[] lossesDense = TensorSpanSuite<T>.Poisoned(positions);
        T[] losses = TensorSpanSuite<T>.Poisoned(positions);
        spans.CrossEntropy(logits, classes, targets, lossesDense, eps, -100, weight);
        tensors.CrossEntropy(x.Tensor, targets, losses, eps, -100, weight);
        Close(lossesDense, losses, $"per-position CrossEntropy, {context}");
        spans.CrossEntropy(logits, classes, probabilities, lossesDense, eps, weight);
        tensors.CrossEntropy(x.Tensor, q.Tensor, losses, eps, weight);
        TensorSpanSuite<T>.AssertSameBits(lossesDense, losses, $"per-position CrossEntropy (probabilities), {context}");

        foreach (bool inPlace in new[] { false, true })
        {
            foreach (bool hard in new[] { true, false })
            {
                T[] gradientDense = inPlace ? (T[])logits.Clone() : TensorSpanSuite<T>.Poisoned(positions * classes);
                Laid gradient = inPlace ? Laid.Of(logits, shape, inputs) : Laid.Output(shape, outputs);
                ReadOnlyTensorSpan<T> input = inPlace ? gradient.Tensor : x.Tensor;
                T lossDense = hard
                    ? spans.CrossEntropyWithGradient(inPlace ? gradientDense : logits, classes, targets, gradientDense, eps, Reduction.Mean, -100, weight)
                    : spans.CrossEntropyWithGradient(inPlace ? gradientDense : logits, classes, probabilities, gradientDense, eps, Reduction.Sum, weight);
                T loss = hard
                    ? tensors.CrossEntropyWithGradient(input, targets, gradient.Tensor, eps, Reduction.Mean, -100, weight)
                    : tensors.CrossEntropyWithGradient(input, q.Tensor, gradient.Tensor, eps, Reduction.Sum, weight);
                string name = $"CrossEntropyWithGradient ({(hard ? "class index" : "probabilities")}), in place {inPlace}, {context}";
                if (hard)
                {
                    Close(lossDense, loss, name);
                    gradient.AssertElements(gradientDense, name, close: true);
                }
                else
                {
                    TensorSpanSuite<T>.AssertSameBits(lossDense, loss, name);
                    gradient.AssertElements(gradientDense, name);
                }
            }
        }

        x.AssertGaps($"logits, {context}");
        q.AssertGaps($"target probabilities, {context}");
        Backwards(spans, tensors, logits, x, shape, outputs, context);
        TrainingLoss(logits, targets, probabilities, weight, x, q, shape, inputs, outputs, context);
    }

    /// <summary>The softmax backwards (in place on the output gradient too) and ArgMax.</summary>
    private static void Backwards(ILsrApi<T> spans, ITensorApi<T> tensors, T[] logits, Laid x, int[] shape, ClassAxisLayout outputs, string context)
    {
        int classes = shape[1];
        int positions = Positions(shape);
        T[] gy = TensorSpanSuite<T>.Convert(RandomData.Normal(RandomData.For(positions, classes, 73), positions * classes, 1));
        foreach (bool log in new[] { true, false })
        {
            string name = log ? "LogSoftmaxBackward" : "SoftmaxBackward";
            T[] y = TensorSpanSuite<T>.Poisoned(positions * classes);
            if (log)
            {
                spans.LogSoftmax(logits, classes, y);
            }
            else
            {
                spans.Softmax(logits, classes, y);
            }

            Laid output = Laid.Of(y, shape, ClassAxisLayout.Padded);
            foreach (bool inPlace in new[] { false, true })
            {
                Laid outputGradient = Laid.Of(gy, shape, outputs);
                T[] dense = inPlace ? (T[])gy.Clone() : TensorSpanSuite<T>.Poisoned(positions * classes);
                Laid inputGradient = inPlace ? outputGradient : Laid.Output(shape, ClassAxisLayout.Contiguous);
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

                inputGradient.AssertElements(dense, $"{name}, in place {inPlace}, {context}");
                output.AssertGaps($"{name} output, {context}");
            }
        }

        int[] predictionsDense = new int[positions];
        int[] predictions = new int[positions];
        Array.Fill(predictions, -1);
        spans.ArgMax(logits, classes, predictionsDense);
        tensors.ArgMax(x.Tensor, predictions);
        Assert.Equal(predictionsDense, predictions);
    }

    /// <summary>Every <see cref="CrossEntropyLoss{T}"/> pass with every option on, and every per-position output.</summary>
    private static void TrainingLoss(
        T[] logits, int[] targets, T[] probabilities, T[] weight, Laid x, Laid q, int[] shape, ClassAxisLayout inputs, ClassAxisLayout outputs,
        string context)
    {
        int classes = shape[1];
        int positions = Positions(shape);
        var loss = new CrossEntropyLoss<T>(classes)
        {
            LabelSmoothing = T.CreateTruncating(0.1),
            Weight = weight,
            ZLossScale = T.CreateTruncating(1e-3),
            Softcap = T.CreateTruncating(4),
            Temperature = T.CreateTruncating(1.5),
            EntropyScale = T.CreateTruncating(0.01),
        };
        T[] upstream = TensorSpanSuite<T>.Convert(RandomData.Normal(RandomData.For(positions, classes, 71), positions, 1));
        T[] entropyGradients = TensorSpanSuite<T>.Convert(RandomData.Normal(RandomData.For(positions, classes, 72), positions, 1));

        TensorSpanSuite<T>.AssertSameBits(loss.Forward(logits, targets), loss.Forward(x.Tensor, targets), $"Loss.Forward, {context}");
        TensorSpanSuite<T>.AssertSameBits(loss.Forward(logits, probabilities), loss.Forward(x.Tensor, q.Tensor), $"Loss.Forward (probabilities), {context}");
        foreach (bool hard in new[] { true, false })
        {
            string kind = hard ? "class index" : "probabilities";
            var dense = PerPosition.Poisoned(positions);
            var laid = PerPosition.Poisoned(positions);
            if (hard)
            {
                loss.Forward(logits, targets, dense.Losses, dense.LogSumExp, dense.Entropy, dense.Predictions);
                loss.Forward(x.Tensor, targets, laid.Losses, laid.LogSumExp, laid.Entropy, laid.Predictions);
            }
            else
            {
                loss.Forward(logits, probabilities, dense.Losses, dense.LogSumExp, dense.Entropy, dense.Predictions);
                loss.Forward(x.Tensor, q.Tensor, laid.Losses, laid.LogSumExp, laid.Entropy, laid.Predictions);
            }

            dense.AssertSame(laid, $"Loss.Forward per position ({kind}), {context}");

            T[] gradientDense = TensorSpanSuite<T>.Poisoned(positions * classes);
            Laid gradient = Laid.Output(shape, outputs);
            var fusedDense = PerPosition.Poisoned(positions);
            var fusedLaid = PerPosition.Poisoned(positions);
            T totalDense = hard
                ? loss.ForwardBackward(logits, targets, gradientDense, fusedDense.Losses, fusedDense.LogSumExp, fusedDense.Entropy, fusedDense.Predictions)
                : loss.ForwardBackward(logits, probabilities, gradientDense, fusedDense.Losses, fusedDense.LogSumExp, fusedDense.Entropy, fusedDense.Predictions);
            T total = hard
                ? loss.ForwardBackward(x.Tensor, targets, gradient.Tensor, fusedLaid.Losses, fusedLaid.LogSumExp, fusedLaid.Entropy, fusedLaid.Predictions)
                : loss.ForwardBackward(x.Tensor, q.Tensor, gradient.Tensor, fusedLaid.Losses, fusedLaid.LogSumExp, fusedLaid.Entropy, fusedLaid.Predictions);
            TensorSpanSuite<T>.AssertSameBits(totalDense, total, $"Loss.ForwardBackward ({kind}), {context}");
            gradient.AssertElements(gradientDense, $"Loss.ForwardBackward ({kind}), {context}");
            fusedDense.AssertSame(fusedLaid, $"Loss.ForwardBackward per position ({kind}), {context}");

            gradientDense = (T[])logits.Clone();
            gradient = Laid.Of(logits, shape, inputs);
            if (hard)
            {
                loss.Backward(gradientDense, targets, dense.LogSumExp, upstream, gradientDense, entropyGradients);
                loss.Backward(gradient.Tensor, targets, laid.LogSumExp, upstream, gradient.Tensor, entropyGradients);
            }
            else
            {
                loss.Backward(gradientDense, probabilities, dense.LogSumExp, upstream, gradientDense, entropyGradients);
                loss.Backward(gradient.Tensor, q.Tensor, laid.LogSumExp, upstream, gradient.Tensor, entropyGradients);
            }

            gradient.AssertElements(gradientDense, $"Loss.Backward in place ({kind}), {context}");
        }
    }

    /// <summary>
    /// Class-index results within section 6's bounds of the rows' (the class-plane blocks may serve a layout whose rows
    /// run in another shape, and add the losses in another order); NaN exactly where the rows have NaN.
    /// </summary>
    public static void Close(T expected, T actual, string context)
        => Tolerance.Close(double.CreateTruncating(expected), double.CreateTruncating(actual), typeof(T) == typeof(float), Quantity.Other, context);

    public static void Close(T[] expected, T[] actual, string context)
        => Tolerance.Close(Wide(expected), Wide(actual), typeof(T) == typeof(float), Quantity.Other, context);

    public static int Positions(int[] shape) => shape.Where((_, d) => d != 1).Aggregate(1, (a, b) => a * b);

    private static double[] Wide(T[] values) => Array.ConvertAll(values, double.CreateTruncating);

    /// <summary>The four per-position outputs, NaN- (or -1-) poisoned.</summary>
    private sealed record PerPosition(T[] Losses, T[] LogSumExp, T[] Entropy, int[] Predictions)
    {
        public static PerPosition Poisoned(int positions)
            => new(TensorSpanSuite<T>.Poisoned(positions), TensorSpanSuite<T>.Poisoned(positions), TensorSpanSuite<T>.Poisoned(positions), Enumerable.Repeat(-1, positions).ToArray());

        public void AssertSame(PerPosition other, string context)
        {
            TensorSpanSuite<T>.AssertSameBits(Losses, other.Losses, $"{context}, losses");
            TensorSpanSuite<T>.AssertSameBits(LogSumExp, other.LogSumExp, $"{context}, logSumExp");
            TensorSpanSuite<T>.AssertSameBits(Entropy, other.Entropy, $"{context}, entropy");
            Assert.Equal(Predictions, other.Predictions);
        }
    }

    /// <summary>
    /// A tensor of the given shape in a backing array laid out as <see cref="ClassAxisLayout"/> says; the gaps hold a
    /// marker (NaN for an input, the sentinel for an output). Element (position p, class c) is dense row p's class c.
    /// </summary>
    public sealed class Laid
    {
        private readonly int[] _shape;
        private readonly nint[] _strides;
        private readonly bool[] _used;

        private Laid(int[] shape, ClassAxisLayout layout, T marker)
        {
            _shape = shape;
            int rank = shape.Length;
            int[] order = layout switch
            {
                ClassAxisLayout.ChannelsLast => [0, .. Enumerable.Range(2, rank - 2), 1],
                ClassAxisLayout.Permuted => [2, 0, 1, .. Enumerable.Range(3, rank - 3)],
                _ => [.. Enumerable.Range(0, rank)],
            };
            bool gaps = layout is ClassAxisLayout.Padded or ClassAxisLayout.Permuted;
            _strides = new nint[rank];
            long stride = 1;
            for (int i = rank - 1; i >= 0; i--)
            {
                int d = order[i];
                _strides[d] = shape[d] <= 1 ? 0 : (nint)stride;
                stride *= shape[d] + (gaps ? 1 + (d % 2) : 0);
            }

            Data = new T[Math.Max(1, stride)];
            Data.AsSpan().Fill(marker);
            _used = new bool[Data.Length];
            Marker = marker;
        }

        public T[] Data { get; }

        public T Marker { get; }

        public TensorSpan<T> Tensor => new(Data, [.. _shape.Select(l => (nint)l)], _strides);

        public static Laid Of(T[] dense, int[] shape, ClassAxisLayout layout)
        {
            var laid = new Laid(shape, layout, T.NaN);
            laid.Visit((offset, flat) =>
            {
                laid.Data[offset] = dense[flat];
                laid._used[offset] = true;
            });
            return laid;
        }

        public static Laid Output(int[] shape, ClassAxisLayout layout)
        {
            var laid = new Laid(shape, layout, Sentinel);
            laid.Visit((offset, _) =>
            {
                laid.Data[offset] = T.NaN;
                laid._used[offset] = true;
            });
            return laid;
        }

        /// <summary>Every element equals dense row p's class c bit for bit (or within the bounds), and the gaps are unchanged.</summary>
        public void AssertElements(T[] dense, string context, bool close = false)
        {
            Visit((offset, flat) =>
            {
                string at = $"{context}, position {flat / _shape[1]}, class {flat % _shape[1]}";
                if (close)
                {
                    Close(dense[flat], Data[offset], at);
                }
                else
                {
                    TensorSpanSuite<T>.AssertSameBits(dense[flat], Data[offset], at);
                }
            });
            AssertGaps(context);
        }

        public void AssertGaps(string context)
        {
            for (int i = 0; i < Data.Length; i++)
            {
                T value = Data[i];
                Assert.True(_used[i] || value.Equals(Marker) || (T.IsNaN(Marker) && T.IsNaN(value)), $"{context}: gap element {i} changed to {value}.");
            }
        }

        // Calls visit(offset in Data, index in the dense (P, C) rows) for every element.
        private void Visit(Action<long, int> visit)
        {
            int rank = _shape.Length;
            int classes = _shape[1];
            int positions = Positions(_shape);
            var index = new int[rank];
            for (int p = 0; p < positions; p++)
            {
                int rest = p;
                for (int d = rank - 1; d >= 0; d--)
                {
                    if (d == 1)
                    {
                        continue;
                    }

                    index[d] = rest % _shape[d];
                    rest /= _shape[d];
                }

                long offset = 0;
                for (int d = 0; d < rank; d++)
                {
                    offset += d == 1 ? 0 : (long)index[d] * _strides[d];
                }

                for (int c = 0; c < classes; c++)
                {
                    visit(offset + ((long)c * _strides[1]), (p * classes) + c);
                }
            }
        }
    }
}
