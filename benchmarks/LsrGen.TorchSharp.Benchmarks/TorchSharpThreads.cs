using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace LsrGen.Benchmarks;

/// <summary>
/// Large work (N * K = 4M floats, K = 1000) on one thread and on both cores, LsrGen's generated kernel beside libtorch
/// given the same thread count. LsrGen's results are bit-identical at any thread count.
/// </summary>
[MemoryDiagnoser]
public class TorchSharpThreads
{
    private const int Classes = 1000;
    private const int Rows = 4096;

    private float[] _logits = null!;
    private int[] _targets = null!;
    private float[] _gradient = null!;
    private Tensor _logitsTensor = null!;
    private Tensor _trainable = null!;
    private Tensor _targetsTensor = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = Threads;
        torch.set_num_threads(Threads);
        var w = new Workload(Classes, seed: 4096);
        _logits = new float[Rows * Classes];
        _targets = new int[Rows];
        for (int i = 0; i < Rows / w.Rows; i++)
        {
            w.Logits.CopyTo(_logits, i * w.Logits.Length);
            w.Targets.CopyTo(_targets, i * w.Targets.Length);
        }

        _gradient = new float[_logits.Length];
        _logitsTensor = torch.tensor(_logits, [Rows, Classes]);
        _trainable = _logitsTensor.detach().requires_grad_();
        _targetsTensor = LibTorch.Targets(_targets);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logitsTensor.Dispose();
        _trainable.Dispose();
        _targetsTensor.Dispose();
    }

    [Benchmark]
    public float Generated() => K1000.CrossEntropy(_logits, _targets, Workload.LabelSmoothing);

    [Benchmark]
    public float TorchSharp() => LibTorch.Loss(_logitsTensor, _targetsTensor);

    [Benchmark]
    public float GeneratedWithGradient() => K1000.CrossEntropyWithGradient(_logits, _targets, _gradient, Workload.LabelSmoothing);

    [Benchmark]
    public float TorchSharpWithGradient() => LibTorch.LossWithGradient(_trainable, _targetsTensor);
}
