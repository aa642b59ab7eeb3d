using BenchmarkDotNet.Attributes;

namespace LsrGen.Benchmarks;

/// <summary>Large work (N * K = 4M) on one thread against both cores; the results are bit-identical either way.</summary>
[MemoryDiagnoser]
public class Threads
{
    private float[] _logits = null!;
    private int[] _targets = null!;
    private float[] _gradient = null!;

    [Params(1, 2)]
    public int MaxDegreeOfParallelism { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = MaxDegreeOfParallelism;
        var w = new Workload(1000, seed: 4096);
        _targets = new int[4096];
        _logits = new float[4096 * 1000];
        for (int i = 0; i < 4; i++)
        {
            w.Logits.CopyTo(_logits, i * w.Logits.Length);
            w.Targets.CopyTo(_targets, i * w.Targets.Length);
        }

        _gradient = new float[_logits.Length];
    }

    [Benchmark]
    public float Forward() => K1000.CrossEntropy(_logits, _targets, Workload.LabelSmoothing);

    [Benchmark]
    public float ForwardBackward() => K1000.CrossEntropyWithGradient(_logits, _targets, _gradient, Workload.LabelSmoothing);
}
