using System;
using System.Globalization;

namespace LsrGen.Demo;

/// <summary>Part 1: the seed notebook's numbers, computed by LsrGen.</summary>
internal static class SeedNotebook
{
    public static void Run()
    {
        float[] logits = [4, 5, 10, 1, 5, 4, 1, 15, 4];
        int[] targets = [2, 1, 1];
        Console.WriteLine("== The seed notebook ==");
        Console.WriteLine("logits  = [[4, 5, 10], [1, 5, 4], [1, 15, 4]]   targets = [2, 1, 1]");
        float ce = LsrKernels.CrossEntropy(logits, 3, targets);
        float lsce = LsrKernels.CrossEntropy(logits, 3, targets, labelSmoothing: 0.001f);
        Console.WriteLine(Invariant($"CrossEntropy                          {ce:R}   (float64 oracle 0.1119182196450031)"));
        Console.WriteLine(Invariant($"LabelSmoothingCrossEntropy eps=0.001  {lsce:R}   (float64 oracle 0.11647377520055868)"));

        var logp = new float[9];
        LsrKernels.LogSoftmax(logits, 3, logp);
        Console.WriteLine("log_softmax =");
        for (int row = 0; row < 3; row++)
        {
            Console.WriteLine(Invariant($"  [{logp[row * 3],11:0.0000e+00}, {logp[(row * 3) + 1],11:0.0000e+00}, {logp[(row * 3) + 2],11:0.0000e+00}]"));
        }

        var nll = new float[3];
        LsrKernels.GatherTargets(logp, 3, targets, nll);
        Console.WriteLine(Invariant($"per-row nll = [{-nll[0]:0.0000e+00}, {-nll[1]:0.0000e+00}, {-nll[2]:0.0000e+00}]"));

        var gathered = new float[4];
        LsrKernels.Gather([1, 2, 3, 4], [2, 2], 1, [0, 0, 1, 0], [2, 2], gathered);
        Console.WriteLine(Invariant($"torch.gather([[1,2],[3,4]], 1, [[0,0],[1,0]]) = [[{gathered[0]}, {gathered[1]}], [{gathered[2]}, {gathered[3]}]]"));
        Console.WriteLine();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
