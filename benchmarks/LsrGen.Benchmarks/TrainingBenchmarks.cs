using System;
using BenchmarkDotNet.Attributes;

namespace LsrGen.Benchmarks;

/// <summary>
/// CrossEntropyLoss's training-loop members against the plain fused pass they extend (labelSmoothing 0.1, mean, float,
/// one thread; K = 10 routes to the generated kernel). Ratios: Backward / ForwardBackward, soft-cap and z-loss /
/// ForwardBackward (Backward with soft-cap / Backward), per-row Forward / LsrKernels' per-row CrossEntropy, Backward /
/// CopyFloor (copying the logits into the gradient: the memory floor of Backward's one pass).
/// </summary>
[MemoryDiagnoser]
public class Training
{
    private CrossEntropyLoss<float> _plain = null!;
    private CrossEntropyLoss<float> _softcap = null!;
    private CrossEntropyLoss<float> _zLoss = null!;
    private float[] _losses = null!;
    private float[] _logSumExp = null!;
    private float[] _cappedLogSumExp = null!;
    private float[] _lossGradients = null!;

    [ParamsSource(nameof(ClassCounts))]
    public int K { get; set; }

    /// <summary>The K values to run: LSRGEN_K when set, else 10, 1000 and 32000.</summary>
    public static int[] ClassCounts => Workload.ClassCounts(10, 1000, 32000);

    private Workload W { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        W = new Workload(K, seed: 20261202 + K);
        _plain = new CrossEntropyLoss<float>(K) { LabelSmoothing = Workload.LabelSmoothing };
        _softcap = new CrossEntropyLoss<float>(K) { LabelSmoothing = Workload.LabelSmoothing, Softcap = 30 };
        _zLoss = new CrossEntropyLoss<float>(K) { LabelSmoothing = Workload.LabelSmoothing, ZLossScale = 1e-4f };
        _losses = new float[W.Rows];
        _logSumExp = new float[W.Rows];
        _lossGradients = new float[W.Rows];
        System.Array.Fill(_lossGradients, 1f / W.Rows);
        _plain.Forward(W.Logits, W.Targets, _losses, _logSumExp);
        _cappedLogSumExp = new float[W.Rows];
        _softcap.Forward(W.Logits, W.Targets, _losses, _cappedLogSumExp);
    }

    [Benchmark(Baseline = true)]
    public float ForwardBackward() => _plain.ForwardBackward(W.Logits, W.Targets, W.Gradient);

    [Benchmark]
    public void Backward() => _plain.Backward(W.Logits, W.Targets, _logSumExp, _lossGradients, W.Gradient);

    /// <summary>
    /// Backward's memory floor: the same bytes read (the logits) and written (the gradient) with no arithmetic. Where
    /// Backward measures at this floor, no rewrite of its arithmetic can make it faster.
    /// </summary>
    [Benchmark]
    public void CopyFloor() => W.Logits.AsSpan().CopyTo(W.Gradient);

    [Benchmark]
    public void BackwardSoftcap() => _softcap.Backward(W.Logits, W.Targets, _cappedLogSumExp, _lossGradients, W.Gradient);

    [Benchmark]
    public float ForwardBackwardSoftcap() => _softcap.ForwardBackward(W.Logits, W.Targets, W.Gradient);

    [Benchmark]
    public float ForwardBackwardZLoss() => _zLoss.ForwardBackward(W.Logits, W.Targets, W.Gradient);

    [Benchmark]
    public float ForwardSoftcap() => _softcap.Forward(W.Logits, W.Targets);

    [Benchmark]
    public float Forward() => _plain.Forward(W.Logits, W.Targets);

    [Benchmark]
    public void ForwardPerRow() => _plain.Forward(W.Logits, W.Targets, _losses, _logSumExp);

    [Benchmark]
    public void LsrKernelsPerRow() => LsrKernels.CrossEntropy(W.Logits, K, W.Targets, _losses, Workload.LabelSmoothing);
}
