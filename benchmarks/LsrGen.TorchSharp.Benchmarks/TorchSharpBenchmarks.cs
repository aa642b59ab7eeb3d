using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using LsrGen.Contract;
using LsrGen.Shapes.RowLoops;
using TorchSharp;
using static TorchSharp.torch;

namespace LsrGen.Benchmarks;

/// <summary>
/// One K's workload (the main benchmarks' data: normal(0, 3) logits, uniform targets, N from <see cref="Workload.RowsFor"/>)
/// as LsrGen's spans and as libtorch tensors over the same values; one thread each.
/// </summary>
public abstract class TorchSharpComparison
{
    [ParamsSource(nameof(ClassCounts))]
    public int K { get; set; }

    public static IEnumerable<int> ClassCounts => [3, 10, 100, 1000, 32000];

    protected Workload W { get; private set; } = null!;

    protected Tensor Logits { get; private set; } = null!;

    protected Tensor Targets { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        W = new Workload(K, seed: 20261128 + K);
        LsrKernels.MaxDegreeOfParallelism = 1;
        torch.set_num_threads(1);
        Logits = torch.tensor(W.Logits, [W.Rows, K]);
        Targets = LibTorch.Targets(W.Targets);
        Prepare();

        // Both sides compute the same loss on the same values, or the comparison means nothing.
        float lsrGen = LsrKernels.CrossEntropy(W.Logits, K, W.Targets, Workload.LabelSmoothing);
        float libtorch = LibTorch.Loss(Logits, Targets);

        if (System.MathF.Abs(lsrGen - libtorch) > 1e-4f * System.MathF.Abs(libtorch))
        {
            throw new System.InvalidOperationException($"K = {K}: LsrGen's loss {lsrGen} and libtorch's {libtorch} differ.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Logits.Dispose();
        Targets.Dispose();
    }

    protected virtual void Prepare()
    {
    }
}

/// <summary>The reduced loss (label smoothing 0.1, mean), float.</summary>
[MemoryDiagnoser]
public class TorchSharpForward : TorchSharpComparison
{
    [Benchmark(Baseline = true)]
    public float TorchSharp() => LibTorch.Loss(Logits, Targets);

    [Benchmark]
    public float Generated() => K switch
    {
        3 => K3.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        10 => K10.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        100 => K100.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        1000 => K1000.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
        _ => K32000.CrossEntropy(W.Logits, W.Targets, Workload.LabelSmoothing),
    };

    /// <summary>LsrKernels without a declaration for K (routing bypassed).</summary>
    [Benchmark]
    public float Generic()
        => LsrKernelRunner<float, GenericRowKernel>.CrossEntropy(W.Logits, K, W.Targets, Workload.LabelSmoothing, Reduction.Mean, -100, default);

    [Benchmark]
    public float TensorPrimitivesRowWise() => Peers.TensorPrimitivesForward(W.Logits, K, W.Targets, Workload.LabelSmoothing, W.Scratch);

    /// <summary>Vector512.Exp over the N * K logits and a log per row: what an exp-bound loss cannot beat with the BCL's exp.</summary>
    [Benchmark]
    public float ExpFloor() => Peers.ExpFloor(W.Logits, W.Rows);
}

/// <summary>The reduced loss and its gradient with respect to the logits (label smoothing 0.1, mean), float.</summary>
[MemoryDiagnoser]
public class TorchSharpForwardBackward : TorchSharpComparison
{
    private Tensor _trainable = null!;

    [Benchmark(Baseline = true)]
    public float TorchSharp() => LibTorch.LossWithGradient(_trainable, Targets);

    [Benchmark]
    public float Generated() => K switch
    {
        3 => K3.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        10 => K10.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        100 => K100.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        1000 => K1000.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
        _ => K32000.CrossEntropyWithGradient(W.Logits, W.Targets, W.Gradient, Workload.LabelSmoothing),
    };

    /// <summary>LsrKernels without a declaration for K (routing bypassed).</summary>
    [Benchmark]
    public float Generic()
        => LsrKernelRunner<float, GenericRowKernel>.CrossEntropyWithGradient(W.Logits, K, W.Targets, W.Gradient, Workload.LabelSmoothing, Reduction.Mean, -100, default);

    [Benchmark]
    public float TensorPrimitivesRowWise() => Peers.TensorPrimitivesWithGradient(W.Logits, K, W.Targets, Workload.LabelSmoothing, W.Gradient);

    /// <summary>Vector512.Exp over the N * K logits and a log per row.</summary>
    [Benchmark]
    public float ExpFloor() => Peers.ExpFloor(W.Logits, W.Rows);

    protected override void Prepare() => _trainable = Logits.detach().requires_grad_();
}

/// <summary>libtorch's side of every comparison, written once.</summary>
internal static class LibTorch
{
    /// <summary>The targets as the int64 tensor <c>F.cross_entropy</c> takes.</summary>
    public static Tensor Targets(int[] targets)
    {
        long[] wide = new long[targets.Length];
        for (int i = 0; i < targets.Length; i++)
        {
            wide[i] = targets[i];
        }

        return torch.tensor(wide, [targets.Length]);
    }

    /// <summary>The reduced loss (label smoothing 0.1, mean).</summary>
    public static float Loss(Tensor logits, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        return nn.functional.cross_entropy(logits, targets, label_smoothing: Workload.LabelSmoothing).item<float>();
    }

    /// <summary>The reduced loss and its gradient into <paramref name="trainable"/>.grad.</summary>
    public static float LossWithGradient(Tensor trainable, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        trainable.grad = null;   // as an optimizer's zero_grad(set_to_none=True) leaves it
        Tensor loss = nn.functional.cross_entropy(trainable, targets, label_smoothing: Workload.LabelSmoothing);
        loss.backward();
        return loss.item<float>();
    }
}
