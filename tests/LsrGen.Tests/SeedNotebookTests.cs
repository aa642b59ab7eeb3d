using Xunit;

namespace LsrGen.Tests;

/// <summary>The seed notebook's numbers, asserted against the float64 oracle.</summary>
public class SeedNotebookTests
{
    private static readonly float[] s_logits = [4, 5, 10, 1, 5, 4, 1, 15, 4];
    private static readonly int[] s_targets = [2, 1, 1];

    [Fact]
    public void CrossEntropy_matches_the_seed()
    {
        float loss = LsrKernels.CrossEntropy(s_logits, 3, s_targets);
        Tolerance.Close(0.1119182196450031, loss, isFloat: true, Quantity.Other, "CrossEntropy eps=0");
        double lossDouble = LsrKernels.CrossEntropy(Widen(s_logits), 3, s_targets);
        Tolerance.Close(0.1119182196450031, lossDouble, isFloat: false, Quantity.Other, "CrossEntropy eps=0 (double)");
    }

    [Fact]
    public void LabelSmoothingCrossEntropy_matches_the_seed()
    {
        float loss = LsrKernels.CrossEntropy(s_logits, 3, s_targets, labelSmoothing: 0.001f);
        Tolerance.Close(0.11647377520055868, loss, isFloat: true, Quantity.Other, "CrossEntropy eps=0.001");
        double lossDouble = LsrKernels.CrossEntropy(Widen(s_logits), 3, s_targets, labelSmoothing: 0.001);
        Tolerance.Close(0.11647377520055868, lossDouble, isFloat: false, Quantity.Other, "CrossEntropy eps=0.001 (double)");
    }

    [Fact]
    public void LogSoftmax_and_per_row_nll_match_the_seed()
    {
        var logp = new float[9];
        LsrKernels.LogSoftmax(s_logits, 3, logp);
        double[] expected = [-6.0092, -5.0092, -9.1745e-03, -4.3266, -3.2656e-01, -1.3266, -14.000, -1.7524e-05, -11.000];
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(expected[i], logp[i], 4);
        }

        // The printed seed rounds to 4 digits; the float64 oracle decides within docs/semantics.md section 5.
        var nll = new float[3];
        LsrKernels.CrossEntropy(s_logits, 3, s_targets, nll);
        double[] oracle = Oracle.Hard(Widen(s_logits), 3, s_targets, 0, null, -100, null).Losses;
        Assert.Equal(9.1745e-03, oracle[0], 7);
        Assert.Equal(3.2656e-01, oracle[1], 5);
        Assert.Equal(1.7533e-05, oracle[2], 9);
        Tolerance.Close(oracle, TestNumbers.ToDouble<float>(nll), isFloat: true, Quantity.Other, "per-row nll");
    }

    [Fact]
    public void Gather_matches_the_seed()
    {
        var output = new float[4];
        LsrKernels.Gather([1, 2, 3, 4], [2, 2], 1, [0, 0, 1, 0], [2, 2], output);
        Assert.Equal([1f, 1f, 4f, 3f], output);
    }

    private static double[] Widen(float[] values) => TestNumbers.ToDouble<float>(values);
}
