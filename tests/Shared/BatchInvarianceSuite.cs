using System;
using System.Numerics;
using System.Runtime.InteropServices;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// A row's per-row outputs (log-probs, probabilities, per-row losses, its gradient row under Sum, for class-index and
/// probability targets, with smoothing and weights) must be bit-identical wherever the row sits: alone, at every position
/// of batches of 1..40 rows (inside a block, in a block's leftover rows, between blocks), and whatever the threads.
/// </summary>
public static class BatchInvarianceSuite<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The probe row at every position of every batch size up to <paramref name="maxRows"/>; with
    /// <paramref name="sameAs"/>, the row alone also gets exactly the bits that API gives it.
    /// </summary>
    public static void EveryPosition(ILsrApi<T> api, int classes, int maxRows = 40, ILsrApi<T>? sameAs = null)
    {
        Random random = RandomData.For(classes, 313);
        Probe probe = Probe.Create(random, classes);
        Outputs alone = Outputs.Of(api, probe, Batch.With(random, probe, classes, rows: 1, position: 0));
        if (sameAs is not null)
        {
            Outputs other = Outputs.Of(sameAs, probe, Batch.With(random, probe, classes, rows: 1, position: 0));
            alone.AssertSame(other, $"{api.Name} against {sameAs.Name}, K = {classes}");
        }

        for (int rows = 1; rows <= maxRows; rows++)
        {
            for (int position = 0; position < rows; position++)
            {
                Outputs got = Outputs.Of(api, probe, Batch.With(random, probe, classes, rows, position));
                alone.AssertSame(got, $"{api.Name}, K = {classes}: the row at {position} of {rows}");
            }
        }
    }

    /// <summary>The probe row at positions near chunk and block boundaries of a batch of <paramref name="rows"/> rows.</summary>
    public static void InLargeBatch(ILsrApi<T> api, int classes, int rows, int threads)
    {
        Random random = RandomData.For(classes, rows, 331);
        Probe probe = Probe.Create(random, classes);
        Outputs alone = Outputs.Of(api, probe, Batch.With(random, probe, classes, rows: 1, position: 0));
        int before = LsrKernels.MaxDegreeOfParallelism;
        try
        {
            LsrKernels.MaxDegreeOfParallelism = threads;
            foreach (int position in new[] { 0, 15, 16, 17, rows / 2, rows - 17, rows - 1 })
            {
                Outputs got = Outputs.Of(api, probe, Batch.With(random, probe, classes, rows, position));
                alone.AssertSame(got, $"{api.Name}, K = {classes}, {threads} thread(s): the row at {position} of {rows}");
            }
        }
        finally
        {
            LsrKernels.MaxDegreeOfParallelism = before;
        }
    }

    private sealed record Probe(T[] Logits, int Target, T[] Probabilities, T[] Weight)
    {
        public static Probe Create(Random random, int classes)
            => new(
                TestNumbers.To<T>(RandomData.Normal(random, classes, 3)),
                random.Next(classes),
                TestNumbers.To<T>(RandomData.Probabilities(random, 1, classes)),
                TestNumbers.To<T>(RandomData.Weights(random, classes)));
    }

    /// <summary>A batch of random rows with the probe at <paramref name="Position"/>.</summary>
    private sealed record Batch(T[] Logits, int[] Targets, T[] Probabilities, int Rows, int Position, int Classes)
    {
        public static Batch With(Random random, Probe probe, int classes, int rows, int position)
        {
            (T[] x, int[] t) = RandomData.Batch<T>(random, rows, classes);
            T[] q = TestNumbers.To<T>(RandomData.Probabilities(random, rows, classes));
            probe.Logits.CopyTo(x, position * classes);
            probe.Probabilities.CopyTo(q, position * classes);
            t[position] = probe.Target;
            return new Batch(x, t, q, rows, position, classes);
        }

        public ReadOnlySpan<T> Row(T[] matrix) => matrix.AsSpan(Position * Classes, Classes);
    }

    /// <summary>The probe row's outputs of every per-row operation.</summary>
    private sealed record Outputs(T[] LogProbabilities, T[] Probabilities, T ClassIndexLoss, T[] ClassIndexGradient, T ProbabilityLoss, T[] ProbabilityGradient)
    {
        private static readonly T Smoothing = T.CreateTruncating(0.1);

        public static Outputs Of(ILsrApi<T> api, Probe probe, Batch b)
        {
            int k = b.Classes;
            var matrix = new T[b.Rows * k];
            var losses = new T[b.Rows];
            api.LogSoftmax(b.Logits, k, matrix);
            T[] logProbabilities = b.Row(matrix).ToArray();
            api.Softmax(b.Logits, k, matrix);
            T[] probabilities = b.Row(matrix).ToArray();
            api.CrossEntropy(b.Logits, k, b.Targets, losses, Smoothing, -100, probe.Weight);
            T hardLoss = losses[b.Position];
            api.CrossEntropyWithGradient(b.Logits, k, b.Targets, matrix, Smoothing, Reduction.Sum, -100, probe.Weight);
            T[] hardGradient = b.Row(matrix).ToArray();
            api.CrossEntropy(b.Logits, k, b.Probabilities, losses, Smoothing, probe.Weight);
            T softLoss = losses[b.Position];
            api.CrossEntropyWithGradient(b.Logits, k, b.Probabilities, matrix, Smoothing, Reduction.Sum, probe.Weight);
            return new Outputs(logProbabilities, probabilities, hardLoss, hardGradient, softLoss, b.Row(matrix).ToArray());
        }

        public void AssertSame(Outputs other, string where)
        {
            Same(LogProbabilities, other.LogProbabilities, "log-probabilities", where);
            Same(Probabilities, other.Probabilities, "probabilities", where);
            Same([ClassIndexLoss], [other.ClassIndexLoss], "class-index loss", where);
            Same(ClassIndexGradient, other.ClassIndexGradient, "class-index gradient", where);
            Same([ProbabilityLoss], [other.ProbabilityLoss], "probability-target loss", where);
            Same(ProbabilityGradient, other.ProbabilityGradient, "probability-target gradient", where);
        }

        private static void Same(T[] expected, T[] actual, string what, string where)
        {
            if (!MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan())))
            {
                int i = 0;
                while (expected[i].Equals(actual[i]) || (T.IsNaN(expected[i]) && T.IsNaN(actual[i])))
                {
                    i++;
                }

                Assert.Fail($"{where}: {what}[{i}] is {actual[i]:R} there but {expected[i]:R} alone.");
            }
        }
    }
}
