using System.Linq;
using LsrGen.Routing;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Writes the IBlockKernel members of one K: each block operation once, generic over the element type and the vector
/// width, as the runtime's per-class steps (BlockMath, ClassIndexBlock, ProbabilityBlock) unrolled over K class vectors, which the
/// JIT keeps in registers; and the two transposes that move a block between memory and those vectors, one branch per
/// width (the JIT keeps the one it compiles for).
/// </summary>
internal static class BlockEmitter
{
    private const string Math = "LsrLossMath.BlockMath<T, TS, TV>";

    // Each operation's writer, in the order RowOperation declares them.
    private static readonly System.Action<IndentedWriter, int>[] Emitters =
        [LogSoftmax, Softmax, ClassIndexForward, ClassIndexGradient, ProbabilityForward, ProbabilityGradient, ClassIndexBackward, ProbabilityBackward];

    public static void Emit(IndentedWriter w, int classes, RowOperation[] operations)
    {
        foreach (RowOperation operation in operations)
        {
            w.Line();
            Emitters[(int)operation](w, classes);
        }

        w.Line();
        Columns(w, classes);
        if (operations.Any(o => o != RowOperation.ClassIndexForward && o != RowOperation.ProbabilityForward))
        {
            w.Line();
            Rows(w, classes);
        }

        foreach (BlockWidth width in KernelEmitter.Widths(classes).Where(b => b.TwoSourcePermute))
        {
            w.Line();
            TransposeEmitter.PermuteHelper(w, width);
        }
    }

    private static void LogSoftmax(IndentedWriter w, int k)
    {
        using (Signature(w, "void", "LogSoftmax", "ref T logits, ref T destination"))
        {
            LoadAndMax(w, k);
            w.Line($"var s = {Math}.Exp(c0, m);");
            w.Line($"var r = {Math}.AddRest(default, c0, m, s);");
            For(w, 1, k, j => $"var e{j} = {Math}.Exp(c{j}, m);");
            For(w, 1, k, j => $"s = {Math}.Add(s, e{j});");
            For(w, 1, k, j => $"r = {Math}.AddRest(r, c{j}, m, e{j});");
            w.Line($"var ls = {Math}.Log(s, r);");
            Store(w, "destination", k, j => $"{Math}.LogProbability(c{j}, m, ls)");
        }
    }

    private static void Softmax(IndentedWriter w, int k)
    {
        using (Signature(w, "void", "Softmax", "ref T logits, ref T destination"))
        {
            LoadAndMax(w, k);
            For(w, 0, k, j => $"var e{j} = {Math}.Exp(c{j}, m);");
            w.Line("var s = e0;");
            For(w, 1, k, j => $"s = {Math}.Add(s, e{j});");
            w.Line($"var inverse = {Math}.Inverse(s);");
            Store(w, "destination", k, j => $"{Math}.Probability(e{j}, inverse)");
        }
    }

    private static void ClassIndexForward(IndentedWriter w, int k)
    {
        using (Signature(w, "TV", "ClassIndexForward", "in LsrContract.BlockArgs<T> args, ref T logits, ref int targets, ref T logSumExp", output: true))
        {
            LoadAndMax(w, k);
            w.Line("var h = new LsrLossMath.ClassIndexBlock<T, TS, TV>(args, ref targets);");
            For(w, 0, k, j => $"h.AddForLoss<TOutput>(args, {j}, c{j}, m);");
            w.Line("return h.RowLoss<TOutput>(args, ref logSumExp);");
        }
    }

    private static void ClassIndexGradient(IndentedWriter w, int k)
    {
        using (Signature(w, "TV", "ClassIndexGradient", "in LsrContract.BlockArgs<T> args, ref T logits, ref int targets, ref T gradient"))
        {
            LoadAndMax(w, k);
            w.Line("var h = new LsrLossMath.ClassIndexBlock<T, TS, TV>(args, ref targets);");
            For(w, 0, k, j => $"var e{j} = h.Add(args, {j}, c{j}, m);");
            w.Line("var loss = h.Loss(args);");
            w.Line("h.StartGradient(args);");
            Store(w, "gradient", k, j => $"h.Gradient(args, {j}, e{j})");
            w.Line("return loss;");
        }
    }

    private static void ProbabilityForward(IndentedWriter w, int k)
    {
        using (Signature(w, "TV", "ProbabilityForward", "in LsrContract.BlockArgs<T> args, ref T logits, ref T probabilities, ref T logSumExp", output: true))
        {
            LoadAndMax(w, k);
            Load(w, "probabilities", "q", k);
            w.Line("var b = new LsrLossMath.ProbabilityBlock<T, TS, TV>();");
            For(w, 0, k, j => $"b.AddExpForLoss<TOutput>(c{j}, m);");
            w.Line("b.CloseForLoss<TOutput>();");
            For(w, 0, k, j => $"b.Cross(args, {j}, q{j}, c{j}, m);");
            w.Line("return b.RowLoss(args, ref logSumExp);");
        }
    }

    private static void ProbabilityGradient(IndentedWriter w, int k)
    {
        using (Signature(w, "TV", "ProbabilityGradient", "in LsrContract.BlockArgs<T> args, ref T logits, ref T probabilities, ref T gradient"))
        {
            LoadAndMax(w, k);
            Load(w, "probabilities", "q", k);
            w.Line("var b = new LsrLossMath.ProbabilityBlock<T, TS, TV>();");
            For(w, 0, k, j => $"var e{j} = b.AddExp(c{j}, m);");
            w.Line("b.Close();");
            For(w, 0, k, j => $"var wq{j} = b.Cross(args, {j}, q{j}, c{j}, m);");
            w.Line("var loss = b.Loss(args);");
            w.Line("b.StartGradient(args);");
            Store(w, "gradient", k, j => $"b.Gradient(args, e{j}, wq{j})");
            w.Line("return loss;");
        }
    }

    private static void ClassIndexBackward(IndentedWriter w, int k)
    {
        using (Signature(w, "void", "ClassIndexBackward", "in LsrContract.BlockArgs<T> args, ref T logits, ref int targets, ref T logSumExp, ref T lossGradients, ref T gradient"))
        {
            Load(w, "logits", "c", k);
            w.Line("var h = new LsrLossMath.ClassIndexBlock<T, TS, TV>(args, ref targets);");
            For(w, 0, k, j => $"h.AddTarget(args, {j});");
            w.Line("h.StartBackward(args, ref logSumExp, ref lossGradients);");
            Store(w, "gradient", k, j => $"h.Backward(args, {j}, c{j})");
        }
    }

    private static void ProbabilityBackward(IndentedWriter w, int k)
    {
        using (Signature(w, "void", "ProbabilityBackward", "in LsrContract.BlockArgs<T> args, ref T logits, ref T probabilities, ref T logSumExp, ref T lossGradients, ref T gradient"))
        {
            Load(w, "logits", "c", k);
            Load(w, "probabilities", "q", k);
            w.Line("var b = new LsrLossMath.ProbabilityBlock<T, TS, TV>();");
            For(w, 0, k, j => $"var wq{j} = b.AddMass(args, {j}, q{j});");
            w.Line("b.StartBackward(args, ref logSumExp, ref lossGradients);");
            Store(w, "gradient", k, j => $"b.Backward(args, c{j}, wq{j})");
        }
    }

    /// <summary>
    /// Columns(ref rows, out c0, ..., out c{K-1}): a call of the method of the width TV is (the JIT keeps that branch
    /// alone), so a block method inlines only the IL of its own width's transpose.
    /// </summary>
    private static void Columns(IndentedWriter w, int k)
    {
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        string outs = string.Join(", ", Enumerable.Range(0, k).Select(j => $"out TV c{j}"));
        w.Line($"private static void Columns<T, TV>(ref T rows, {outs})");
        w.Line("    where T : unmanaged");
        w.Line("    where TV : struct");
        w.Line("{");
        using (w.Indented())
        {
            For(w, 0, k, j => $"U.SkipInit(out c{j});");
            WidthBranches(w, k, width =>
                $"{TransposeEmitter.ColumnsName(width)}(ref U.As<T, {width.Element}>(ref rows), {string.Join(", ", Enumerable.Range(0, k).Select(j => $"out U.As<TV, {width.Alias}>(ref c{j})"))});");
        }

        foreach (BlockWidth width in KernelEmitter.Widths(k))
        {
            TransposeEmitter.ToColumns(w, width, k);
        }
    }

    /// <summary>Rows(ref rows, c0, ..., c{K-1}): the inverse of Columns.</summary>
    private static void Rows(IndentedWriter w, int k)
    {
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        string values = string.Join(", ", Enumerable.Range(0, k).Select(j => $"TV c{j}"));
        w.Line($"private static void Rows<T, TV>(ref T rows, {values})");
        w.Line("    where T : unmanaged");
        w.Line("    where TV : struct");
        w.Line("{");
        using (w.Indented())
        {
            WidthBranches(w, k, width =>
                $"{TransposeEmitter.RowsName(width)}(ref U.As<T, {width.Element}>(ref rows), {string.Join(", ", Enumerable.Range(0, k).Select(j => $"U.As<TV, {width.Alias}>(ref c{j})"))});");
        }

        foreach (BlockWidth width in KernelEmitter.Widths(k))
        {
            TransposeEmitter.FromColumns(w, width, k);
        }
    }

    private static void WidthBranches(IndentedWriter w, int k, System.Func<BlockWidth, string> call)
    {
        bool first = true;
        foreach (BlockWidth width in KernelEmitter.Widths(k))
        {
            w.Line($"{(first ? "if" : "else if")} (typeof(TV) == typeof({width.Alias}))");
            w.Line("{");
            w.Line($"    {call(width)}");
            w.Line("}");
            first = false;
        }

        using (w.Block("else"))
        {
            w.Line("throw new global::System.NotSupportedException();");
        }
    }

    private static IndentedWriter.Scope Signature(IndentedWriter w, string returns, string name, string parameters, bool output = false)
    {
        w.Line("/// <inheritdoc/>");
        w.Line($"public static {returns} {name}<T, TS, TV{(output ? ", TOutput" : "")}>({parameters})");
        w.Line("    where T : unmanaged, global::System.Numerics.IFloatingPointIeee754<T>");
        w.Line("    where TS : struct, global::LsrGen.Simd.IBlockSimd<T, TV>");
        w.Line("    where TV : struct");
        if (output)
        {
            w.Line("    where TOutput : struct, LsrContract.ILossOutput");
        }

        w.Line("{");
        return w.Indented();
    }

    private static void LoadAndMax(IndentedWriter w, int k)
    {
        Load(w, "logits", "c", k);
        w.Line("var m = c0;");
        For(w, 1, k, j => $"m = {Math}.Max(m, c{j});");
    }

    private static void Load(IndentedWriter w, string source, string prefix, int k)
        => w.Line($"Columns<T, TV>(ref {source}, {string.Join(", ", Enumerable.Range(0, k).Select(j => $"out var {prefix}{j}"))});");

    private static void Store(IndentedWriter w, string destination, int k, System.Func<int, string> value)
    {
        w.Line("Rows<T, TV>(");
        w.Line($"    ref {destination},");
        for (int j = 0; j < k; j++)
        {
            w.Line($"    {value(j)}{(j == k - 1 ? ");" : ",")}");
        }
    }

    private static void For(IndentedWriter w, int from, int to, System.Func<int, string> line)
    {
        for (int j = from; j < to; j++)
        {
            w.Line(line(j));
        }
    }
}
