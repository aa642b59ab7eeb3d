using System;
using System.Text;

namespace LsrGen.Tools;

/// <summary>
/// The template of runtime/Shapes/RowLoops/RowKernels.Registers.cs: the fused class-index pass with a row in vector
/// registers, each vector slot's steps written out (one compiled method per count of whole vectors, so the JIT sees
/// straight code). A row of one method holds up to <see cref="SingleRowVectors"/> whole vectors; two rows at a time
/// hold up to <see cref="PairVectors"/> each.
/// </summary>
public static class RegisterRowsTemplate
{
    /// <summary>Whole vectors a single row holds before its last one (16 vectors in all).</summary>
    public const int SingleRowVectors = 15;

    /// <summary>Whole vectors each row of a pair holds (the runtime's TwoRowVectors).</summary>
    public const int PairVectors = 7;

    /// <summary>Writes the file's text.</summary>
    /// <returns>The C# source, LF line ends.</returns>
    public static string Render()
    {
        var w = new StringBuilder();
        w.Append(Header.Replace("{PairVectors}", PairVectors.ToString(), StringComparison.Ordinal));
        for (int i = 1; i <= SingleRowVectors; i++)
        {
            w.Append($"            {i} => FusedInRegisters<TS, TV, Whole{i}>(args, k, firstRow, endRow),\n");
        }

        w.Append(SingleRowStart);
        Loads(w, string.Empty, SingleRowVectors);
        w.Append('\n');
        Maxima(w, string.Empty, SingleRowVectors);
        w.Append('\n');
        Exps(w, string.Empty, SingleRowVectors, "(nuint)args.LogitRowStride");
        w.Append('\n');
        Loss(w, string.Empty);
        w.Append('\n');
        Stores(w, string.Empty, SingleRowVectors);
        w.Append(SingleRowEnd);

        w.Append(PairStart);
        foreach (string row in new[] { "A", "B" })
        {
            RowRead(w, row);
            Loads(w, row, PairVectors);
        }

        w.Append("\n            // Four chains of maxima each (absent vectors repeat the last one, which changes no max).\n");
        Maxima(w, "A", PairVectors);
        w.Append('\n');
        Maxima(w, "B", PairVectors);
        w.Append(PairExpsComment);
        Exps(w, "A", PairVectors, "(2 * (nuint)args.LogitRowStride)");
        w.Append('\n');
        Exps(w, "B", PairVectors, "(2 * (nuint)args.LogitRowStride)");
        w.Append("\n            // The losses, and the scale each row's exps get.\n");
        Loss(w, "A");
        Loss(w, "B");
        w.Append("\n            // As ScaleAndShift, from the kept exps: the last vector first, whose early lanes the whole vectors rewrite.\n");
        Stores(w, "A", PairVectors);
        w.Append('\n');
        Stores(w, "B", PairVectors);
        w.Append(PairEnd);

        w.Append('\n');
        w.Append(WholeVectorsStart);
        for (int i = 1; i <= SingleRowVectors; i++)
        {
            w.Append($"\n    private readonly struct Whole{i} : IWholeVectors\n    {{\n        public static int Count => {i};\n    }}\n");
        }

        w.Append("}\n");
        return w.ToString();
    }

    // A row's pointers, target and target logit (pairs: the single row's lines are in SingleRowStart).
    private static void RowRead(StringBuilder w, string r)
    {
        w.Append($"            ref T x{r} = ref Unsafe.Add(ref args.Logits, row{r} * args.LogitRowStride);\n");
        w.Append($"            ref T g{r} = ref Unsafe.Add(ref args.Output, row{r} * args.OutputRowStride);\n");
        w.Append($"            int target{r} = Unsafe.Add(ref args.Targets, row{r});\n");
        w.Append($"            bool ignored{r} = target{r} == args.IgnoreIndex;\n");
        w.Append($"            target{r} = ignored{r} ? 0 : target{r}; // an ignored row runs as if its target were 0, then gets zeros\n");
        w.Append($"            T targetLogit{r} = Unsafe.Add(ref x{r}, target{r});\n");
    }

    private static void Loads(StringBuilder w, string r, int count)
    {
        w.Append($"            TV t{r} = TS.Load(ref x{r}, last);\n");
        for (int i = 0; i < count; i++)
        {
            w.Append($"            TV v{i}{r} = TWhole.Count > {i} ? TS.Load(ref x{r}, {i} * width) : t{r};\n");
        }
    }

    // Four chains of maxima, vector i joining chain i % 4.
    private static void Maxima(StringBuilder w, string r, int count)
    {
        w.Append($"            TV max0{r} = TS.MaxNative(t{r}, v0{r});\n");
        for (int chain = 1; chain < 4; chain++)
        {
            w.Append($"            TV max{chain}{r} = v{chain}{r};\n");
        }

        for (int i = 4; i < count; i++)
        {
            w.Append(i == 4 ? string.Empty : "\n");
            w.Append($"            if (TWhole.Count > {i})\n            {{\n                max{i % 4}{r} = TS.MaxNative(max{i % 4}{r}, v{i}{r});\n            }}\n");
        }

        w.Append($"\n            T max{r} = TS.HorizontalMax(TS.MaxNative(TS.MaxNative(max0{r}, max1{r}), TS.MaxNative(max2{r}, max3{r})));\n");
        w.Append($"            TV m{r} = TS.Broadcast(max{r});\n");
    }

    // The exps and the sums, each exp kept in place of its logits.
    private static void Exps(StringBuilder w, string r, int count, string stride)
    {
        w.Append($"            TV dLast{r} = TS.Subtract(TS.SelectFromLane(firstLane, t{r}, m{r}), m{r});\n");
        w.Append($"            t{r} = TS.Exp(dLast{r});\n");
        w.Append($"            TV acc{r} = partial ? TS.SelectFromLane(firstLane, t{r}, TS.Zero) : TS.Zero;\n");
        w.Append($"            TV accShifted{r} = partial ? TS.SelectFromLane(firstLane, weighted ? TS.Multiply(TS.Load(ref w, last), dLast{r}) : dLast{r}, TS.Zero) : TS.Zero;\n");
        w.Append($"            TV d{r};\n");
        for (int i = 0; i < count; i++)
        {
            w.Append(i == 0 ? string.Empty : "\n");
            w.Append($"            if (TWhole.Count > {i})\n            {{\n");
            w.Append($"                if (prefetch)\n                {{\n");
            w.Append($"                    LsrVectorMath.Prefetch(ref x{r}, {stride} + ({i} * width));\n                }}\n\n");
            w.Append($"                d{r} = TS.Subtract(v{i}{r}, m{r});\n");
            w.Append($"                v{i}{r} = TS.Exp(d{r});\n");
            w.Append($"                acc{r} = TS.Add(acc{r}, v{i}{r});\n");
            w.Append($"                accShifted{r} = weighted ? TS.MultiplyAdd(TS.Load(ref w, {i} * width), d{r}, accShifted{r}) : TS.Add(accShifted{r}, d{r});\n");
            w.Append("            }\n");
        }

        w.Append($"\n            if (!partial)\n            {{\n");
        w.Append($"                acc{r} = TS.Add(acc{r}, t{r});\n");
        w.Append($"                accShifted{r} = weighted ? TS.MultiplyAdd(TS.Load(ref w, last), dLast{r}, accShifted{r}) : TS.Add(accShifted{r}, dLast{r});\n");
        w.Append("            }\n");
    }

    private static void Loss(StringBuilder w, string r)
    {
        w.Append($"            T sum{r} = T.CreateTruncating(double.CreateTruncating(TS.HorizontalSum(acc{r})));\n");
        w.Append($"            T shifted{r} = T.CreateTruncating(double.CreateTruncating(TS.HorizontalSum(accShifted{r})));\n");
        w.Append($"            T targetWeight{r} = weighted ? Unsafe.Add(ref w, target{r}) : T.One;\n");
        w.Append($"            T loss{r} = ClassIndexLoss(args, LsrVectorMath.LogOfSum(sum{r}), max{r}, targetLogit{r}, targetWeight{r}, shifted{r}, keep, spread, out T lse{r});\n");
        w.Append($"            TV a{r} = TS.Broadcast(GradientMass(args, targetWeight{r}, keep, spread, lse{r}) * scale / sum{r});\n");
    }

    // The gradient from the kept exps, the last vector first, then the target's term (or zeros for an ignored row).
    private static void Stores(StringBuilder w, string r, int count)
    {
        w.Append($"            TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, last), TS.Multiply(t{r}, a{r})) : TS.MultiplyAdd(t{r}, a{r}, minusB), ref g{r}, last);\n");
        for (int i = 0; i < count; i++)
        {
            w.Append(i == 0 ? string.Empty : "\n");
            w.Append($"            if (TWhole.Count > {i})\n            {{\n");
            w.Append($"                TS.Store(weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, {i} * width), TS.Multiply(v{i}{r}, a{r})) : TS.MultiplyAdd(v{i}{r}, a{r}, minusB), ref g{r}, {i} * width);\n");
            w.Append("            }\n");
        }

        w.Append($"\n            if (ignored{r})\n            {{\n");
        w.Append($"                LsrVectorMath.Clear(ref g{r}, (nuint)k);\n");
        w.Append("            }\n            else\n            {\n");
        w.Append($"                total += double.CreateTruncating(loss{r});\n");
        w.Append($"                Unsafe.Add(ref g{r}, target{r}) -= keep * targetWeight{r} * scale;\n");
        w.Append("            }\n");
    }

    private const string Header = """
        using System.Diagnostics;
        using System.Runtime.CompilerServices;

        namespace LsrGen.Shapes.RowLoops;

        // Written by tools/LsrGen.Templates from its template (RegisterRowsTemplate.cs): edit the template, not this file.

        /// <summary>
        /// The fused loss and gradient for rows of at most 16 vectors (float K up to 256 with AVX-512), the row held in
        /// registers: read once, its exps kept for the scaling that their sum decides, so the row loops' store of the exps
        /// and their reload in a third pass go away. The same arithmetic in the same order as the row loops (the same bits).
        /// Rows of up to <see cref="TwoRowVectors"/> whole vectors run two at a time, phase by phase, so that one row's
        /// reductions, log and division overlap the other's.
        /// </summary>
        /// <remarks>
        /// Each vector slot's steps are written out (RowPrimitives' one-vector ScaleAndShift and AddShifted spelled in place):
        /// called through those helpers, the methods ran slower at mid K (the JIT's inlining budget ran out).
        /// </remarks>
        public static partial class RowKernels<T, TClasses>
        {
            // Two rows of this many whole vectors (and their last vectors and temporaries) still fit 32 vector registers.
            private const int TwoRowVectors = {PairVectors};

            /// <summary>
            /// The fused class-index gradient in the row loops even where the registers serve it (no gathered blocks either):
            /// tests compare the two bit for bit.
            /// </summary>
            internal static double ClassIndexGradientInRowLoops(in RowArgs<T> args, int firstRow, int endRow) => Dispatch<ClassIndexPassRows<GradientPass>>(args, firstRow, endRow);

            // K splits into whole vectors before a last one that ends at K (it may overlap the one before): one compiled
            // method per count of whole vectors, so the registers' code is straight.
            private static double FusedInRegisters<TS, TV>(in RowArgs<T> args, int k, int firstRow, int endRow)
                where TS : struct, ISimd<T, TV>
                where TV : struct
                => ((k - 1) / TS.Count) switch
                {

        """;

    private const string SingleRowStart = """
                    _ => throw new UnreachableException(),
                };

            [MethodImpl(MethodImplOptions.NoInlining)]
            private static double FusedInRegisters<TS, TV, TWhole>(in RowArgs<T> args, int k, int firstRow, int endRow)
                where TS : struct, ISimd<T, TV>
                where TV : struct
                where TWhole : struct, IWholeVectors
            {
                T eps = args.LabelSmoothing;
                T keep = Smoothing.Keep(eps);
                T spread = Smoothing.Spread(eps, k);
                T scale = args.Scale;
                bool weighted = args.HasWeight;
                ref T w = ref args.Weight;
                nuint width = (nuint)TS.Count;
                nuint last = (nuint)k - width;
                int firstLane = (int)(((nuint)TWhole.Count * width) - last);
                bool partial = firstLane > 0;
                bool prefetch = TS.Count * Unsafe.SizeOf<T>() >= 32;
                TV minusB = TS.Broadcast(-(spread * scale));
                double total = 0;
                int row = firstRow;
                if (TWhole.Count <= TwoRowVectors)
                {
                    row = firstRow + ((endRow - firstRow) & ~1);
                    total = FusedRowPairs<TS, TV, TWhole>(args, k, firstRow, row);
                }

                for (; row < endRow; row++)
                {
                    ref T x = ref Unsafe.Add(ref args.Logits, row * args.LogitRowStride);
                    ref T g = ref Unsafe.Add(ref args.Output, row * args.OutputRowStride);
                    int target = Unsafe.Add(ref args.Targets, row);
                    bool ignored = target == args.IgnoreIndex;
                    target = ignored ? 0 : target; // an ignored row runs as if its target were 0, then gets zeros
                    T targetLogit = Unsafe.Add(ref x, target);

        """;

    private const string SingleRowEnd = """
                }

                return total;
            }

            // Two rows at a time, phase by phase, in a method of its own: with the single rows' code beside it, the method grew
            // past the JIT's limits for optimising and ran several times slower.
            [MethodImpl(MethodImplOptions.NoInlining)]
            private static double FusedRowPairs<TS, TV, TWhole>(in RowArgs<T> args, int k, int firstRow, int endRow)
                where TS : struct, ISimd<T, TV>
                where TV : struct
                where TWhole : struct, IWholeVectors
            {

        """;

    private const string PairStart = """
                T eps = args.LabelSmoothing;
                T keep = Smoothing.Keep(eps);
                T spread = Smoothing.Spread(eps, k);
                T scale = args.Scale;
                bool weighted = args.HasWeight;
                ref T w = ref args.Weight;
                nuint width = (nuint)TS.Count;
                nuint last = (nuint)k - width;
                int firstLane = (int)(((nuint)TWhole.Count * width) - last);
                bool partial = firstLane > 0;
                bool prefetch = TS.Count * Unsafe.SizeOf<T>() >= 32;
                TV minusB = TS.Broadcast(-(spread * scale));
                double total = 0;
                for (int row = firstRow; row < endRow; row += 2)
                {
                    int rowA = row;
                    int rowB = row + 1;

                    // Both rows read.

        """;

    private const string PairExpsComment = """

                    // As StoreExpAndSum: a partial last vector first, its lanes before firstLane (held by the whole vectors) set to
                    // the max and left out of the sums; then the whole vectors in order, each exp kept in place of its logits; a whole
                    // last vector (K a multiple of the width) last.

        """;

    private const string PairEnd = """
                }

                return total;
            }

        """;

    private const string WholeVectorsStart = """
            /// <summary>How many whole vectors a row holds before its last one, as a type (a JIT-time constant).</summary>
            private interface IWholeVectors
            {
                static abstract int Count { get; }
            }

        """;
}
