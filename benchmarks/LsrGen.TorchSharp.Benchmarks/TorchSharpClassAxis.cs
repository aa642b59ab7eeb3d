using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace LsrGen.Benchmarks;

/// <summary>
/// A segmentation loss on PyTorch's layout: contiguous (N, C, H, W) logits, N = 8, H = W = 64, float, label smoothing
/// 0.1, mean, one thread. LsrGen reads the (N, C, H, W) tensor span as it is; beside it the same values laid out as
/// (P, C) rows (channels last), and libtorch's <c>F.cross_entropy</c> on the (N, C, H, W) tensor with (N, H, W) targets.
/// </summary>
[MemoryDiagnoser]
public class TorchSharpClassAxis
{
    private const int N = 8;
    private const int H = 64;
    private const int W = 64;
    private float[] _planes = null!;
    private float[] _rows = null!;
    private float[] _gradient = null!;
    private int[] _targets = null!;
    private nint[] _lengths = null!;
    private nint[] _strides = null!;
    private Tensor _logits = null!;
    private Tensor _trainable = null!;
    private Tensor _torchTargets = null!;

    [ParamsSource(nameof(ClassCounts))]
    public int C { get; set; }

    public static IEnumerable<int> ClassCounts => [4, 19, 21, 150];

    [GlobalSetup]
    public void Setup()
    {
        LsrKernels.MaxDegreeOfParallelism = 1;
        torch.set_num_threads(1);
        int plane = H * W;
        int positions = N * plane;
        var random = new Random(20261208 + C);
        _planes = new float[positions * C];
        _rows = new float[positions * C];
        _gradient = new float[positions * C];
        _targets = new int[positions];
        for (int image = 0; image < N; image++)
        {
            for (int c = 0; c < C; c++)
            {
                for (int p = 0; p < plane; p++)
                {
                    float value = (float)(random.NextDouble() * 6 - 3);
                    _planes[(((image * C) + c) * plane) + p] = value;
                    _rows[(((image * plane) + p) * C) + c] = value;
                }
            }
        }

        for (int p = 0; p < positions; p++)
        {
            _targets[p] = random.Next(C);
        }

        _lengths = [N, C, H, W];
        _strides = [C * plane, plane, W, 1];
        _logits = torch.tensor(_planes, [N, C, H, W]);
        _trainable = _logits.detach().requires_grad_();
        long[] wide = Array.ConvertAll(_targets, t => (long)t);
        _torchTargets = torch.tensor(wide, [N, H, W]);

        // The three compute the same loss, or the comparison means nothing.
        float planes = Forward();
        float rows = RowsForward();
        float libtorch = TorchSharpForward();
        if (MathF.Abs(planes - libtorch) > 1e-4f * MathF.Abs(libtorch) || MathF.Abs(rows - libtorch) > 1e-4f * MathF.Abs(libtorch))
        {
            throw new InvalidOperationException($"C = {C}: LsrGen's losses {planes} (planes) and {rows} (rows) and libtorch's {libtorch} differ.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logits.Dispose();
        _trainable.Dispose();
        _torchTargets.Dispose();
    }

    /// <summary>The (N, C, H, W) tensor span as it is.</summary>
    [Benchmark]
    public float Forward()
        => LsrKernels.CrossEntropy(new System.Numerics.Tensors.ReadOnlyTensorSpan<float>(_planes, _lengths, _strides), _targets, Workload.LabelSmoothing);

    /// <summary>The same values as (P, C) rows.</summary>
    [Benchmark(Baseline = true)]
    public float RowsForward() => LsrKernels.CrossEntropy(_rows, C, _targets, Workload.LabelSmoothing);

    [Benchmark]
    public float TorchSharpForward()
    {
        using var scope = torch.NewDisposeScope();
        return nn.functional.cross_entropy(_logits, _torchTargets, label_smoothing: Workload.LabelSmoothing).item<float>();
    }

    [Benchmark]
    public float ForwardBackward()
        => LsrKernels.CrossEntropyWithGradient(
            new System.Numerics.Tensors.ReadOnlyTensorSpan<float>(_planes, _lengths, _strides), _targets, new System.Numerics.Tensors.TensorSpan<float>(_gradient, _lengths, _strides),
            Workload.LabelSmoothing);

    [Benchmark]
    public float RowsForwardBackward() => LsrKernels.CrossEntropyWithGradient(_rows, C, _targets, _gradient, Workload.LabelSmoothing);

    [Benchmark]
    public float TorchSharpForwardBackward()
    {
        using var scope = torch.NewDisposeScope();
        _trainable.grad = null;
        Tensor loss = nn.functional.cross_entropy(_trainable, _torchTargets, label_smoothing: Workload.LabelSmoothing);
        loss.backward();
        return loss.item<float>();
    }

    public override string ToString() => $"C={C}";
}
