using System;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace LsrGen.Benchmarks;

/// <summary>
/// The fused K = 1000 kernel on the same data placed at chosen offsets from a 64-byte boundary. Managed arrays have
/// no alignment guarantee, so each BenchmarkDotNet process gets its own placement: this shows how far that alone
/// moves a result (and why Generated and Routed, the same kernel, can differ within one run).
/// </summary>
[MemoryDiagnoser]
public class Alignment
{
    private const int Classes = 1000;

    private Workload _w = null!;
    private float[] _logits = null!;
    private float[] _gradient = null!;
    private int _logitsStart;
    private int _gradientStart;

    /// <summary>Floats past a 64-byte boundary where the logits start.</summary>
    [Params(0, 4, 8, 12)]
    public int LogitsOffset { get; set; }

    /// <summary>Floats past a 64-byte boundary where the gradient starts.</summary>
    [Params(0, 8)]
    public int GradientOffset { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        _w = new Workload(Classes, seed: 20261128 + Classes);
        int length = _w.Logits.Length;

        // Pinned, so the boundary found here stays where it is.
        _logits = GC.AllocateArray<float>(length + 16 + LogitsOffset, pinned: true);
        _gradient = GC.AllocateArray<float>(length + 16 + GradientOffset, pinned: true);
        _logitsStart = FloatsToBoundary(_logits) + LogitsOffset;
        _gradientStart = FloatsToBoundary(_gradient) + GradientOffset;
        _w.Logits.CopyTo(_logits.AsSpan(_logitsStart));
    }

    [Benchmark]
    public float Fused() => K1000.CrossEntropyWithGradient(
        _logits.AsSpan(_logitsStart, _w.Logits.Length),
        _w.Targets,
        _gradient.AsSpan(_gradientStart, _w.Logits.Length),
        Workload.LabelSmoothing);

    private static int FloatsToBoundary(float[] array)
    {
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(array, 0).ToInt64();
        return (int)((64 - (address % 64)) % 64) / sizeof(float);
    }
}
