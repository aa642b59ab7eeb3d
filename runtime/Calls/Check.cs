using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Calls;

/// <summary>Argument validation shared by every entry point; runs before anything is written.</summary>
internal static class Check
{
    /// <summary>Validates K and that <paramref name="length"/> is whole rows; returns N.</summary>
    public static int Rows(int length, int classes, string paramName)
    {
        if (classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"classes must be at least 1, got {classes}.");
        }

        if (length % classes != 0)
        {
            throw new ArgumentException(
                $"The length of {paramName} ({length}) is not a multiple of classes ({classes}).", paramName);
        }

        return length / classes;
    }

    public static void Length(int actual, int expected, string paramName, string unit)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"{paramName} must hold {expected} elements (one per {unit}), but its length is {actual}.", paramName);
        }
    }

    /// <summary>
    /// Rejects dense logits and class-index targets whose row counts differ. Rows of another width than the class count
    /// give another row count too, so the message says what the logits' length and K make.
    /// </summary>
    public static void TargetCount(int targets, int rows, int logitValues, int classes)
    {
        if (targets != rows)
        {
            throw new ArgumentException(
                $"targets must hold {rows} elements (one per row), but its length is {targets}. The logits' {logitValues} values "
                + $"are {rows} rows of K = {classes} classes; if the rows are not {classes} wide, the class count is what does not fit.",
                "targets");
        }
    }

    public static void Reduction(Reduction reduction)
    {
        if (reduction is not (LsrGen.Reduction.Mean or LsrGen.Reduction.Sum))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "reduction must be Reduction.Mean or Reduction.Sum.");
        }
    }

    public static void LabelSmoothing<T>(T labelSmoothing)
        where T : IFloatingPointIeee754<T>
    {
        if (!(labelSmoothing >= T.Zero && labelSmoothing <= T.One))
        {
            throw new ArgumentOutOfRangeException(
                nameof(labelSmoothing), labelSmoothing, $"labelSmoothing must lie in [0, 1], got {labelSmoothing}.");
        }
    }

    /// <summary>Validates the class weights; returns their sum W (K when there are none).</summary>
    public static T Weight<T>(ReadOnlySpan<T> weight, int classes)
        where T : IFloatingPointIeee754<T>
    {
        if (weight.IsEmpty)
        {
            return T.CreateTruncating(classes);
        }

        if (weight.Length != classes)
        {
            throw new ArgumentException(
                $"weight must hold one entry per class: expected {classes}, got {weight.Length}.", nameof(weight));
        }

        double total = 0;
        for (int k = 0; k < weight.Length; k++)
        {
            T w = weight[k];
            if (!T.IsFinite(w) || w < T.Zero)
            {
                throw new ArgumentException(
                    $"weight[{k}] is {w}; class weights must be finite and non-negative.", nameof(weight));
            }

            total += double.CreateTruncating(w);
        }

        return T.CreateTruncating(total);
    }

    /// <summary>Validates class-index targets; returns D, the summed weight of the non-ignored targets.</summary>
    public static double Targets<T>(ReadOnlySpan<int> targets, int classes, int ignoreIndex, ReadOnlySpan<T> weight)
        where T : IFloatingPointIeee754<T>
    {
        if (weight.IsEmpty)
        {
            // The weight of the kept rows is their count: summed in a double, one add per row waited on the last one
            // (a quarter of a K = 3 loss call).
            int kept = CountKept(targets, classes, ignoreIndex);
            if (kept >= 0)
            {
                return kept;
            }
        }

        double total = 0;
        for (int row = 0; row < targets.Length; row++)
        {
            int target = targets[row];
            if (target == ignoreIndex)
            {
                continue;
            }

            if ((uint)target >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(targets), target, $"Target {target} at row {row} is out of range for {classes} classes.");
            }

            total += weight.IsEmpty ? 1.0 : double.CreateTruncating(weight[target]);
        }

        return total;
    }

    // The rows whose target is not ignoreIndex, or -1 if a target is out of range (the scalar loop then says which).
    private static int CountKept(ReadOnlySpan<int> targets, int classes, int ignoreIndex)
    {
        int row = 0;
        int ignored = 0;
        if (Vector256.IsHardwareAccelerated && targets.Length >= Vector256<int>.Count)
        {
            Vector256<int> ignore = Vector256.Create(ignoreIndex);
            Vector256<uint> limit = Vector256.Create((uint)classes);
            Vector256<int> ignoredLanes = Vector256<int>.Zero;
            Vector256<int> bad = Vector256<int>.Zero;
            ref int t = ref MemoryMarshal.GetReference(targets);
            for (; row + Vector256<int>.Count <= targets.Length; row += Vector256<int>.Count)
            {
                Vector256<int> v = Vector256.LoadUnsafe(ref t, (nuint)row);
                Vector256<int> isIgnored = Vector256.Equals(v, ignore);
                ignoredLanes -= isIgnored; // a match is -1
                bad |= Vector256.AndNot(Vector256.GreaterThanOrEqual(v.AsUInt32(), limit).AsInt32(), isIgnored);
            }

            if (bad != Vector256<int>.Zero)
            {
                return -1;
            }

            ignored = Vector256.Sum(ignoredLanes);
        }

        for (; row < targets.Length; row++)
        {
            int target = targets[row];
            if (target == ignoreIndex)
            {
                ignored++;
            }
            else if ((uint)target >= (uint)classes)
            {
                return -1;
            }
        }

        return targets.Length - ignored;
    }

    /// <summary>Validates <paramref name="rows"/> rows of target probabilities <paramref name="rowStride"/> apart (padding is not read).</summary>
    public static void Probabilities<T>(ReadOnlySpan<T> targetProbabilities, int rows, int classes, nint rowStride, in PositionLayout positions = default)
        where T : IFloatingPointIeee754<T>
    {
        nint classStride = positions.ClassStep;
        for (int row = 0; row < rows; row++)
        {
            nint first = positions.RowOffset(row, rowStride);
            for (int i = 0; i < classes; i++)
            {
                T q = targetProbabilities[(int)(first + (i * classStride))];
                if (!T.IsFinite(q) || q < T.Zero)
                {
                    throw new ArgumentException(
                        $"targetProbabilities at row {row}, class {i} is {q}; probabilities must be finite and non-negative.",
                        nameof(targetProbabilities));
                }
            }
        }
    }

    /// <summary>Rejects an output that shares any memory with an input or another output, naming both.</summary>
    public static void Disjoint<TIn, TOut>(ReadOnlySpan<TIn> input, string inputName, Span<TOut> output, string outputName)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        if (MemoryMarshal.AsBytes(input).Overlaps(MemoryMarshal.AsBytes((ReadOnlySpan<TOut>)output)))
        {
            throw new ArgumentException($"{outputName} overlaps {inputName}; give it memory of its own.", outputName);
        }
    }

    /// <summary>Returns an option's value when it is finite and not negative; otherwise throws, naming the option and the value.</summary>
    public static T FiniteNonNegative<T>(T value, string paramName, string requirement)
        where T : IFloatingPointIeee754<T>
    {
        if (!(T.IsFinite(value) && value >= T.Zero))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be {requirement}; got {value}.");
        }

        return value;
    }

    /// <summary>Validates a functional call's label smoothing and class weights; returns the weights' sum W (K without weights).</summary>
    public static T Scalars<T>(T labelSmoothing, ReadOnlySpan<T> weight, int classes)
        where T : IFloatingPointIeee754<T>
    {
        LabelSmoothing(labelSmoothing);
        return Weight(weight, classes);
    }

    /// <summary>Accepts an output that is exactly the input's memory (in place) or shares none of it.</summary>
    public static void InPlaceOrDisjoint<T>(ReadOnlySpan<T> input, Span<T> output, string outputName, string inputName = "the logits")
        where T : unmanaged
    {
        if (input.Overlaps(output) &&
            !(input.Length == output.Length && Unsafe.AreSame(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(output))))
        {
            throw new ArgumentException(
                $"{outputName} partially overlaps {inputName}; pass the very same memory to work in place, or separate memory.", outputName);
        }
    }
}
