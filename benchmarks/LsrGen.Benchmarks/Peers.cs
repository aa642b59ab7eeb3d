using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace LsrGen.Benchmarks;

/// <summary>What people write without LsrGen, and the physical floors.</summary>
public static class Peers
{
    /// <summary>The seed notebook's algorithm, literally: a new log-prob array per call, gather, (1-eps) H(q,p) + eps H(u,p), mean.</summary>
    public static float SeedPort(float[] logits, int classes, int[] targets, float eps)
    {
        int rows = targets.Length;
        var logp = new float[logits.Length];
        for (int i = 0; i < rows; i++)
        {
            float max = float.NegativeInfinity;
            for (int k = 0; k < classes; k++)
            {
                max = MathF.Max(max, logits[(i * classes) + k]);
            }

            float sum = 0;
            for (int k = 0; k < classes; k++)
            {
                sum += MathF.Exp(logits[(i * classes) + k] - max);
            }

            float lse = max + MathF.Log(sum);
            for (int k = 0; k < classes; k++)
            {
                logp[(i * classes) + k] = logits[(i * classes) + k] - lse;
            }
        }

        float hqp = 0;
        float hup = 0;
        for (int i = 0; i < rows; i++)
        {
            hqp -= logp[(i * classes) + targets[i]];
            for (int k = 0; k < classes; k++)
            {
                hup -= logp[(i * classes) + k] / classes;
            }
        }

        return ((1 - eps) * hqp / rows) + (eps * hup / rows);
    }

    /// <summary>Row by row with TensorPrimitives, reusing one scratch row: what a careful .NET engineer writes.</summary>
    public static float TensorPrimitivesForward(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> targets, float eps, Span<float> scratch)
    {
        double total = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            ReadOnlySpan<float> row = logits.Slice(i * classes, classes);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, scratch);
            TensorPrimitives.Exp(scratch, scratch);
            float logSum = MathF.Log(TensorPrimitives.Sum(scratch));
            float nll = logSum - (row[targets[i]] - max);
            float smooth = (classes * (logSum + max)) - TensorPrimitives.Sum(row);
            total += ((1 - eps) * nll) + (eps / classes * smooth);
        }

        return (float)(total / targets.Length);
    }

    /// <summary>The TensorPrimitives version of the fused loss and gradient (mean).</summary>
    public static float TensorPrimitivesWithGradient(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> targets, float eps, Span<float> gradient)
    {
        double total = 0;
        float scale = 1f / targets.Length;
        for (int i = 0; i < targets.Length; i++)
        {
            ReadOnlySpan<float> row = logits.Slice(i * classes, classes);
            Span<float> g = gradient.Slice(i * classes, classes);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, g);
            TensorPrimitives.Exp(g, g);
            float sum = TensorPrimitives.Sum(g);
            float logSum = MathF.Log(sum);
            float nll = logSum - (row[targets[i]] - max);
            float smooth = (classes * (logSum + max)) - TensorPrimitives.Sum(row);
            total += ((1 - eps) * nll) + (eps / classes * smooth);
            TensorPrimitives.Multiply(g, scale / sum, g);
            TensorPrimitives.Subtract(g, eps / classes * scale, g);
            g[targets[i]] -= (1 - eps) * scale;
        }

        return (float)(total / targets.Length);
    }

    /// <summary>exp over every logit and log over every row, vectorised by the BCL: the exp-bound floor.</summary>
    public static float ExpFloor(ReadOnlySpan<float> logits, int rows)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            int i = 0;
            for (; i + 16 <= logits.Length; i += 16)
            {
                acc += Vector512.Exp(Vector512.Create(logits.Slice(i, 16)) - Vector512<float>.One);
            }

            var logs = Vector512<float>.Zero;
            var ones = Vector512.Create(1.5f);
            for (int r = 0; r + 16 <= rows; r += 16)
            {
                logs += Vector512.Log(ones + Vector512.Create((float)r));
            }

            return Vector512.Sum(acc) + Vector512.Sum(logs);
        }

        var acc256 = Vector256<float>.Zero;
        for (int i = 0; i + 8 <= logits.Length; i += 8)
        {
            acc256 += Vector256.Exp(Vector256.Create(logits.Slice(i, 8)) - Vector256<float>.One);
        }

        var logs256 = Vector256<float>.Zero;
        for (int r = 0; r + 8 <= rows; r += 8)
        {
            logs256 += Vector256.Log(Vector256.Create(1.5f + r));
        }

        return Vector256.Sum(acc256) + Vector256.Sum(logs256);
    }

    /// <summary>One vectorised pass summing the logits: the memory-read floor.</summary>
    public static float ReadFloor(ReadOnlySpan<float> logits) => TensorPrimitives.Sum(logits);
}
