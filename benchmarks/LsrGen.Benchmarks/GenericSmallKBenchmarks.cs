using BenchmarkDotNet.Attributes;
using LsrGen.Infrastructure;

namespace LsrGen.Benchmarks;

/// <summary>
/// Small K without a declaration: the runtime's generic path (gathered blocks) against the generated kernel of the same
/// K, reduced loss and fused loss + gradient (labelSmoothing 0.1, mean), float, one thread, N = 4096.
/// </summary>
[MemoryDiagnoser]
public class GenericSmallK
{
    [Params(3, 10, 17, 32)]
    public int K { get; set; }

    private Workload W { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        W = new Workload(K, seed: 20261202 + K);
    }

    [Benchmark(Baseline = true)]
    public float GeneratedForward() => K switch
    {
        3 => K3.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        10 => K10.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        17 => K17.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        _ => K32.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
    };

    [Benchmark]
    public float GenericForward()
        => LsrKernelRunner<float, GenericRowKernel>.CrossEntropy(W.Logits, K, W.Targets, Workload.LabelSmoothing, Reduction.Mean, -100, default);

    [Benchmark]
    public float GeneratedFused() => K switch
    {
        3 => K3.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        10 => K10.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        17 => K17.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        _ => K32.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
    };

    [Benchmark]
    public float GenericFused()
        => LsrKernelRunner<float, GenericRowKernel>.CrossEntropyWithGradient(W.Logits, K, W.Targets, W.Gradient, Workload.LabelSmoothing, Reduction.Mean, -100, default);
}
