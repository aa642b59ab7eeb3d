using System;

namespace LsrGen.Demo;

/// <summary>Accuracy, mean confidence and expected calibration error of predicted probabilities.</summary>
internal readonly record struct Calibration(double Accuracy, double MeanConfidence, double ExpectedCalibrationError)
{
    /// <param name="probabilities">N rows of <paramref name="classes"/> predicted probabilities.</param>
    /// <param name="classes">K.</param>
    /// <param name="predictions">Each row's predicted class (its argmax).</param>
    /// <param name="labels">Each row's true class.</param>
    /// <param name="bins">Confidence bins of the calibration error.</param>
    public static Calibration Measure(ReadOnlySpan<float> probabilities, int classes, ReadOnlySpan<int> predictions, ReadOnlySpan<int> labels, int bins = 10)
    {
        Span<double> binConfidence = stackalloc double[bins];
        Span<double> binCorrect = stackalloc double[bins];
        Span<int> binCount = stackalloc int[bins];
        double correct = 0;
        double confidence = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int predicted = predictions[i];
            double p = probabilities[(i * classes) + predicted];
            double hit = predicted == labels[i] ? 1 : 0;
            int bin = Math.Min(bins - 1, (int)(p * bins));
            binConfidence[bin] += p;
            binCorrect[bin] += hit;
            binCount[bin]++;
            correct += hit;
            confidence += p;
        }

        double ece = 0;
        for (int b = 0; b < bins; b++)
        {
            if (binCount[b] > 0)
            {
                ece += Math.Abs(binCorrect[b] - binConfidence[b]) / labels.Length;
            }
        }

        return new Calibration(correct / labels.Length, confidence / labels.Length, ece);
    }
}
