using System;
using System.Globalization;
using System.IO;
using LsrGen;
using LsrGen.Demo;

// LsrGen demo: the seed notebook's numbers, then label smoothing on a real (small) classification task.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
SeedNotebook.Run();

const int Seed = 2026;
const int Epochs = 300;
const float LearningRate = 0.5f;
(IrisData train, IrisData test) = IrisData.LoadSplit(Path.Combine(AppContext.BaseDirectory, "data", "iris.csv"), testShare: 0.3, Seed);
Console.WriteLine($"== Iris softmax regression: {train.Count} training rows, {test.Count} held-out rows, seed {Seed} ==");
Console.WriteLine($"Generated kernel for K = {IrisKernels.Classes}; LsrKernels routes K = 3 to it: {LsrKernels.IsSpecialized(3)}");

var evaluation = new CrossEntropyLoss<float>(IrisKernels.Classes); // eps 0; routed to IrisKernels
foreach (float labelSmoothing in new[] { 0f, 0.1f })
{
    Console.WriteLine();
    Console.WriteLine($"-- training with labelSmoothing = {labelSmoothing} --");
    var model = new SoftmaxRegression(Seed);
    var trainLogits = new float[train.Count * IrisKernels.Classes];
    float loss = 0;
    for (int epoch = 1; epoch <= Epochs; epoch++)
    {
        loss = model.Step(train, labelSmoothing, LearningRate, trainLogits);
        if (epoch == 1 || epoch % 50 == 0)
        {
            Console.WriteLine($"  epoch {epoch,3}/{Epochs}  training loss {loss:F4}");
        }
    }

    var testLogits = new float[test.Count * IrisKernels.Classes];
    model.Logits(test, testLogits);
    // Held-out losses and predicted classes (torch.argmax(logits, -1)) in one pass over the logits.
    var testLosses = new float[test.Count];
    var predictions = new int[test.Count];
    evaluation.Forward(testLogits, test.Labels, testLosses, predictions: predictions);
    float testLoss = Mean(testLosses);
    var probabilities = new float[testLogits.Length];
    IrisKernels.Softmax(testLogits, probabilities);
    Calibration calibration = Calibration.Measure(probabilities, IrisKernels.Classes, predictions, test.Labels);

    Console.WriteLine();
    Console.WriteLine($"  | labelSmoothing {labelSmoothing,-4} | value  |");
    Console.WriteLine("  | ------------------- | ------ |");
    Console.WriteLine($"  | final training loss | {loss,6:F4} |");
    Console.WriteLine($"  | held-out CE (eps 0) | {testLoss,6:F4} |");
    Console.WriteLine($"  | held-out accuracy   | {calibration.Accuracy,6:P1} |");
    Console.WriteLine($"  | mean confidence     | {calibration.MeanConfidence,6:F4} |");
    Console.WriteLine($"  | calibration (ECE)   | {calibration.ExpectedCalibrationError,6:F4} |");
}

static float Mean(float[] values)
{
    float sum = 0;
    foreach (float v in values)
    {
        sum += v;
    }

    return sum / values.Length;
}

/// <summary>The demo's kernels, specialised at compile time for Iris' three species.</summary>
[GeneratedLsrKernels(3)]
internal static partial class IrisKernels;
