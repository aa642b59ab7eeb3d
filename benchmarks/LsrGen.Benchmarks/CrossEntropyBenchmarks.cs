using BenchmarkDotNet.Attributes;
using LsrGen.Infrastructure;

namespace LsrGen.Benchmarks;

/// <summary>Reduced loss (labelSmoothing 0.1, mean), float, one thread.</summary>
[MemoryDiagnoser]
public class Forward
{
    private Workload _w = null!;

    [Params(3, 10, 100, 1000, 32000)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        _w = new Workload(K, seed: 20261128 + K);
    }

    [Benchmark]
    public float SeedPort() => Peers.SeedPort(_w.Logits, K, _w.Targets, Workload.LabelSmoothing);

    [Benchmark(Baseline = true)]
    public float TensorPrimitivesRowWise() => Peers.TensorPrimitivesForward(_w.Logits, K, _w.Targets, Workload.LabelSmoothing, _w.Scratch);

    [Benchmark]
    public float RuntimeGeneric()
        => LsrKernelRunner<float, GenericRowKernel>.CrossEntropy(_w.Logits, K, _w.Targets, Workload.LabelSmoothing, Reduction.Mean, -100, default);

    [Benchmark]
    public float Generated() => K switch
    {
        3 => K3.CrossEntropy(_w.Logits, _w.Targets, Workload.LabelSmoothing),
        10 => K10.CrossEntropy(_w.Logits, _w.Targets, Workload.LabelSmoothing),
        100 => K100.CrossEntropy(_w.Logits, _w.Targets, Workload.LabelSmoothing),
        1000 => K1000.CrossEntropy(_w.Logits, _w.Targets, Workload.LabelSmoothing),
        _ => K32000.CrossEntropy(_w.Logits, _w.Targets, Workload.LabelSmoothing),
    };

    [Benchmark]
    public float Routed() => LsrKernels.CrossEntropy(_w.Logits, K, _w.Targets, Workload.LabelSmoothing);

    [Benchmark]
    public float ExpFloor() => Peers.ExpFloor(_w.Logits, _w.Rows);

    [Benchmark]
    public float ReadFloor() => Peers.ReadFloor(_w.Logits);
}

/// <summary>Fused loss and gradient (labelSmoothing 0.1, mean), float, one thread.</summary>
[MemoryDiagnoser]
public class ForwardBackward
{
    private Workload _w = null!;

    [Params(3, 10, 100, 1000, 32000)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        _w = new Workload(K, seed: 20261128 + K);
    }

    [Benchmark(Baseline = true)]
    public float TensorPrimitivesRowWise() => Peers.TensorPrimitivesWithGradient(_w.Logits, K, _w.Targets, Workload.LabelSmoothing, _w.Gradient);

    [Benchmark]
    public float RuntimeGeneric()
        => LsrKernelRunner<float, GenericRowKernel>.CrossEntropyWithGradient(_w.Logits, K, _w.Targets, _w.Gradient, Workload.LabelSmoothing, Reduction.Mean, -100, default);

    [Benchmark]
    public float Generated() => K switch
    {
        3 => K3.CrossEntropyWithGradient(_w.Logits, _w.Targets, _w.Gradient, Workload.LabelSmoothing),
        10 => K10.CrossEntropyWithGradient(_w.Logits, _w.Targets, _w.Gradient, Workload.LabelSmoothing),
        100 => K100.CrossEntropyWithGradient(_w.Logits, _w.Targets, _w.Gradient, Workload.LabelSmoothing),
        1000 => K1000.CrossEntropyWithGradient(_w.Logits, _w.Targets, _w.Gradient, Workload.LabelSmoothing),
        _ => K32000.CrossEntropyWithGradient(_w.Logits, _w.Targets, _w.Gradient, Workload.LabelSmoothing),
    };

    [Benchmark]
    public float Routed() => LsrKernels.CrossEntropyWithGradient(_w.Logits, K, _w.Targets, _w.Gradient, Workload.LabelSmoothing);

    [Benchmark]
    public float ExpFloor() => Peers.ExpFloor(_w.Logits, _w.Rows);

    [Benchmark]
    public float ReadFloor() => Peers.ReadFloor(_w.Logits);
}
