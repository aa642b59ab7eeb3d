using BenchmarkDotNet.Attributes;
using LsrGen.Infrastructure;

namespace LsrGen.Benchmarks;

/// <summary>
/// The generated kernels against the ones LsrGen 0.1 generated for the same K (Version01/, the whole block written out
/// per operation, width and element type, with scalar leftover rows), in one run: the host moves whole runs by up to a
/// third, so "no slower than before" is only judged against an in-run baseline. Float, one thread, label smoothing 0.1,
/// mean, N = 4096.
/// </summary>
[MemoryDiagnoser]
public class Previous
{
    private Workload _w = null!;

    [Params(3, 10)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        _w = new Workload(K, seed: 20261128 + K);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public float PreviousForward() => K == 3
        ? LsrKernelRunner<float, Version01.LsrKernel3>.CrossEntropy(_w.Logits, K, _w.Targets, Workload.LabelSmoothing, Reduction.Mean, -100, default)
        : LsrKernelRunner<float, Version01.LsrKernel10>.CrossEntropy(_w.Logits, K, _w.Targets, Workload.LabelSmoothing, Reduction.Mean, -100, default);

    [Benchmark, BenchmarkCategory("Forward")]
    public float Forward() => K == 3
        ? K3.CrossEntropy(_w.Logits, _w.Targets, Workload.LabelSmoothing)
        : K10.CrossEntropy(_w.Logits, _w.Targets, Workload.LabelSmoothing);

    [Benchmark, BenchmarkCategory("Fused")]
    public float PreviousFused() => K == 3
        ? LsrKernelRunner<float, Version01.LsrKernel3>.CrossEntropyWithGradient(_w.Logits, K, _w.Targets, _w.Gradient, Workload.LabelSmoothing, Reduction.Mean, -100, default)
        : LsrKernelRunner<float, Version01.LsrKernel10>.CrossEntropyWithGradient(_w.Logits, K, _w.Targets, _w.Gradient, Workload.LabelSmoothing, Reduction.Mean, -100, default);

    [Benchmark, BenchmarkCategory("Fused")]
    public float Fused() => K == 3
        ? K3.CrossEntropyWithGradient(_w.Logits, _w.Targets, _w.Gradient, Workload.LabelSmoothing)
        : K10.CrossEntropyWithGradient(_w.Logits, _w.Targets, _w.Gradient, Workload.LabelSmoothing);
}
