using System;
using System.Numerics;

namespace LsrGen.Calls;

/// <summary>
/// The memory of one loss call and its checks, in one order for every form (<see cref="LsrKernels"/>,
/// <see cref="CrossEntropyLoss{T}"/>, tensor spans, Half logits, shards): the inputs' lengths when it is made, then each
/// output's length and overlaps, then the target values last, so nothing is written before every check has passed.
/// <typeparamref name="TX"/> is the logits' element type, <typeparamref name="T"/> that of the weights and per-row values.
/// </summary>
internal readonly ref struct LossSpans<TX, T>(
    int rows, ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, ReadOnlySpan<TX> probabilities, nint probabilityStride,
    ReadOnlySpan<T> weight, bool classIndex)
    where TX : unmanaged, IFloatingPointIeee754<TX>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlySpan<TX> _logits = logits;
    private readonly ReadOnlySpan<int> _targets = targets;
    private readonly ReadOnlySpan<TX> _probabilities = probabilities;
    private readonly ReadOnlySpan<T> _weight = weight;
    private readonly nint _probabilityStride = probabilityStride;
    private readonly int _classes = classes;

    private readonly bool _classIndex = classIndex;

    /// <summary>Gets N.</summary>
    public int Rows { get; } = rows;

    /// <summary>Gets where tensor-span target probabilities of rank 3 to 8 lie, when no row stride describes them.</summary>
    private PositionLayout ProbabilityPositions { get; init; }

    /// <summary>Dense rows of K logits with N class-index targets.</summary>
    public static LossSpans<TX, T> ClassIndex(ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, ReadOnlySpan<T> weight)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.TargetCount(targets.Length, rows, logits.Length, classes);
        return new(rows, logits, classes, targets, default, 0, weight, classIndex: true);
    }

    /// <summary>N rows in <paramref name="logits"/> (the memory they lie in, any layout) with N class-index targets in [0, classes).</summary>
    public static LossSpans<TX, T> ClassIndex(int rows, ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, ReadOnlySpan<T> weight)
    {
        Check.Length(targets.Length, rows, nameof(targets), "row");
        return new(rows, logits, classes, targets, default, 0, weight, classIndex: true);
    }

    /// <summary>Dense rows of K logits with target probabilities of the same length.</summary>
    public static LossSpans<TX, T> Probabilities(ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<TX> targetProbabilities, ReadOnlySpan<T> weight)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(targetProbabilities.Length, logits.Length, nameof(targetProbabilities), "logit");
        return new(rows, logits, classes, default, targetProbabilities, classes, weight, classIndex: false);
    }

    /// <summary>An [N, K] matrix of logits (any row stride) with N class-index targets in [0, classes).</summary>
    public static LossSpans<TX, T> ClassIndex(in MatrixView<TX> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> weight)
        => ClassIndex(logits.Rows, logits.Region, logits.Classes, targets, weight);

    /// <summary>An [N, K] matrix of logits with a matrix of target probabilities, which must have the logits' shape.</summary>
    public static LossSpans<TX, T> Probabilities(in MatrixView<TX> logits, in MatrixView<TX> targetProbabilities, ReadOnlySpan<T> weight)
    {
        targetProbabilities.RequireShapeOf(logits, nameof(targetProbabilities), nameof(logits));
        return new(
            logits.Rows, logits.Region, logits.Classes, default, targetProbabilities.Region, targetProbabilities.RowStride, weight, classIndex: false)
        {
            ProbabilityPositions = targetProbabilities.Positions,
        };
    }

    /// <summary>Checks a gradient matrix: the logits' shape, their very memory and strides (in place) or none of any input's.</summary>
    public void Gradient(
        in MatrixView<TX> gradient, in MatrixView<TX> logits, ReadOnlySpan<T> logSumExp = default, ReadOnlySpan<T> lossGradients = default,
        ReadOnlySpan<T> entropyGradients = default)
    {
        gradient.RequireShapeOf(logits, nameof(gradient), nameof(logits));
        gradient.RequireDistinctElements(nameof(gradient));
        gradient.RequireInPlaceOrDisjoint(logits, nameof(gradient));
        GradientApartFromInputs(gradient.Region, logSumExp, lossGradients, entropyGradients);
    }

    /// <summary>Checks a per-row output: N values, sharing no memory with an input or with <paramref name="otherOutput"/>.</summary>
    public void RowOutput<TOut>(Span<TOut> output, string name, ReadOnlySpan<TOut> otherOutput = default, string otherName = "")
        where TOut : unmanaged
    {
        Check.Length(output.Length, Rows, name, "row");
        Check.Disjoint(_logits, "logits", output, name);
        Check.Disjoint(_targets, "targets", output, name);
        Check.Disjoint(_probabilities, "targetProbabilities", output, name);
        Check.Disjoint(_weight, "weight", output, name);
        Check.Disjoint(otherOutput, otherName, output, name);
    }

    /// <summary>
    /// Checks the optional per-row outputs: each empty or N values, sharing no memory with an input, the gradient or
    /// another output (the later one named).
    /// </summary>
    public void Outputs(in RowOutputs<T> outputs, ReadOnlySpan<TX> gradient = default)
    {
        Optional(outputs.Losses, "losses", gradient);
        Optional(outputs.LogSumExp, "logSumExp", gradient);
        Check.Disjoint<T, T>(outputs.Losses, "losses", outputs.LogSumExp, "logSumExp");
        Optional(outputs.Entropy, "entropy", gradient);
        Check.Disjoint<T, T>(outputs.Losses, "losses", outputs.Entropy, "entropy");
        Check.Disjoint<T, T>(outputs.LogSumExp, "logSumExp", outputs.Entropy, "entropy");
        Optional(outputs.Predictions, "predictions", gradient);
        Check.Disjoint<T, int>(outputs.Losses, "losses", outputs.Predictions, "predictions");
        Check.Disjoint<T, int>(outputs.LogSumExp, "logSumExp", outputs.Predictions, "predictions");
        Check.Disjoint<T, int>(outputs.Entropy, "entropy", outputs.Predictions, "predictions");
    }

    /// <summary>Checks Backward's optional entropy gradients: empty or N values.</summary>
    public void EntropyGradients(ReadOnlySpan<T> entropyGradients)
    {
        if (!entropyGradients.IsEmpty)
        {
            Check.Length(entropyGradients.Length, Rows, nameof(entropyGradients), "row");
        }
    }

    /// <summary>Checks a gradient of the logits' dense shape: their very memory (in place) or none of any input's.</summary>
    public void Gradient(
        Span<TX> gradient, ReadOnlySpan<T> logSumExp = default, ReadOnlySpan<T> lossGradients = default, ReadOnlySpan<T> entropyGradients = default)
    {
        Check.Length(gradient.Length, _logits.Length, nameof(gradient), "logit");
        Check.InPlaceOrDisjoint(_logits, gradient, nameof(gradient));
        GradientApartFromInputs(gradient, logSumExp, lossGradients, entropyGradients);
    }

    // An optional per-row output: checked only when given.
    private void Optional<TOut>(Span<TOut> output, string name, ReadOnlySpan<TX> gradient)
        where TOut : unmanaged
    {
        if (!output.IsEmpty)
        {
            RowOutput(output, name);
            Check.Disjoint(gradient, "gradient", output, name);
        }
    }

    /// <summary>Checks the per-row inputs of a backward pass: N saved log-sum-exps and N upstream gradients.</summary>
    public void BackwardInputs(ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients)
    {
        Check.Length(logSumExp.Length, Rows, nameof(logSumExp), "row");
        Check.Length(lossGradients.Length, Rows, nameof(lossGradients), "row");
    }

    // A gradient, whose place against the logits is checked, must share no memory with the other inputs.
    private void GradientApartFromInputs(Span<TX> gradient, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, ReadOnlySpan<T> entropyGradients)
    {
        Check.Disjoint(entropyGradients, nameof(entropyGradients), gradient, nameof(gradient));
        Check.Disjoint(_targets, "targets", gradient, nameof(gradient));
        Check.Disjoint(_probabilities, "targetProbabilities", gradient, nameof(gradient));
        Check.Disjoint(_weight, "weight", gradient, nameof(gradient));
        Check.Disjoint(logSumExp, nameof(logSumExp), gradient, nameof(gradient));
        Check.Disjoint(lossGradients, nameof(lossGradients), gradient, nameof(gradient));
    }

    /// <summary>Checks the target values, last of all; returns the mean's denominator (N for probability targets).</summary>
    public double TargetValues(int ignoreIndex)
    {
        if (_classIndex)
        {
            return Check.Targets(_targets, _classes, ignoreIndex, _weight);
        }

        Check.Probabilities(_probabilities, Rows, _classes, _probabilityStride, ProbabilityPositions);
        return Rows;
    }
}
