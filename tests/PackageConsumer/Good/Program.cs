using System.Numerics.Tensors;
using LsrGen;

// Two rows of ten equal logits: every class has probability 1/10, so the loss is ln(10) whatever the targets.
float[] logits = new float[20];
int[] targets = [3, 7];
float loss = Cifar10.CrossEntropy(logits, targets);
float expected = MathF.Log(10f);

// The same rows padded to 16 columns, as a tensor span (System.Numerics.Tensors comes with the package), and as Half.
float[] padded = new float[32];
float tensorLoss = LsrKernels.CrossEntropy(new ReadOnlyTensorSpan<float>(padded, [2, 10], [16, 1]), targets);
float halfLoss = LsrKernels.CrossEntropy(new Half[20], 10, targets);
bool ok = MathF.Abs(loss - expected) <= 1e-6f && LsrKernels.IsSpecialized(10) && Cifar10.Classes == 10
    && LsrKernels.CrossEntropy(logits, 10, targets) == loss && tensorLoss == loss && halfLoss == loss;
Console.WriteLine($"loss {loss} (expected {expected}), tensor span {tensorLoss}, Half {halfLoss}, IsSpecialized(10) = {LsrKernels.IsSpecialized(10)}: {(ok ? "OK" : "WRONG")}");
return ok ? 0 : 1;

/// <summary>Kernels for CIFAR-10's ten classes; public, so the build checks every generated member has XML docs.</summary>
[GeneratedLsrKernels(10)]
public static partial class Cifar10;
