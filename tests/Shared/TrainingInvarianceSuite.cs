using System;
using System.Linq;
using System.Numerics;
using Xunit.Sdk;

namespace LsrGen.Tests;

/// <summary>
/// Batch invariance of CrossEntropyLoss with every option on (soft-cap, z-loss, smoothing, weights): a probe row's
/// per-row loss and log-sum-exp, its fused gradient row under Sum and its Backward gradient row, for class-index and
/// probability targets, are bit-identical at every position of batches of 1..<c>maxRows</c> rows.
/// </summary>
public static class TrainingInvarianceSuite<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void EveryPosition(int classes, int maxRows = 40)
    {
        Random random = RandomData.For(classes, 919);
        var loss = new CrossEntropyLoss<T>(classes)
        {
            LabelSmoothing = T.CreateTruncating(0.1), Softcap = T.CreateTruncating(5), ZLossScale = T.CreateTruncating(1e-3),
            Weight = TestNumbers.To<T>(RandomData.Weights(random, classes)), Reduction = Reduction.Sum,
        };
        T[] probe = TestNumbers.To<T>(RandomData.Normal(random, classes, 3));
        T[] probeQ = TestNumbers.To<T>(RandomData.Probabilities(random, 1, classes));
        int probeTarget = random.Next(classes);
        T probeUpstream = T.CreateTruncating(0.75);
        T[] alone = Run(loss, random, probe, probeQ, probeTarget, probeUpstream, classes, rows: 1, position: 0);
        for (int rows = 1; rows <= maxRows; rows++)
        {
            for (int position = 0; position < rows; position++)
            {
                T[] got = Run(loss, random, probe, probeQ, probeTarget, probeUpstream, classes, rows, position);
                for (int i = 0; i < alone.Length; i++)
                {
                    if (!Same(alone[i], got[i]))
                    {
                        throw new XunitException($"K = {classes}, row at {position} of {rows}: output {i} is {got[i]}, alone {alone[i]}.");
                    }
                }
            }
        }
    }

    // The probe row's outputs: hard loss, hard lse, soft loss, soft lse, then the hard fused, hard Backward, soft fused
    // and soft Backward gradient rows.
    private static T[] Run(CrossEntropyLoss<T> loss, Random random, T[] probe, T[] probeQ, int probeTarget, T upstream, int classes, int rows, int position)
    {
        T[] logits = TestNumbers.To<T>(RandomData.Normal(random, rows * classes, 3));
        T[] q = TestNumbers.To<T>(RandomData.Probabilities(random, rows, classes));
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, ignoreIndex: -100);
        T[] lossGradients = TestNumbers.To<T>(RandomData.Normal(random, rows, 1));
        probe.CopyTo(logits, position * classes);
        probeQ.CopyTo(q, position * classes);
        targets[position] = probeTarget;
        lossGradients[position] = upstream;

        T[] losses = new T[rows];
        T[] lse = new T[rows];
        T[] softLosses = new T[rows];
        T[] softLse = new T[rows];
        T[] fused = new T[rows * classes];
        T[] backward = new T[rows * classes];
        T[] softFused = new T[rows * classes];
        T[] softBackward = new T[rows * classes];
        loss.Forward(logits, targets, losses, lse);
        loss.Forward(logits, q, softLosses, softLse);
        loss.ForwardBackward(logits, targets, fused);
        loss.Backward(logits, targets, lse, lossGradients, backward);
        loss.ForwardBackward(logits, q, softFused);
        loss.Backward(logits, q, softLse, lossGradients, softBackward);
        Range row = (position * classes)..((position + 1) * classes);
        return [losses[position], lse[position], softLosses[position], softLse[position], .. fused[row], .. backward[row], .. softFused[row], .. softBackward[row]];
    }

    private static bool Same(T left, T right)
        => BitConverter.DoubleToInt64Bits(double.CreateTruncating(left)) == BitConverter.DoubleToInt64Bits(double.CreateTruncating(right))
            || (T.IsNaN(left) && T.IsNaN(right));
}
