using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace LsrGen.Benchmarks;

/// <summary>
/// The same loss over other memory layouts, beside the float span path: a dense tensor span, rows padded to a
/// multiple of 64 columns (llm.c pads 50,257 to 50,304), and Half logits. One thread; N from <see cref="Workload.RowsFor"/>.
/// </summary>
public abstract class LayoutBenchmark
{
    [Params(1000, 32000, 50257)]
    public int K { get; set; }

    protected Workload W { get; private set; } = null!;

    protected int Stride { get; private set; }

    protected float[] Padded { get; private set; } = null!;

    protected float[] PaddedGradient { get; private set; } = null!;

    protected Half[] HalfLogits { get; private set; } = null!;

    protected Half[] HalfGradient { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        W = new Workload(K, seed: 20261202 + K);
        Stride = (K + 64) / 64 * 64; // always padded, by 1 to 64 columns
        Padded = new float[W.Rows * Stride];
        PaddedGradient = new float[W.Rows * Stride];
        for (int row = 0; row < W.Rows; row++)
        {
            W.Logits.AsSpan(row * K, K).CopyTo(Padded.AsSpan(row * Stride));
        }

        HalfLogits = Array.ConvertAll(W.Logits, v => (Half)v);
        HalfGradient = new Half[HalfLogits.Length];
    }

    protected ReadOnlyTensorSpan<float> DenseTensor => new(W.Logits, [W.Rows, K], [K, 1]);

    protected ReadOnlyTensorSpan<float> PaddedTensor => new(Padded, [W.Rows, K], [Stride, 1]);
}

/// <summary>Reduced loss (labelSmoothing 0.1, mean) per layout.</summary>
[MemoryDiagnoser]
public class LayoutForward : LayoutBenchmark
{
    [Benchmark(Baseline = true)]
    public float FloatSpan() => LsrKernels.CrossEntropy(W.Logits, K, W.Targets, Workload.LabelSmoothing);

    [Benchmark]
    public float FloatTensorDense() => LsrKernels.CrossEntropy(DenseTensor, W.Targets, Workload.LabelSmoothing);

    [Benchmark]
    public float FloatTensorPadded() => LsrKernels.CrossEntropy(PaddedTensor, W.Targets, Workload.LabelSmoothing);

    [Benchmark]
    public float Half() => LsrKernels.CrossEntropy(HalfLogits, K, W.Targets, Workload.LabelSmoothing);
}

/// <summary>Fused loss and gradient (labelSmoothing 0.1, mean) per layout.</summary>
[MemoryDiagnoser]
public class LayoutForwardBackward : LayoutBenchmark
{
    [Benchmark(Baseline = true)]
    public float FloatSpan() => LsrKernels.CrossEntropyWithGradient(W.Logits, K, W.Targets, W.Gradient, Workload.LabelSmoothing);

    [Benchmark]
    public float FloatTensorDense()
        => LsrKernels.CrossEntropyWithGradient(DenseTensor, W.Targets, new TensorSpan<float>(W.Gradient, [W.Rows, K], [K, 1]), Workload.LabelSmoothing);

    [Benchmark]
    public float FloatTensorPadded()
        => LsrKernels.CrossEntropyWithGradient(PaddedTensor, W.Targets, new TensorSpan<float>(PaddedGradient, [W.Rows, K], [Stride, 1]), Workload.LabelSmoothing);

    [Benchmark]
    public float Half() => LsrKernels.CrossEntropyWithGradient(HalfLogits, K, W.Targets, HalfGradient, Workload.LabelSmoothing);
}
