using System;
using System.Collections.Generic;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace LsrGen.Benchmarks;

/// <summary>
/// The backward of log-softmax and softmax from the forward's output and its gradient, one thread. libtorch's side is
/// autograd through <c>log_softmax</c> / <c>softmax</c> with the graph kept (<c>retain_graph</c>), so each call runs only
/// <c>_log_softmax_backward_data</c> / <c>_softmax_backward_data</c> into a fresh <c>.grad</c>, as a training step does.
/// The copy floor reads two N x K arrays and writes one (TensorPrimitives.Add), what a backward at memory speed costs.
/// </summary>
[MemoryDiagnoser]
public class TorchSharpSoftmaxBackward
{
    private float[] _logProbabilities = null!;
    private float[] _probabilities = null!;
    private float[] _outputGradient = null!;
    private float[] _inputGradient = null!;
    private Tensor _logits = null!;
    private Tensor _logSoftmax = null!;
    private Tensor _softmax = null!;
    private Tensor _outputGradientTensor = null!;

    /// <summary>K = 10 and 1000 in cache (N = 4096 and 1024), and K = 1000 out of cache (N = 16384: 64 MB per array).</summary>
    [ParamsSource(nameof(Shapes))]
    public (int K, int N) Shape { get; set; }

    public static IEnumerable<(int K, int N)> Shapes => [(10, 4096), (1000, 1024), (1000, 16384)];

    [GlobalSetup]
    public void Setup()
    {
        (int k, int n) = Shape;
        LsrKernels.MaxDegreeOfParallelism = 1;
        torch.set_num_threads(1);
        var random = new Random(20261207 + k + n);
        float[] logits = new float[n * k];
        _outputGradient = new float[n * k];
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = 3 * (float)Normal(random);
            _outputGradient[i] = (float)Normal(random);
        }

        _logProbabilities = new float[logits.Length];
        _probabilities = new float[logits.Length];
        _inputGradient = new float[logits.Length];
        LsrKernels.LogSoftmax(logits, k, _logProbabilities);
        LsrKernels.Softmax(logits, k, _probabilities);

        _logits = torch.tensor(logits, [n, k]).requires_grad_();
        _logSoftmax = nn.functional.log_softmax(_logits, 1);
        _softmax = nn.functional.softmax(_logits, 1);
        _outputGradientTensor = torch.tensor(_outputGradient, [n, k]);

        // Both sides compute the same gradient, or the comparison means nothing.
        LogSoftmaxBackward();
        float[] libtorch = TorchLogSoftmaxBackwardValues();
        for (int i = 0; i < libtorch.Length; i++)
        {
            if (MathF.Abs(libtorch[i] - _inputGradient[i]) > 1e-4f * (1 + MathF.Abs(libtorch[i])))
            {
                throw new InvalidOperationException($"K = {k}: element {i}: LsrGen {_inputGradient[i]}, libtorch {libtorch[i]}.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logits.Dispose();
        _logSoftmax.Dispose();
        _softmax.Dispose();
        _outputGradientTensor.Dispose();
    }

    [Benchmark]
    public void LogSoftmaxBackward() => LsrKernels.LogSoftmaxBackward(_logProbabilities, _outputGradient, Shape.K, _inputGradient);

    [Benchmark]
    public void TorchSharpLogSoftmaxBackward() => TorchBackward(_logSoftmax);

    [Benchmark]
    public void SoftmaxBackward() => LsrKernels.SoftmaxBackward(_probabilities, _outputGradient, Shape.K, _inputGradient);

    [Benchmark]
    public void TorchSharpSoftmaxBackwardData() => TorchBackward(_softmax);

    /// <summary>Two reads and one write of N x K floats.</summary>
    [Benchmark]
    public void CopyFloor() => TensorPrimitives.Add(_probabilities, _outputGradient, _inputGradient);

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private void TorchBackward(Tensor output)
    {
        _logits.grad = null;   // as an optimizer's zero_grad(set_to_none=True) leaves it
        output.backward([_outputGradientTensor], retain_graph: true);
    }

    private float[] TorchLogSoftmaxBackwardValues()
    {
        TorchBackward(_logSoftmax);
        return _logits.grad!.data<float>().ToArray();
    }

    public override string ToString() => $"K={Shape.K}, N={Shape.N}";
}
