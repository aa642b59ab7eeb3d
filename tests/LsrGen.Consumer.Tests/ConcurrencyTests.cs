using System;
using System.Linq;
using System.Threading;
using LsrGen.Generated;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>
/// 8 threads x 1,000 calls on shared read-only inputs and private outputs give results bit-identical to a
/// single-threaded run, for generated, routed and runtime kernels, while another thread keeps registering
/// kernels (module initialisers of assemblies that load late).
/// </summary>
public class ConcurrencyTests
{
    private const int Threads = 8;
    private const int CallsPerThread = 1000;

    [Fact]
    public void Concurrent_calls_are_bit_identical_to_a_single_threaded_run()
    {
        Random random = RandomData.For(8, 1000, 99);
        // K = 3 and 10 are generated (direct and routed); K = 5 has no generated kernel (runtime path).
        var cases = new[] { 3, 10, 5 }.Select(k =>
        {
            int rows = 37;
            float[] x = TestNumbers.To<float>(RandomData.Normal(random, rows * k, 3));
            int[] t = RandomData.Targets(random, rows, k, withIgnored: true, -100);
            return (K: k, X: x, T: t);
        }).ToArray();

        (float Loss, float[] Gradient, float[] Probabilities) Run(int which, int variant)
        {
            var (k, x, t) = cases[which];
            var g = new float[x.Length];
            var p = new float[x.Length];
            float loss;
            if (variant == 0 && k == 3)
            {
                loss = Seed3.CrossEntropyWithGradient(x, t, g, 0.1f);
                Seed3.Softmax(x, p);
            }
            else if (variant == 0 && k == 10)
            {
                loss = Cifar10.CrossEntropyWithGradient(x, t, g, 0.1f);
                Cifar10.Softmax(x, p);
            }
            else
            {
                loss = LsrKernels.CrossEntropyWithGradient(x, k, t, g, 0.1f);
                LsrKernels.Softmax(x, k, p);
            }

            return (loss, g, p);
        }

        var expected = new (float Loss, float[] Gradient, float[] Probabilities)[cases.Length, 2];
        for (int c = 0; c < cases.Length; c++)
        {
            for (int v = 0; v < 2; v++)
            {
                expected[c, v] = Run(c, v);
            }
        }

        using var stop = new CancellationTokenSource();
        int registrations = 0;
        var registrar = new Thread(() =>
        {
            // Losers by name: routing must keep serving the original kernels while the table is swapped.
            while (!stop.IsCancellationRequested)
            {
                LsrKernelRegistry.Register<LsrKernel3>(3, "zz.Late" + registrations);
                LsrKernelRegistry.Register<LsrKernel10>(10, "zz.Late" + registrations);
                Interlocked.Increment(ref registrations);
            }
        });
        registrar.Start();

        Exception? failure = OnThreads.Run(Threads, id =>
        {
            for (int call = 0; call < CallsPerThread; call++)
            {
                int c = (call + id) % cases.Length;
                int v = (call / cases.Length) % 2;
                var got = Run(c, v);
                var want = expected[c, v];
                if (BitConverter.SingleToInt32Bits(got.Loss) != BitConverter.SingleToInt32Bits(want.Loss)
                    || !got.Gradient.AsSpan().SequenceEqual(want.Gradient)
                    || !got.Probabilities.AsSpan().SequenceEqual(want.Probabilities))
                {
                    throw new InvalidOperationException($"thread {id} call {call}: K={cases[c].K} variant {v} differs from the single-threaded run");
                }
            }
        });

        stop.Cancel();
        registrar.Join();
        Assert.Null(failure);
        Assert.True(registrations > 0);
        Assert.Equal("LsrGen.Consumer.Tests.Seed3", LsrKernelRegistry.GetRoutedTypeName(3));
    }

    [Fact]
    public void Extreme_values_through_generated_kernels()
    {
        foreach (Type type in new[] { typeof(Seed3), typeof(Cifar10), typeof(ImageNet) })
        {
            var floats = new GeneratedApi<float>(type);
            ExtremeValuesSuite<float>.Run(floats, floats.Classes, RandomData.RunSeed);
            var doubles = new GeneratedApi<double>(type);
            ExtremeValuesSuite<double>.Run(doubles, doubles.Classes, RandomData.RunSeed);
        }
    }
}
