using System;

namespace LsrGen.Demo;

/// <summary>A linear classifier logits = x W + b trained by full-batch gradient descent on LsrGen's fused loss and gradient.</summary>
internal sealed class SoftmaxRegression
{
    private const int Classes = 3;
    private readonly float[] _weights = new float[IrisData.FeatureCount * Classes];
    private readonly float[] _bias = new float[Classes];

    public SoftmaxRegression(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < _weights.Length; i++)
        {
            _weights[i] = (float)((random.NextDouble() - 0.5) * 0.1);
        }
    }

    public void Logits(IrisData data, Span<float> logits)
    {
        for (int i = 0; i < data.Count; i++)
        {
            for (int c = 0; c < Classes; c++)
            {
                float z = _bias[c];
                for (int j = 0; j < IrisData.FeatureCount; j++)
                {
                    z += data.Features[(i * IrisData.FeatureCount) + j] * _weights[(j * Classes) + c];
                }

                logits[(i * Classes) + c] = z;
            }
        }
    }

    /// <summary>One gradient step; returns the mean label-smoothed loss before the step.</summary>
    public float Step(IrisData data, float labelSmoothing, float learningRate, Span<float> logits)
    {
        Logits(data, logits);

        // The gradient of the mean loss with respect to the logits, written over the logits in place.
        float loss = IrisKernels.CrossEntropyWithGradient(logits, data.Labels, logits, labelSmoothing);
        for (int c = 0; c < Classes; c++)
        {
            float biasGradient = 0;
            for (int i = 0; i < data.Count; i++)
            {
                biasGradient += logits[(i * Classes) + c];
            }

            _bias[c] -= learningRate * biasGradient;
            for (int j = 0; j < IrisData.FeatureCount; j++)
            {
                float g = 0;
                for (int i = 0; i < data.Count; i++)
                {
                    g += data.Features[(i * IrisData.FeatureCount) + j] * logits[(i * Classes) + c];
                }

                _weights[(j * Classes) + c] -= learningRate * g;
            }
        }

        return loss;
    }
}
