using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Emits the block shape for a small K: no loop over classes (every class's work written out), and rows taken
/// <see cref="ElementType.Lanes"/> at a time, one vector per class, after an in-register transpose, because for
/// small K the per-row horizontal max and sum are what cost. Below K = 16: Vector512 blocks, then Vector256 blocks,
/// then the same written-out math on scalars for leftover rows. From K = 16: Vector512 blocks, then the loop shape.
/// </summary>
internal static class SmallKernelEmitter
{
    /// <summary>The suffix of the loop-shape row method a block-shape method hands its other rows to (K >= 16).</summary>
    public const string LoopSuffix = "Loop";

    /// <summary>
    /// From K = 16 on only the Vector512 blocks are kept: leftover rows, and every row on machines without AVX-512,
    /// go to the loop shape, which the SmallKThreshold benchmark measured faster there than Vector256 blocks.
    /// </summary>
    public static bool HandsOffToLoops(int classes) => classes >= LoopKernelEmitter.MinimumClasses;

    public static void Emit(CodeWriter w, int classes, ElementType t, RowOperation[] operations)
    {
        foreach (RowOperation operation in operations)
        {
            switch (operation)
            {
                case RowOperation.LogSoftmax:
                    LogSoftmaxOrSoftmax(w, classes, t, softmax: false);
                    break;
                case RowOperation.Softmax:
                    LogSoftmaxOrSoftmax(w, classes, t, softmax: true);
                    break;
                case RowOperation.HardForward:
                    Hard(w, classes, t, gradient: false);
                    break;
                case RowOperation.HardGradient:
                    Hard(w, classes, t, gradient: true);
                    break;
                case RowOperation.SoftForward:
                    Soft(w, classes, t, gradient: false);
                    break;
                default:
                    Soft(w, classes, t, gradient: true);
                    break;
            }
        }
    }

    private static ElementType[] Shapes(ElementType t, int k) => HandsOffToLoops(k) ? [t.Blocks[0]] : t.Blocks;

    // Rows the blocks left: one call to the loop shape. Returns whether it was emitted (the method is then closed).
    private static bool LoopTail(CodeWriter w, int k, RowOperation operation)
    {
        if (!HandsOffToLoops(k))
        {
            return false;
        }

        w.Line();
        string call = operation + LoopSuffix + "(args, row, endRow);";
        w.Line(operation.ReturnsTotal() ? "return total + " + call : call);
        w.Close();
        return true;
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<int> Classes(int k) => Enumerable.Range(0, k);

    private static string Each(int k, string separator, System.Func<string, string> term) => string.Join(separator, Classes(k).Select(i => term(N(i))));

    private static void Signature(CodeWriter w, ElementType t, string returns, string name)
    {
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Open("public static " + returns + " " + name + "(in Infra.RowArgs<" + t.Name + "> args, int firstRow, int endRow)");
    }

    private static void BlockLoop(CodeWriter w, ElementType t, int k, bool sumsLosses = false)
    {
        w.Open("if (" + t.Guard + ")");
        if (sumsLosses)
        {
            w.Line("var lossSum = " + t.WideVector + ".Zero;");
        }

        w.Open("for (; row + " + N(t.Lanes) + " <= endRow; row += " + N(t.Lanes) + ")");
        w.Line("nuint b = (nuint)row * " + N(k) + ";");
        for (int j = 0; j < k; j++)
        {
            w.Line("var v" + N(j) + " = " + t.V + ".LoadUnsafe(ref x, b + " + N(j * t.Lanes) + ");");
        }

        TransposePlan.ToColumns(w, t, k, "v", "c");
    }

    // Block losses are summed lane-wise in doubles; one horizontal sum per shape after its last block. Closes the row
    // loop and the shape's guard that BlockLoop opened.
    private static void CloseLossBlocks(CodeWriter w, ElementType b)
    {
        w.Line(b.IsFloat ? "lossSum += " + b.V + ".WidenLower(loss) + " + b.V + ".WidenUpper(loss);" : "lossSum += loss;");
        w.Close();
        w.Line("total += " + b.V + ".Sum(lossSum);");
        w.Close();
    }

    private static void BlockStats(CodeWriter w, ElementType t, int k)
    {
        w.Line("var m = c0;");
        for (int j = 1; j < k; j++)
        {
            w.Line("m = " + t.V + ".MaxNative(m, c" + N(j) + ");");
        }

        for (int j = 0; j < k; j++)
        {
            w.Line("var d" + N(j) + " = c" + N(j) + " - m;");
            w.Line("var e" + N(j) + " = Infra.LsrVectorMath.ExpNonPositive(d" + N(j) + ");");
        }

        w.Line("var s = " + Each(k, " + ", j => "e" + j) + ";");
        w.Line("var ls = Infra.LsrVectorMath.LogAtLeastOne(s);");
    }

    private static void ScalarRow(CodeWriter w, ElementType t, int k)
    {
        w.Line("ref " + t.Name + " xr = ref U.Add(ref x, (nint)row * " + N(k) + ");");
        for (int j = 0; j < k; j++)
        {
            w.Line(t.Name + " x" + N(j) + " = U.Add(ref xr, " + N(j) + ");");
        }

        w.Line(t.Name + " m = x0;");
        for (int j = 1; j < k; j++)
        {
            w.Line("m = " + t.Math + ".Max(m, x" + N(j) + ");");
        }

        for (int j = 0; j < k; j++)
        {
            w.Line(t.Name + " e" + N(j) + " = " + t.Math + ".Exp(x" + N(j) + " - m);");
        }

        w.Line(t.Name + " s = " + Each(k, " + ", j => "e" + j) + ";");
        w.Line(t.Name + " ls = " + t.Math + ".Log(s);");
    }

    private static void LogSoftmaxOrSoftmax(CodeWriter w, int k, ElementType t, bool softmax)
    {
        Signature(w, t, "void", softmax ? "Softmax" : "LogSoftmax");
        w.Line("ref " + t.Name + " x = ref args.Logits;");
        w.Line("ref " + t.Name + " o = ref args.Output;");
        w.Line("int row = firstRow;");
        foreach (ElementType b in Shapes(t, k))
        {
            BlockLoop(w, b, k);
            BlockStats(w, b, k);
            if (softmax)
            {
                w.Line("var inv = " + b.Vector + ".One / s;");
            }

            for (int j = 0; j < k; j++)
            {
                w.Line("var r" + N(j) + " = " + (softmax ? "e" + N(j) + " * inv" : "d" + N(j) + " - ls") + ";");
            }

            TransposePlan.FromColumnsAndStore(w, b, k, "r", "o");
            w.Close().Close();
        }

        if (LoopTail(w, k, softmax ? RowOperation.Softmax : RowOperation.LogSoftmax))
        {
            return;
        }

        w.Line();
        w.Open("for (; row < endRow; row++)");
        ScalarRow(w, t, k);
        if (softmax)
        {
            w.Line(t.Name + " inv = " + t.One + " / s;");
        }

        w.Line("ref " + t.Name + " or = ref U.Add(ref o, (nint)row * " + N(k) + ");");
        for (int j = 0; j < k; j++)
        {
            w.Line("U.Add(ref or, " + N(j) + ") = " + (softmax ? "e" + N(j) + " * inv" : "(x" + N(j) + " - m) - ls") + ";");
        }

        w.Close().Close();
    }

    // Scalars shared by the loss kernels; a missing weight is 1, which multiplies exactly.
    private static void LossPrologue(CodeWriter w, int k, ElementType t)
    {
        w.Line("ref " + t.Name + " x = ref args.Logits;");
        w.Line("ref " + t.Name + " o = ref args.Output;");
        w.Line("bool weighted = args.HasWeight;");
        w.Line("bool hasOutput = args.HasOutput;");
        w.Line(t.Name + " eps = args.LabelSmoothing;");
        w.Line("bool smoothing = eps != " + t.Zero + ";");
        w.Line(t.Name + " keep = " + t.One + " - eps;");
        w.Line(t.Name + " spread = eps / " + N(k) + ";");
        w.Line(t.Name + " scale = args.Scale;");
        for (int j = 0; j < k; j++)
        {
            w.Line(t.Name + " w" + N(j) + " = weighted ? U.Add(ref args.Weight, " + N(j) + ") : " + t.One + ";");
        }

        w.Line("double total = 0;");
        w.Line("int row = firstRow;");
    }

    private static void Hard(CodeWriter w, int k, ElementType t, bool gradient)
    {
        Signature(w, t, "double", gradient ? "HardGradient" : "HardForward");
        LossPrologue(w, k, t);
        w.Line("int ignore = args.IgnoreIndex;");
        w.Line("ref int targets = ref args.Targets;");
        if (gradient)
        {
            w.Line(t.Name + " spreadScale = spread * scale;");
        }

        foreach (ElementType b in Shapes(t, k))
        {
            BlockLoop(w, b, k, sumsLosses: true);
            BlockStats(w, b, k);
            // Targets as lanes of the element width: int for float, long for double.
            string lane = b.IsFloat ? string.Empty : "L";
            string Mask(string value) => b.V + "." + b.AsMask + "(" + b.V + ".Equals(tv, " + b.V + ".Create(" + value + ")))";
            w.Line(b.IsFloat
                ? "var tv = " + b.V + ".LoadUnsafe(ref targets, (nuint)row);"
                : "var tv = " + b.WidenedTargets + ";");
            w.Line("var ignored = " + Mask(b.IsFloat ? "ignore" : "(long)ignore") + ";");
            w.Line("var dt = " + b.Vector + ".Zero;");
            for (int j = 0; j < k; j++)
            {
                w.Line("var k" + N(j) + " = " + Mask(N(j) + lane) + ";");
                w.Line("dt = " + b.V + ".ConditionalSelect(k" + N(j) + ", d" + N(j) + ", dt);");
            }

            // Every d is <= 0 and ls >= 0, so each loss term below adds values of one sign: no cancellation.
            w.Line("var wt = " + b.Vector + ".One;");
            w.Open("if (weighted)");
            w.Line("wt = " + b.Vector + ".Zero;");
            for (int j = 0; j < k; j++)
            {
                w.Line("wt = " + b.V + ".ConditionalSelect(k" + N(j) + ", " + b.V + ".Create(w" + N(j) + "), wt);");
            }

            w.Close();
            w.Line("var loss = " + b.V + ".Create(keep) * wt * (ls - dt);");
            w.Open("if (smoothing)");
            w.Line("var sd = weighted ? " + Each(k, " + ", j => "(" + b.V + ".Create(w" + j + ") * d" + j + ")") + " : " + Each(k, " + ", j => "d" + j) + ";");
            w.Line("loss += " + b.V + ".Create(spread) * ((" + b.V + ".Create(args.WeightTotal) * ls) - sd);");
            w.Close();
            w.Line("loss = " + b.V + ".AndNot(loss, ignored);");
            if (gradient)
            {
                w.Line("var a = ((" + b.V + ".Create(keep) * wt) + (" + b.V + ".Create(spread * args.WeightTotal))) * " + b.V + ".Create(scale) / s;");
                w.Line("var hit = " + b.V + ".Create(keep) * wt * " + b.V + ".Create(scale);");
                for (int j = 0; j < k; j++)
                {
                    w.Line("var r" + N(j) + " = " + b.V + ".AndNot((e" + N(j) + " * a) - " + b.V + ".Create(spreadScale * w" + N(j) + ") - (hit & k" + N(j) + "), ignored);");
                }

                TransposePlan.FromColumnsAndStore(w, b, k, "r", "o");
            }
            else
            {
                w.Open("if (hasOutput)");
                w.Line(b.V + ".StoreUnsafe(loss, ref o, (nuint)row);");
                w.Close();
            }

            CloseLossBlocks(w, b);
        }

        if (LoopTail(w, k, gradient ? RowOperation.HardGradient : RowOperation.HardForward))
        {
            return;
        }

        w.Line();
        w.Open("for (; row < endRow; row++)");
        w.Line("int target = U.Add(ref targets, row);");
        w.Open("if (target == ignore)");
        if (gradient)
        {
            w.Line("ref " + t.Name + " zero = ref U.Add(ref o, (nint)row * " + N(k) + ");");
            for (int j = 0; j < k; j++)
            {
                w.Line("U.Add(ref zero, " + N(j) + ") = " + t.Zero + ";");
            }
        }
        else
        {
            w.Open("if (hasOutput)");
            w.Line("U.Add(ref o, row) = " + t.Zero + ";");
            w.Close();
        }

        w.Line("continue;");
        w.Close();
        w.Line();
        ScalarRow(w, t, k);
        w.Line(t.Name + " xs = target switch { " + string.Join(", ", Classes(k - 1).Select(j => N(j) + " => x" + N(j))) + (k > 1 ? ", " : string.Empty) + "_ => x" + N(k - 1) + " };");
        w.Line(t.Name + " ws = target switch { " + string.Join(", ", Classes(k - 1).Select(j => N(j) + " => w" + N(j))) + (k > 1 ? ", " : string.Empty) + "_ => w" + N(k - 1) + " };");
        w.Line(t.Name + " rowLoss = keep * ws * (ls - (xs - m));");
        w.Open("if (smoothing)");
        w.Line("rowLoss += spread * ((args.WeightTotal * ls) - (" + Each(k, " + ", j => "(w" + j + " * (x" + j + " - m))") + "));");
        w.Close();
        w.Line("total += rowLoss;");
        if (gradient)
        {
            w.Line(t.Name + " ra = ((keep * ws) + (spread * args.WeightTotal)) * scale / s;");
            w.Line(t.Name + " rowHit = keep * ws * scale;");
            w.Line("ref " + t.Name + " gr = ref U.Add(ref o, (nint)row * " + N(k) + ");");
            for (int j = 0; j < k; j++)
            {
                w.Line("U.Add(ref gr, " + N(j) + ") = (e" + N(j) + " * ra) - (spreadScale * w" + N(j) + ") - (target == " + N(j) + " ? rowHit : " + t.Zero + ");");
            }
        }
        else
        {
            w.Open("if (hasOutput)");
            w.Line("U.Add(ref o, row) = rowLoss;");
            w.Close();
        }

        w.Close();
        w.Line();
        w.Line("return total;");
        w.Close();
    }

    private static void Soft(CodeWriter w, int k, ElementType t, bool gradient)
    {
        Signature(w, t, "double", gradient ? "SoftGradient" : "SoftForward");
        LossPrologue(w, k, t);
        w.Line("ref " + t.Name + " q = ref args.Probabilities;");
        foreach (ElementType b in Shapes(t, k))
        {
            BlockLoop(w, b, k, sumsLosses: true);
            for (int j = 0; j < k; j++)
            {
                w.Line("var u" + N(j) + " = " + b.V + ".LoadUnsafe(ref q, b + " + N(j * b.Lanes) + ");");
            }

            TransposePlan.ToColumns(w, b, k, "u", "q");
            BlockStats(w, b, k);
            for (int j = 0; j < k; j++)
            {
                w.Line("var wq" + N(j) + " = " + b.V + ".Create(w" + N(j) + ") * " + b.V + ".FusedMultiplyAdd(" + b.V + ".Create(keep), q" + N(j) + ", " + b.V + ".Create(spread));");
            }

            w.Line("var loss = -(" + Each(k, " + ", j => "(wq" + j + " * (d" + j + " - ls))") + ");");
            if (gradient)
            {
                w.Line("var mass = " + Each(k, " + ", j => "wq" + j) + ";");
                w.Line("var a = mass * " + b.V + ".Create(scale) / s;");
                for (int j = 0; j < k; j++)
                {
                    w.Line("var r" + N(j) + " = (e" + N(j) + " * a) - (" + b.V + ".Create(scale) * wq" + N(j) + ");");
                }

                TransposePlan.FromColumnsAndStore(w, b, k, "r", "o");
            }
            else
            {
                w.Open("if (hasOutput)");
                w.Line(b.V + ".StoreUnsafe(loss, ref o, (nuint)row);");
                w.Close();
            }

            CloseLossBlocks(w, b);
        }

        if (LoopTail(w, k, gradient ? RowOperation.SoftGradient : RowOperation.SoftForward))
        {
            return;
        }

        w.Line();
        w.Open("for (; row < endRow; row++)");
        ScalarRow(w, t, k);
        w.Line("ref " + t.Name + " qr = ref U.Add(ref q, (nint)row * " + N(k) + ");");
        for (int j = 0; j < k; j++)
        {
            w.Line(t.Name + " wq" + N(j) + " = w" + N(j) + " * " + t.Math + ".FusedMultiplyAdd(keep, U.Add(ref qr, " + N(j) + "), spread);");
        }

        w.Line(t.Name + " rowLoss = -(" + Each(k, " + ", j => "(wq" + j + " * ((x" + j + " - m) - ls))") + ");");
        w.Line("total += rowLoss;");
        if (gradient)
        {
            w.Line(t.Name + " ra = (" + Each(k, " + ", j => "wq" + j) + ") * scale / s;");
            w.Line("ref " + t.Name + " gr = ref U.Add(ref o, (nint)row * " + N(k) + ");");
            for (int j = 0; j < k; j++)
            {
                w.Line("U.Add(ref gr, " + N(j) + ") = (e" + N(j) + " * ra) - (scale * wq" + N(j) + ");");
            }
        }
        else
        {
            w.Open("if (hasOutput)");
            w.Line("U.Add(ref o, row) = rowLoss;");
            w.Close();
        }

        w.Close();
        w.Line();
        w.Line("return total;");
        w.Close();
    }
}
