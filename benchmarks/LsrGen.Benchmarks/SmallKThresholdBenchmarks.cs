using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LsrGen.Benchmarks.BlockShape;
using LsrGen.Benchmarks.LoopShape;

namespace LsrGen.Benchmarks;

/// <summary>
/// Where the generator's block shape (rows across lanes, class work unrolled) stops paying against the runtime's row
/// loops (each row's classes in vector loops; "Loop" below): the same K compiled both ways, float, one thread,
/// N = 4096, per operation. The ratio column is Block / Loop per operation. These results set the generator's default
/// limits (ShapeOptions).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SmallKThreshold
{
    private Workload _w = null!;
    private float[] _probabilities = null!;
    private Kernels _loop = null!;
    private Kernels _block = null!;

    [Params(16, 20, 24, 28, 32)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        _w = new Workload(K, seed: 20261128 + K);
        _probabilities = Workload.RandomProbabilities(_w.Rows, K, seed: 7 + K);
        Console.WriteLine($"// Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");
        (_loop, _block) = K switch
        {
            16 => (Kernels.Of16(loop: true), Kernels.Of16(loop: false)),
            20 => (Kernels.Of20(loop: true), Kernels.Of20(loop: false)),
            24 => (Kernels.Of24(loop: true), Kernels.Of24(loop: false)),
            28 => (Kernels.Of28(loop: true), Kernels.Of28(loop: false)),
            32 => (Kernels.Of32(loop: true), Kernels.Of32(loop: false)),
            _ => throw new InvalidOperationException(),
        };
    }

    [Benchmark(Baseline = true), BenchmarkCategory("CrossEntropy")]
    public float LoopCrossEntropy() => _loop.CrossEntropy(_w.Logits, _w.Targets, Workload.LabelSmoothing);

    [Benchmark, BenchmarkCategory("CrossEntropy")]
    public float BlockCrossEntropy() => _block.CrossEntropy(_w.Logits, _w.Targets, Workload.LabelSmoothing);

    [Benchmark(Baseline = true), BenchmarkCategory("CrossEntropyWithGradient")]
    public float LoopFused() => _loop.WithGradient(_w.Logits, _w.Targets, _w.Gradient, Workload.LabelSmoothing);

    [Benchmark, BenchmarkCategory("CrossEntropyWithGradient")]
    public float BlockFused() => _block.WithGradient(_w.Logits, _w.Targets, _w.Gradient, Workload.LabelSmoothing);

    [Benchmark(Baseline = true), BenchmarkCategory("CrossEntropy, probabilities")]
    public float LoopProbabilities() => _loop.Probabilities(_w.Logits, _probabilities, Workload.LabelSmoothing);

    [Benchmark, BenchmarkCategory("CrossEntropy, probabilities")]
    public float BlockProbabilities() => _block.Probabilities(_w.Logits, _probabilities, Workload.LabelSmoothing);

    [Benchmark(Baseline = true), BenchmarkCategory("LogSoftmax")]
    public void LoopLogSoftmax() => _loop.LogSoftmax(_w.Logits, _w.Gradient);

    [Benchmark, BenchmarkCategory("LogSoftmax")]
    public void BlockLogSoftmax() => _block.LogSoftmax(_w.Logits, _w.Gradient);

    private delegate float ClassIndexLoss(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, float labelSmoothing);

    private delegate float ClassIndexLossWithGradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> gradient, float labelSmoothing);

    private delegate float ProbabilityLoss(ReadOnlySpan<float> logits, ReadOnlySpan<float> probabilities, float labelSmoothing);

    private delegate void RowWise(ReadOnlySpan<float> logits, Span<float> destination);

    // One indirect call per invocation (tens of microseconds of work) keeps the ten kernel classes apart.
    private sealed record Kernels(ClassIndexLoss CrossEntropy, ClassIndexLossWithGradient WithGradient, ProbabilityLoss Probabilities, RowWise LogSoftmax)
    {
        public static Kernels Of16(bool loop) => loop
            ? new((l, y, e) => LoopK16.CrossEntropy(l, y, e), (l, y, g, e) => LoopK16.CrossEntropyWithGradient(l, y, g, e), (l, q, e) => LoopK16.CrossEntropy(l, q, e), LoopK16.LogSoftmax)
            : new((l, y, e) => BlockK16.CrossEntropy(l, y, e), (l, y, g, e) => BlockK16.CrossEntropyWithGradient(l, y, g, e), (l, q, e) => BlockK16.CrossEntropy(l, q, e), BlockK16.LogSoftmax);

        public static Kernels Of20(bool loop) => loop
            ? new((l, y, e) => LoopK20.CrossEntropy(l, y, e), (l, y, g, e) => LoopK20.CrossEntropyWithGradient(l, y, g, e), (l, q, e) => LoopK20.CrossEntropy(l, q, e), LoopK20.LogSoftmax)
            : new((l, y, e) => BlockK20.CrossEntropy(l, y, e), (l, y, g, e) => BlockK20.CrossEntropyWithGradient(l, y, g, e), (l, q, e) => BlockK20.CrossEntropy(l, q, e), BlockK20.LogSoftmax);

        public static Kernels Of24(bool loop) => loop
            ? new((l, y, e) => LoopK24.CrossEntropy(l, y, e), (l, y, g, e) => LoopK24.CrossEntropyWithGradient(l, y, g, e), (l, q, e) => LoopK24.CrossEntropy(l, q, e), LoopK24.LogSoftmax)
            : new((l, y, e) => BlockK24.CrossEntropy(l, y, e), (l, y, g, e) => BlockK24.CrossEntropyWithGradient(l, y, g, e), (l, q, e) => BlockK24.CrossEntropy(l, q, e), BlockK24.LogSoftmax);

        public static Kernels Of28(bool loop) => loop
            ? new((l, y, e) => LoopK28.CrossEntropy(l, y, e), (l, y, g, e) => LoopK28.CrossEntropyWithGradient(l, y, g, e), (l, q, e) => LoopK28.CrossEntropy(l, q, e), LoopK28.LogSoftmax)
            : new((l, y, e) => BlockK28.CrossEntropy(l, y, e), (l, y, g, e) => BlockK28.CrossEntropyWithGradient(l, y, g, e), (l, q, e) => BlockK28.CrossEntropy(l, q, e), BlockK28.LogSoftmax);

        public static Kernels Of32(bool loop) => loop
            ? new((l, y, e) => LoopK32.CrossEntropy(l, y, e), (l, y, g, e) => LoopK32.CrossEntropyWithGradient(l, y, g, e), (l, q, e) => LoopK32.CrossEntropy(l, q, e), LoopK32.LogSoftmax)
            : new((l, y, e) => BlockK32.CrossEntropy(l, y, e), (l, y, g, e) => BlockK32.CrossEntropyWithGradient(l, y, g, e), (l, q, e) => BlockK32.CrossEntropy(l, q, e), BlockK32.LogSoftmax);
    }
}
