using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace LsrGen.Benchmarks;

/// <summary>
/// What the version 0.3 options cost on <see cref="CrossEntropyLoss{T}"/> (label smoothing 0.1, float, one thread,
/// the main benchmarks' data): the per-row Forward with and without entropy and predictions, the fused
/// ForwardBackward with and without an entropy bonus, and either with a temperature of 0.7. libtorch's side computes
/// the same outputs the way a PyTorch loop does: <c>log_softmax</c>, <c>nll_loss</c>, the smoothing term,
/// <c>logsumexp</c>, <c>-(p * logp).sum(-1)</c> and <c>argmax</c>, and autograd for the bonus's gradient.
/// </summary>
[MemoryDiagnoser]
public class TorchSharpLossOptions
{
    private const float Bonus = 0.01f;
    private const float Temperature = 0.7f;
    private Workload _w = null!;
    private CrossEntropyLoss<float> _plain = null!;
    private CrossEntropyLoss<float> _withBonus = null!;
    private CrossEntropyLoss<float> _tempered = null!;
    private float[] _losses = null!;
    private float[] _logSumExp = null!;
    private float[] _entropy = null!;
    private int[] _predictions = null!;
    private Tensor _logits = null!;
    private Tensor _trainable = null!;
    private Tensor _targets = null!;

    [ParamsSource(nameof(ClassCounts))]
    public int K { get; set; }

    public static IEnumerable<int> ClassCounts => [10, 1000, 32000];

    [GlobalSetup]
    public void Setup()
    {
        _w = new Workload(K, seed: 20261207 + K);
        LsrKernels.MaxDegreeOfParallelism = 1;
        torch.set_num_threads(1);
        _plain = new CrossEntropyLoss<float>(K) { LabelSmoothing = Workload.LabelSmoothing };
        _withBonus = new CrossEntropyLoss<float>(K) { LabelSmoothing = Workload.LabelSmoothing, EntropyScale = Bonus };
        _tempered = new CrossEntropyLoss<float>(K) { LabelSmoothing = Workload.LabelSmoothing, Temperature = Temperature };
        _losses = new float[_w.Rows];
        _logSumExp = new float[_w.Rows];
        _entropy = new float[_w.Rows];
        _predictions = new int[_w.Rows];
        _logits = torch.tensor(_w.Logits, [_w.Rows, K]);
        _trainable = _logits.detach().requires_grad_();
        _targets = LibTorch.Targets(_w.Targets);
        if (!_plain.IsSpecialized)
        {
            throw new InvalidOperationException($"K = {K} is declared in Kernels.cs; the loss must run its generated kernel.");
        }

        // Both sides compute the same entropy bonus loss, or the comparison means nothing.
        float lsrGen = _withBonus.ForwardBackward(_w.Logits, _w.Targets, _w.Gradient);
        float libtorch = TorchSharpForwardBackwardWithBonus();
        if (MathF.Abs(lsrGen - libtorch) > 1e-4f * MathF.Abs(libtorch))
        {
            throw new InvalidOperationException($"K = {K}: LsrGen's loss {lsrGen} and libtorch's {libtorch} differ.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logits.Dispose();
        _trainable.Dispose();
        _targets.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void PerRowForward() => _plain.Forward(_w.Logits, _w.Targets, _losses, _logSumExp);

    [Benchmark]
    public void PerRowForwardWithEntropyAndPredictions() => _plain.Forward(_w.Logits, _w.Targets, _losses, _logSumExp, _entropy, _predictions);

    [Benchmark]
    public void PerRowForwardWithTemperature() => _tempered.Forward(_w.Logits, _w.Targets, _losses, _logSumExp);

    [Benchmark]
    public void TorchSharpPerRowWithEntropyAndPredictions()
    {
        using var scope = torch.NewDisposeScope();
        Tensor logp = nn.functional.log_softmax(_logits, 1);
        Tensor losses = nn.functional.cross_entropy(_logits, _targets, reduction: nn.Reduction.None, label_smoothing: Workload.LabelSmoothing);
        Tensor lse = _logits.logsumexp(1);
        Tensor entropy = -(logp.exp() * logp).sum(1);
        Tensor predictions = _logits.argmax(1);
        losses.data<float>().CopyTo(_losses);
        lse.data<float>().CopyTo(_logSumExp);
        entropy.data<float>().CopyTo(_entropy);
        _ = predictions.data<long>()[0];
    }

    [Benchmark]
    public float ForwardBackward() => _plain.ForwardBackward(_w.Logits, _w.Targets, _w.Gradient);

    [Benchmark]
    public float ForwardBackwardWithEntropyBonus() => _withBonus.ForwardBackward(_w.Logits, _w.Targets, _w.Gradient);

    [Benchmark]
    public float ForwardBackwardWithTemperature() => _tempered.ForwardBackward(_w.Logits, _w.Targets, _w.Gradient);

    /// <summary>cross_entropy minus the entropy bonus (the mean over the rows of b * H), and its gradient by autograd.</summary>
    [Benchmark]
    public float TorchSharpForwardBackwardWithBonus()
    {
        using var scope = torch.NewDisposeScope();
        _trainable.grad = null;
        Tensor logp = nn.functional.log_softmax(_trainable, 1);
        Tensor entropy = -(logp.exp() * logp).sum(1);
        Tensor loss = nn.functional.cross_entropy(_trainable, _targets, label_smoothing: Workload.LabelSmoothing) - (Bonus * entropy.mean());
        loss.backward();
        return loss.item<float>();
    }

    public override string ToString() => $"K={K}";
}
