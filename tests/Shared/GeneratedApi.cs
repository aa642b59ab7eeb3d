using System;
using System.Reflection;

namespace LsrGen.Tests;

/// <summary>
/// An <see cref="ILsrApi{T}"/> over the static methods of a [GeneratedLsrKernels(K)] type, found by reflection so the
/// same suite runs against types compiled in memory and types of a consumer project.
/// </summary>
public sealed class GeneratedApi<T> : ILsrApi<T>
{
    private delegate void Rows(ReadOnlySpan<T> logits, Span<T> destination);

    private delegate void Gather(ReadOnlySpan<T> values, ReadOnlySpan<int> targets, Span<T> destination, int ignoreIndex);

    private delegate T ClassIndexReduced(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight);

    private delegate void ClassIndexNone(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight);

    private delegate T ClassIndexGradient(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> gradient, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight);

    private delegate T ProbabilityReduced(ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight);

    private delegate void ProbabilityNone(ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, Span<T> losses, T labelSmoothing, ReadOnlySpan<T> weight);

    private delegate T ProbabilityGradient(ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, Span<T> gradient, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight);

    private delegate void Backward(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, Span<T> inputGradient);

    private delegate void Predict(ReadOnlySpan<T> values, Span<int> destination);

    private readonly Rows _logSoftmax;
    private readonly Rows _softmax;
    private readonly Gather _gather;
    private readonly ClassIndexReduced _hardReduced;
    private readonly ClassIndexNone _hardNone;
    private readonly ClassIndexGradient _hardGradient;
    private readonly ProbabilityReduced _softReduced;
    private readonly ProbabilityNone _softNone;
    private readonly ProbabilityGradient _softGradient;
    private readonly Backward _logSoftmaxBackward;
    private readonly Backward _softmaxBackward;
    private readonly Predict _argMax;

    public GeneratedApi(Type type)
    {
        Name = type.FullName + "<" + typeof(T).Name + ">";
        Classes = (int)type.GetField("Classes")!.GetValue(null)!;
        _logSoftmax = Find<Rows>(type, "LogSoftmax");
        _softmax = Find<Rows>(type, "Softmax");
        _gather = Find<Gather>(type, "GatherTargets");
        _hardReduced = Find<ClassIndexReduced>(type, "CrossEntropy");
        _hardNone = Find<ClassIndexNone>(type, "CrossEntropy");
        _hardGradient = Find<ClassIndexGradient>(type, "CrossEntropyWithGradient");
        _softReduced = Find<ProbabilityReduced>(type, "CrossEntropy");
        _softNone = Find<ProbabilityNone>(type, "CrossEntropy");
        _softGradient = Find<ProbabilityGradient>(type, "CrossEntropyWithGradient");
        _logSoftmaxBackward = Find<Backward>(type, "LogSoftmaxBackward");
        _softmaxBackward = Find<Backward>(type, "SoftmaxBackward");
        _argMax = Find<Predict>(type, "ArgMax");
    }

    public string Name { get; }

    public int Classes { get; }

    public void LogSoftmax(ReadOnlySpan<T> logits, int classes, Span<T> destination)
    {
        Checked(classes);
        _logSoftmax(logits, destination);
    }

    public void Softmax(ReadOnlySpan<T> logits, int classes, Span<T> destination)
    {
        Checked(classes);
        _softmax(logits, destination);
    }

    public void GatherTargets(ReadOnlySpan<T> values, int classes, ReadOnlySpan<int> targets, Span<T> destination, int ignoreIndex)
    {
        Checked(classes);
        _gather(values, targets, destination, ignoreIndex);
    }

    public T CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        Checked(classes);
        return _hardReduced(logits, targets, labelSmoothing, reduction, ignoreIndex, weight);
    }

    public void CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> losses, T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        Checked(classes);
        _hardNone(logits, targets, losses, labelSmoothing, ignoreIndex, weight);
    }

    public T CrossEntropyWithGradient(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> gradient, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        Checked(classes);
        return _hardGradient(logits, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);
    }

    public T CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight)
    {
        Checked(classes);
        return _softReduced(logits, targetProbabilities, labelSmoothing, reduction, weight);
    }

    public void CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> losses, T labelSmoothing, ReadOnlySpan<T> weight)
    {
        Checked(classes);
        _softNone(logits, targetProbabilities, losses, labelSmoothing, weight);
    }

    public T CrossEntropyWithGradient(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> gradient, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight)
    {
        Checked(classes);
        return _softGradient(logits, targetProbabilities, gradient, labelSmoothing, reduction, weight);
    }

    public void LogSoftmaxBackward(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int classes, Span<T> inputGradient)
    {
        Checked(classes);
        _logSoftmaxBackward(output, outputGradient, inputGradient);
    }

    public void SoftmaxBackward(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int classes, Span<T> inputGradient)
    {
        Checked(classes);
        _softmaxBackward(output, outputGradient, inputGradient);
    }

    public void ArgMax(ReadOnlySpan<T> values, int classes, Span<int> destination)
    {
        Checked(classes);
        _argMax(values, destination);
    }

    private void Checked(int classes)
    {
        if (classes != Classes)
        {
            throw new InvalidOperationException($"{Name} is generated for {Classes} classes; the suite asked for {classes}.");
        }
    }

    private static TDelegate Find<TDelegate>(Type type, string name)
        where TDelegate : Delegate
    {
        Type[] parameters = Array.ConvertAll(typeof(TDelegate).GetMethod("Invoke")!.GetParameters(), p => p.ParameterType);
        MethodInfo method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Static, parameters)
            ?? throw new MissingMethodException(type.FullName, name + "(" + string.Join(", ", (object[])parameters) + ")");
        return method.CreateDelegate<TDelegate>();
    }
}
