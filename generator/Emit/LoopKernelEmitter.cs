using System;
using System.Globalization;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Emits the row kernels for a large K: each row is processed on its own, its classes in vector loops whose trip
/// counts are constants of the generated text, followed by a written-out remainder (one vector ending at K whose
/// already-handled lanes are masked by a constant lane mask). One set of passes per SIMD shape (Vector512, then
/// Vector256); machines with neither run the runtime's row loops with K fixed through IClassCount.
/// The passes mirror the runtime's RowPrimitives: 64 vectors accumulated at a time before the total moves to a double
/// (bounding float rounding at large K), the remainder folded into the first block, the next row prefetched during
/// the first exp pass, four max chains.
/// </summary>
internal static class LoopKernelEmitter
{
    private const int BlockVectors = 64;

    /// <summary>The loop shape needs one whole Vector512 of floats per row.</summary>
    public const int MinimumClasses = 16;

    /// <param name="w">The writer, inside the kernel struct.</param>
    /// <param name="typeName">The kernel struct's name (it supplies K to the runtime's loops).</param>
    /// <param name="classes">K.</param>
    /// <param name="operations">The operations to emit in this shape.</param>
    /// <param name="entryPoints">The operations whose entry is the public kernel member; the others get a private
    /// entry named with <see cref="SmallKernelEmitter.LoopSuffix"/>, for the block shape's leftover rows.</param>
    public static void Emit(CodeWriter w, string typeName, int classes, RowOperation[] operations, RowOperation[] entryPoints)
    {
        foreach (ElementType scalar in new[] { ElementType.Float, ElementType.Double })
        {
            Public(w, typeName, scalar, operations, entryPoints);
            foreach (ElementType shape in scalar.Blocks)
            {
                var e = new Shape(w, shape, classes);
                e.Helpers();
                e.Rows(operations);
            }
        }
    }

    // The public row kernels pick the widest accelerated shape, else the runtime's loops with K constant.
    private static void Public(CodeWriter w, string typeName, ElementType t, RowOperation[] operations, RowOperation[] entryPoints)
    {
        string rows = "Infra.RowKernels<" + t.Name + ", " + typeName + ">";
        foreach (RowOperation operation in operations)
        {
            string name = operation.ToString();
            string returns = operation.ReturnsTotal() ? "double" : "void";
            string ret = returns == "void" ? string.Empty : "return ";
            bool entry = System.Array.IndexOf(entryPoints, operation) >= 0;
            w.Line();
            if (entry)
            {
                w.Line("/// <inheritdoc/>");
            }

            w.Open((entry ? "public static " : "private static ") + returns + " " + name + (entry ? string.Empty : SmallKernelEmitter.LoopSuffix) + "(in Infra.RowArgs<" + t.Name + "> args, int firstRow, int endRow)");
            foreach (ElementType shape in t.Blocks)
            {
                w.Open("if (" + shape.V + ".IsHardwareAccelerated)");
                w.Line(ret + name + Shape.Tag(shape) + "(args, firstRow, endRow);");
                if (ret.Length == 0)
                {
                    w.Line("return;");
                }

                w.Close();
                w.Line();
            }

            w.Line(ret + rows + "." + name + "(args, firstRow, endRow);");
            w.Close();
        }
    }

    /// <summary>The passes and row loops of one element type at one vector width.</summary>
    private sealed class Shape
    {
        private readonly CodeWriter _w;
        private readonly ElementType _t;
        private readonly int _k;
        private readonly int _lanes;
        private readonly int _full;
        private readonly int _tailStart;
        private readonly string _tag;
        private readonly string _v;
        private readonly string _vec;
        private readonly string _name;

        public Shape(CodeWriter w, ElementType t, int classes)
        {
            _w = w;
            _t = t;
            _k = classes;
            _lanes = t.Lanes;
            _full = classes - (classes % t.Lanes);
            _tailStart = classes - t.Lanes;
            _tag = Tag(t);
            _v = t.V;
            _vec = t.Vector;
            _name = t.Name;
        }

        public static string Tag(ElementType t) => (t.IsFloat ? "F" : "D") + (t.V == "V512" ? "512" : "256");

        private bool HasTail => _full < _k;

        private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

        private string Load(string source, string offset) => _v + ".LoadUnsafe(ref " + source + ", " + offset + ")";

        private string Exp(string value) => "Infra.LsrVectorMath.ExpNonPositive(" + value + ")";

        private string Fma(string a, string b, string c) => _v + ".FusedMultiplyAdd(" + a + ", " + b + ", " + c + ")";

        private string Literal(int value) => N(value) + (_t.IsFloat ? "f" : "d");

        private void Method(string returns, string name, string parameters)
        {
            _w.Line();
            _w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
            _w.Open("private static " + returns + " " + name + _tag + "(" + parameters + ")");
        }

        // The remainder lanes of the vector at K - lanes: those the whole vectors did not cover.
        private void TailMask()
            => _w.Line("var tail = " + _v + ".GreaterThanOrEqual(" + _vec + ".Indices, " + _v + ".Create(" + Literal(_full - _tailStart) + "));");

        /// <summary>
        /// A reduction: the remainder's fresh lanes first, as the first block's starting accumulators (one horizontal
        /// sum fewer per row), then the whole vectors, 64 per block summed in the vector type, each block's horizontal
        /// sum added to a double.
        /// </summary>
        private void Reduce(string[] totals, Action<string> body, Action tail)
        {
            foreach (string total in totals)
            {
                _w.Line("var " + total + "Acc = " + _vec + ".Zero;");
            }

            if (HasTail)
            {
                _w.Block();
                _w.Line("const nuint i = " + N(_tailStart) + ";");
                TailMask();
                tail();
                _w.Close();
            }

            foreach (string total in totals)
            {
                _w.Line("double " + total + " = 0;");
            }

            int blockWidth = _lanes * BlockVectors;
            int wholeBlocks = _full / blockWidth * blockWidth;
            if (wholeBlocks > 0)
            {
                _w.Open("for (nuint block = 0; block < " + N(wholeBlocks) + "; block += " + N(blockWidth) + ")");
                Accumulate(totals, "block", "block + " + N(blockWidth), body);
                foreach (string total in totals)
                {
                    _w.Line(total + "Acc = " + _vec + ".Zero;");
                }

                _w.Close();
            }

            if (wholeBlocks < _full)
            {
                Accumulate(totals, N(wholeBlocks), N(_full), body);
            }
        }

        private void Accumulate(string[] totals, string from, string to, Action<string> body)
        {
            _w.Open("for (nuint i = " + from + "; i < " + to + "; i += " + N(_lanes) + ")");
            body("i");
            _w.Close();
            foreach (string total in totals)
            {
                _w.Line(total + " += " + _v + ".Sum(" + total + "Acc);");
            }
        }

        // The remainder's fresh lanes as a starting accumulator.
        private void StartWithTail(string total, string value)
            => _w.Line(total + "Acc = " + _v + ".ConditionalSelect(tail, " + value + ", " + _vec + ".Zero);");

        // The first exp pass asks for the next row's line at the same column, hidden behind this row's exps.
        private void PrefetchNextRow(string i) => _w.Line("Infra.LsrVectorMath.Prefetch(ref x, " + N(_k) + " + " + i + ");");

        /// <summary>A map over the whole vectors, then the remainder stored with its handled lanes kept as they are.</summary>
        private void Map(string destination, Func<string, bool, string> value)
        {
            if (_full > 0)
            {
                _w.Open("for (nuint i = 0; i < " + N(_full) + "; i += " + N(_lanes) + ")");
                _w.Line(_v + ".StoreUnsafe(" + value("i", false) + ", ref " + destination + ", i);");
                _w.Close();
            }

            if (HasTail)
            {
                _w.Block();
                _w.Line("const nuint i = " + N(_tailStart) + ";");
                TailMask();
                _w.Line(_v + ".StoreUnsafe(" + _v + ".ConditionalSelect(tail, " + value("i", true) + ", " + Load(destination, "i") + "), ref " + destination + ", i);");
                _w.Close();
            }
        }

        // In place, the handled lanes of the remainder vector already hold outputs; they are replaced by the row max
        // before an exp so that every lane takes the same path (the masked result does not depend on them).
        private string Fresh(string offset, bool tail) => tail ? "Fresh" + _tag + "(" + Load("x", offset) + ", m)" : Load("x", offset);

        public void Helpers()
        {
            string t = _name;
            Method(t, "Max", "ref " + t + " x");
            _w.Line("var acc = " + Load("x", "0") + ";");
            int next = _lanes;
            int quads = _full / (4 * _lanes) * (4 * _lanes);
            if (quads > 0)
            {
                // Four chains: with the row in L1 (prefetched), one chain would wait on each max's latency.
                for (int chain = 1; chain < 4; chain++)
                {
                    _w.Line("var acc" + N(chain) + " = " + Load("x", N(chain * _lanes)) + ";");
                }

                if (quads > 4 * _lanes)
                {
                    _w.Open("for (nuint i = " + N(4 * _lanes) + "; i < " + N(quads) + "; i += " + N(4 * _lanes) + ")");
                    _w.Line("acc = " + _v + ".MaxNative(acc, " + Load("x", "i") + ");");
                    for (int chain = 1; chain < 4; chain++)
                    {
                        _w.Line("acc" + N(chain) + " = " + _v + ".MaxNative(acc" + N(chain) + ", " + Load("x", "i + " + N(chain * _lanes)) + ");");
                    }

                    _w.Close();
                }

                _w.Line("acc = " + _v + ".MaxNative(" + _v + ".MaxNative(acc, acc1), " + _v + ".MaxNative(acc2, acc3));");
                next = quads;
            }

            if (_full > next)
            {
                _w.Open("for (nuint i = " + N(next) + "; i < " + N(_full) + "; i += " + N(_lanes) + ")");
                _w.Line("acc = " + _v + ".MaxNative(acc, " + Load("x", "i") + ");");
                _w.Close();
            }

            if (HasTail)
            {
                _w.Line("acc = " + _v + ".MaxNative(acc, " + Load("x", N(_tailStart)) + "); // overlapping lanes are harmless for a max");
            }

            string lanes = "acc";
            if (_v == "V512")
            {
                _w.Line("var half = V256.MaxNative(V512.GetLower(acc), V512.GetUpper(acc));");
                lanes = "half";
            }

            _w.Line("var quarter = V128.MaxNative(V256.GetLower(" + lanes + "), V256.GetUpper(" + lanes + "));");
            _w.Line(t + " max = V128.GetElement(quarter, 0);");
            for (int lane = 1; lane < (_t.IsFloat ? 4 : 2); lane++)
            {
                _w.Line("max = " + t + ".MaxNative(max, V128.GetElement(quarter, " + N(lane) + "));");
            }

            _w.Line("return max;");
            _w.Close();

            if (HasTail)
            {
                Method(_vec, "Fresh", _vec + " x, " + _vec + " m");
                _w.Line("return " + _v + ".ConditionalSelect(" + _v + ".GreaterThanOrEqual(" + _vec + ".Indices, " + _v + ".Create(" + Literal(_full - _tailStart) + ")), x, m);");
                _w.Close();
            }

            // sum_k exp(x_k - max)
            Method(t, "SumExp", "ref " + t + " x, " + t + " max");
            _w.Line("var m = " + _v + ".Create(max);");
            Reduce(
                new[] { "sum" },
                i =>
                {
                    PrefetchNextRow(i);
                    _w.Line("sumAcc += " + Exp(Load("x", i) + " - m") + ";");
                },
                () => StartWithTail("sum", Exp(Load("x", "i") + " - m")));
            _w.Line("return (" + t + ")sum;");
            _w.Close();

            // sum_k exp(x_k - max) and shifted = sum_k w_k (x_k - max) in one pass (the smoothing term).
            Method(t, "SumExpAndShifted", "ref " + t + " x, ref " + t + " w, bool weighted, " + t + " max, out " + t + " shifted");
            _w.Line("var m = " + _v + ".Create(max);");
            foreach (bool weighted in new[] { true, false })
            {
                if (weighted)
                {
                    _w.Open("if (weighted)");
                }
                else
                {
                    _w.Block();
                }

                Reduce(
                    new[] { "sum", "shift" },
                    i =>
                    {
                        PrefetchNextRow(i);
                        _w.Line("var d = " + Load("x", i) + " - m;");
                        _w.Line("sumAcc += " + Exp("d") + ";");
                        _w.Line("shiftAcc = " + (weighted ? Fma(Load("w", i), "d", "shiftAcc") : "shiftAcc + d") + ";");
                    },
                    () =>
                    {
                        _w.Line("var d = " + Load("x", "i") + " - m;");
                        StartWithTail("sum", Exp("d"));
                        StartWithTail("shift", weighted ? Load("w", "i") + " * d" : "d");
                    });
                _w.Line("shifted = (" + t + ")shift;");
                _w.Line("return (" + t + ")sum;");
                _w.Close();
            }

            _w.Close();

            // The fused gradient's first half: e_k = exp(x_k - max) stored (x may be the destination), their sum, and
            // shifted as above, so exp runs once per element.
            Method(t, "StoreExpAndSum", "ref " + t + " x, ref " + t + " w, bool weighted, ref " + t + " g, " + t + " max, out " + t + " shifted");
            _w.Line("var m = " + _v + ".Create(max);");
            foreach (bool weighted in new[] { true, false })
            {
                if (weighted)
                {
                    _w.Open("if (weighted)");
                }
                else
                {
                    _w.Block();
                }

                Reduce(
                    new[] { "sum", "shift" },
                    i =>
                    {
                        PrefetchNextRow(i);
                        _w.Line("var d = " + Load("x", i) + " - m;");
                        _w.Line("var e = " + Exp("d") + ";");
                        _w.Line(_v + ".StoreUnsafe(e, ref g, " + i + ");");
                        _w.Line("sumAcc += e;");
                        _w.Line("shiftAcc = " + (weighted ? Fma(Load("w", i), "d", "shiftAcc") : "shiftAcc + d") + ";");
                    },
                    () =>
                    {
                        // In place this writes only lanes the whole vectors never touch.
                        _w.Line("var d = " + Fresh("i", tail: true) + " - m;");
                        _w.Line("var e = " + Exp("d") + ";");
                        StartWithTail("sum", "e");
                        StartWithTail("shift", weighted ? Load("w", "i") + " * d" : "d");
                        _w.Line(_v + ".StoreUnsafe(" + _v + ".ConditionalSelect(tail, e, " + Load("g", "i") + "), ref g, i);");
                    });
                _w.Line("shifted = (" + t + ")shift;");
                _w.Line("return (" + t + ")sum;");
                _w.Close();
            }

            _w.Close();

            // The fused gradient's second half: g_k = g_k * scale - offset * w_k.
            Method("void", "ScaleAndShift", "ref " + t + " w, bool weighted, ref " + t + " g, " + t + " scale, " + t + " offset");
            _w.Line("var a = " + _v + ".Create(scale);");
            _w.Line("var b = " + _v + ".Create(offset);");
            _w.Open("if (weighted)");
            Map("g", (i, _) => "(" + Load("g", i) + " * a) - (b * " + Load("w", i) + ")");
            _w.Line("return;");
            _w.Close();
            _w.Line();
            Map("g", (i, _) => "(" + Load("g", i) + " * a) - b");
            _w.Close();

            // log_softmax: (x_k - max) - logSum
            Method("void", "WriteLogProbabilities", "ref " + t + " x, ref " + t + " y, " + t + " max, " + t + " logSum");
            _w.Line("var m = " + _v + ".Create(max);");
            _w.Line("var ls = " + _v + ".Create(logSum);");
            Map("y", (i, _) => "(" + Load("x", i) + " - m) - ls");
            _w.Close();

            // softmax: exp(x_k - max) * (1 / sum)
            Method("void", "WriteScaledExp", "ref " + t + " x, ref " + t + " y, " + t + " max, " + t + " scale");
            _w.Line("var m = " + _v + ".Create(max);");
            _w.Line("var a = " + _v + ".Create(scale);");
            Map("y", (i, tail) => Exp(Fresh(i, tail) + " - m") + " * a");
            _w.Close();

            // sum_k w_k q'_k ((x_k - max) - logSum) and the mass sum_k w_k q'_k, q' = keep * q + spread.
            Method(t, "SoftCrossTerms", "ref " + t + " x, ref " + t + " q, ref " + t + " w, bool weighted, " + t + " max, " + t + " logSum, " + t + " keep, " + t + " spread, out " + t + " mass");
            _w.Line("var m = " + _v + ".Create(max);");
            _w.Line("var ls = " + _v + ".Create(logSum);");
            _w.Line("var keepV = " + _v + ".Create(keep);");
            _w.Line("var spreadV = " + _v + ".Create(spread);");
            Reduce(
                new[] { "cross", "massSum" },
                i =>
                {
                    _w.Line("var wq = " + SmoothedTarget(i) + ";");
                    _w.Line("crossAcc += wq * ((" + Load("x", i) + " - m) - ls);");
                    _w.Line("massSumAcc += wq;");
                },
                () =>
                {
                    _w.Line("var wq = " + SmoothedTarget("i") + ";");
                    StartWithTail("cross", "wq * ((" + Load("x", "i") + " - m) - ls)");
                    StartWithTail("massSum", "wq");
                });
            _w.Line("mass = (" + t + ")massSum;");
            _w.Line("return (" + t + ")cross;");
            _w.Close();

            // Probability-target gradient: exp(x_k - max) * scale - gradientScale * w_k q'_k.
            Method("void", "WriteSoftGradient", "ref " + t + " x, ref " + t + " q, ref " + t + " w, bool weighted, ref " + t + " y, " + t + " max, " + t + " scale, " + t + " gradientScale, " + t + " keep, " + t + " spread");
            _w.Line("var m = " + _v + ".Create(max);");
            _w.Line("var a = " + _v + ".Create(scale);");
            _w.Line("var gs = " + _v + ".Create(gradientScale);");
            _w.Line("var keepV = " + _v + ".Create(keep);");
            _w.Line("var spreadV = " + _v + ".Create(spread);");
            Map("y", (i, tail) => "(" + Exp(Fresh(i, tail) + " - m") + " * a) - (gs * (" + SmoothedTarget(i) + "))");
            _w.Close();
        }

        private string SmoothedTarget(string i)
        {
            string smoothed = Fma("keepV", Load("q", i), "spreadV");
            return "weighted ? " + Load("w", i) + " * " + smoothed + " : " + smoothed;
        }

        public void Rows(RowOperation[] operations)
        {
            string args = "in Infra.RowArgs<" + _name + "> args, int firstRow, int endRow";
            foreach (RowOperation operation in operations)
            {
                switch (operation)
                {
                    case RowOperation.LogSoftmax:
                        LogSoftmaxOrSoftmax(args, softmax: false);
                        break;
                    case RowOperation.Softmax:
                        LogSoftmaxOrSoftmax(args, softmax: true);
                        break;
                    case RowOperation.HardForward:
                        Hard(args, gradient: false);
                        break;
                    case RowOperation.HardGradient:
                        Hard(args, gradient: true);
                        break;
                    case RowOperation.SoftForward:
                        Soft(args, gradient: false);
                        break;
                    default:
                        Soft(args, gradient: true);
                        break;
                }
            }
        }

        private void LogSoftmaxOrSoftmax(string args, bool softmax)
        {
            string t = _name;
            string k = N(_k);
            _w.Line();
            _w.Open("private static void " + (softmax ? "Softmax" : "LogSoftmax") + _tag + "(" + args + ")");
            _w.Open("for (int row = firstRow; row < endRow; row++)");
            _w.Line("ref " + t + " x = ref U.Add(ref args.Logits, (nint)row * " + k + ");");
            _w.Line(t + " max = Max" + _tag + "(ref x);");
            _w.Line(softmax
                ? "WriteScaledExp" + _tag + "(ref x, ref U.Add(ref args.Output, (nint)row * " + k + "), max, " + _t.One + " / SumExp" + _tag + "(ref x, max));"
                : "WriteLogProbabilities" + _tag + "(ref x, ref U.Add(ref args.Output, (nint)row * " + k + "), max, " + "Infra.LsrVectorMath.LogOfSum(SumExp" + _tag + "(ref x, max)));");
            _w.Close().Close();
        }

        private void LossPrologue(string args, string name, bool gradient)
        {
            string t = _name;
            _w.Line();
            _w.Open("private static double " + name + _tag + "(" + args + ")");
            _w.Line(t + " eps = args.LabelSmoothing;");
            _w.Line(t + " keep = " + _t.One + " - eps;");
            _w.Line(t + " spread = eps / " + Literal(_k) + ";");
            _w.Line("bool weighted = args.HasWeight;");
            _w.Line(gradient ? t + " scale = args.Scale;" : "bool writeLosses = args.HasOutput;");

            _w.Line("ref " + t + " w = ref args.Weight;");
            _w.Line("double total = 0;");
        }

        private void StoreLoss()
        {
            _w.Open("if (writeLosses)");
            _w.Line("U.Add(ref args.Output, row) = loss;");
            _w.Close();
        }

        private void Hard(string args, bool gradient)
        {
            string t = _name;
            string k = N(_k);
            LossPrologue(args, gradient ? "HardGradient" : "HardForward", gradient);
            _w.Line("int ignore = args.IgnoreIndex;");
            _w.Open("for (int row = firstRow; row < endRow; row++)");
            _w.Line("ref " + t + " x = ref U.Add(ref args.Logits, (nint)row * " + k + ");");
            _w.Line("int target = U.Add(ref args.Targets, row);");
            _w.Open("if (target == ignore)");
            _w.Line("// Ignored rows contribute 0 and get a zero gradient even when their logits hold NaN or Inf.");
            if (gradient)
            {
                _w.Line("Infra.LsrVectorMath.Clear(ref U.Add(ref args.Output, (nint)row * " + k + "), " + k + ");");
            }
            else
            {
                _w.Open("if (writeLosses)");
                _w.Line("U.Add(ref args.Output, row) = " + _t.Zero + ";");
                _w.Close();
            }

            _w.Line("continue;");
            _w.Close();
            _w.Line();
            _w.Line(t + " max = Max" + _tag + "(ref x);");
            _w.Line(t + " targetLogit = U.Add(ref x, target); // read before a gradient written in place replaces it");
            _w.Line(t + " shifted = " + _t.Zero + ";");
            if (gradient)
            {
                _w.Line("ref " + t + " g = ref U.Add(ref args.Output, (nint)row * " + k + ");");
                _w.Line(t + " sum = StoreExpAndSum" + _tag + "(ref x, ref w, weighted, ref g, max, out shifted);");
            }
            else
            {
                _w.Line(t + " sum = eps != " + _t.Zero + " ? SumExpAndShifted" + _tag + "(ref x, ref w, weighted, max, out shifted) : SumExp" + _tag + "(ref x, max);");
            }

            _w.Line(t + " logSum = Infra.LsrVectorMath.LogOfSum(sum);");
            _w.Line(t + " targetWeight = weighted ? U.Add(ref w, target) : " + _t.One + ";");
            _w.Line(t + " loss = keep * -(targetWeight * ((targetLogit - max) - logSum));");
            _w.Open("if (eps != " + _t.Zero + ")");
            _w.Line("// -sum_k w_k logp_k = W log(s) - sum_k w_k (x_k - max); PyTorch skips the term at eps == 0.");
            _w.Line("loss += spread * ((args.WeightTotal * logSum) - shifted);");
            _w.Close();
            _w.Line();
            _w.Line("total += loss;");
            if (gradient)
            {
                _w.Line("// g_j = s ((1-eps) w_t (p_j - [j==t]) + (eps/K)(W p_j - w_j)) over the exps stored in g, then the target.");
                _w.Line(t + " pScale = ((keep * targetWeight) + (spread * args.WeightTotal)) * scale / sum;");
                _w.Line("ScaleAndShift" + _tag + "(ref w, weighted, ref g, pScale, spread * scale);");
                _w.Line("U.Add(ref g, target) -= keep * targetWeight * scale;");
            }
            else
            {
                StoreLoss();
            }

            _w.Close();
            _w.Line();
            _w.Line("return total;");
            _w.Close();
        }

        private void Soft(string args, bool gradient)
        {
            string t = _name;
            string k = N(_k);
            LossPrologue(args, gradient ? "SoftGradient" : "SoftForward", gradient);
            _w.Open("for (int row = firstRow; row < endRow; row++)");
            _w.Line("ref " + t + " x = ref U.Add(ref args.Logits, (nint)row * " + k + ");");
            _w.Line("ref " + t + " q = ref U.Add(ref args.Probabilities, (nint)row * " + k + ");");
            _w.Line(t + " max = Max" + _tag + "(ref x);");
            _w.Line(t + " sum = SumExp" + _tag + "(ref x, max);");
            _w.Line(t + " logSum = Infra.LsrVectorMath.LogOfSum(sum);");
            _w.Line(t + " loss = -SoftCrossTerms" + _tag + "(ref x, ref q, ref w, weighted, max, logSum, keep, spread, out " + t + " mass);");
            _w.Line("total += loss;");
            if (gradient)
            {
                _w.Line("WriteSoftGradient" + _tag + "(ref x, ref q, ref w, weighted, ref U.Add(ref args.Output, (nint)row * " + k + "), max, mass * scale / sum, scale, keep, spread);");
            }
            else
            {
                StoreLoss();
            }

            _w.Close();
            _w.Line();
            _w.Line("return total;");
            _w.Close();
        }
    }
}
