using System;
using BenchmarkDotNet.Attributes;

namespace LsrGen.Benchmarks;

/// <summary>
/// Soft-capped gradients where most logits lie past the cap (normal(0, 60) logits, cap 30: most at 1-4 c), beside
/// Training's soft-cap rows (normal(0, 3), all within the cap's polynomial range). K = 24 runs the gathered blocks
/// (no generated kernel), K = 1000 the row loops (labelSmoothing 0.1, mean, float, one thread).
/// </summary>
[MemoryDiagnoser]
public class SoftcapFar
{
    private CrossEntropyLoss<float> _softcap = null!;
    private float[] _logits = null!;
    private float[] _logSumExp = null!;
    private float[] _losses = null!;
    private float[] _lossGradients = null!;

    [Params(24, 1000)]
    public int K { get; set; }

    private Workload W { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        W = new Workload(K, seed: 20261207 + K);
        _logits = Array.ConvertAll(W.Logits, v => v * 20);
        _softcap = new CrossEntropyLoss<float>(K) { LabelSmoothing = Workload.LabelSmoothing, Softcap = 30 };
        _losses = new float[W.Rows];
        _logSumExp = new float[W.Rows];
        _lossGradients = new float[W.Rows];
        Array.Fill(_lossGradients, 1f / W.Rows);
        _softcap.Forward(_logits, W.Targets, _losses, _logSumExp);
    }

    [Benchmark(Baseline = true)]
    public float ForwardBackwardSoftcap() => _softcap.ForwardBackward(_logits, W.Targets, W.Gradient);

    [Benchmark]
    public void BackwardSoftcap() => _softcap.Backward(_logits, W.Targets, _logSumExp, _lossGradients, W.Gradient);
}
