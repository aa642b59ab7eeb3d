using BenchmarkDotNet.Attributes;
using LsrGen.Calls;
using LsrGen.Contract;
using LsrGen.LossMath;
using LsrGen.Routing;
using LsrGen.Scheduling;
using LsrGen.Shapes.GatheredBlocks;
using LsrGen.Shapes.GeneratedBlocks;
using LsrGen.Shapes.LaneRows;
using LsrGen.Shapes.RowLoops;
using LsrGen.Sharding;

namespace LsrGen.Benchmarks;

/// <summary>The class counts, one thread, and a fresh workload per K (N from <see cref="Workload.RowsFor"/>).</summary>
public abstract class ClassCountBenchmark
{
    [ParamsSource(nameof(ClassCounts))]
    public int K { get; set; }

    /// <summary>The K values to run: LSRGEN_K (for example "3,10,1000") when set, else all of them.</summary>
    public static int[] ClassCounts => Workload.ClassCounts(3, 10, 17, 32, 50, 100, 200, 1000, 32000);

    protected Workload W { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        W = new Workload(K, seed: 20261128 + K);
    }
}

/// <summary>Reduced loss (labelSmoothing 0.1, mean), float, one thread.</summary>
[MemoryDiagnoser]
public class Forward : ClassCountBenchmark
{
    [Benchmark]
    public float SeedPort() => Peers.SeedPort(W.Logits, K, W.Targets, Workload.LabelSmoothing);

    [Benchmark(Baseline = true)]
    public float TensorPrimitivesRowWise() => Peers.TensorPrimitivesForward(W.Logits, K, W.Targets, Workload.LabelSmoothing, W.Scratch);

    /// <summary>The generic path: no declaration for K (routing bypassed, so K's generated kernel is not used).</summary>
    [Benchmark]
    public float RuntimeGeneric()
        => LsrKernelRunner<float, GenericRowKernel>.CrossEntropy(W.Logits, K, W.Targets, Workload.LabelSmoothing, Reduction.Mean, -100, default);

    [Benchmark]
    public float Generated() => K switch
    {
        3 => K3.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        10 => K10.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        17 => K17.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        32 => K32.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        50 => K50.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        100 => K100.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        200 => K200.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        1000 => K1000.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        _ => K32000.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
    };

    [Benchmark]
    public float Routed() => LsrKernels.CrossEntropy(W.Logits, K, W.Targets, Workload.LabelSmoothing);

    [Benchmark]
    public float ExpFloor() => Peers.ExpFloor(W.Logits, W.Rows);

    [Benchmark]
    public float ReadFloor() => Peers.ReadFloor(W.Logits);
}

/// <summary>Fused loss and gradient (labelSmoothing 0.1, mean), float, one thread.</summary>
[MemoryDiagnoser]
public class ForwardBackward : ClassCountBenchmark
{
    [Benchmark(Baseline = true)]
    public float TensorPrimitivesRowWise() => Peers.TensorPrimitivesWithGradient(W.Logits, K, W.Targets, Workload.LabelSmoothing, W.Gradient);

    /// <summary>The generic path: no declaration for K (routing bypassed, so K's generated kernel is not used).</summary>
    [Benchmark]
    public float RuntimeGeneric()
        => LsrKernelRunner<float, GenericRowKernel>.CrossEntropyWithGradient(W.Logits, K, W.Targets, W.Gradient, Workload.LabelSmoothing, Reduction.Mean, -100, default);

    [Benchmark]
    public float Generated() => K switch
    {
        3 => K3.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        10 => K10.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        17 => K17.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        32 => K32.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        50 => K50.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        100 => K100.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        200 => K200.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        1000 => K1000.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        _ => K32000.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
    };

    [Benchmark]
    public float Routed() => LsrKernels.CrossEntropyWithGradient(W.Logits, K, W.Targets, W.Gradient, Workload.LabelSmoothing);

    [Benchmark]
    public float ExpFloor() => Peers.ExpFloor(W.Logits, W.Rows);

    [Benchmark]
    public float ReadFloor() => Peers.ReadFloor(W.Logits);
}
