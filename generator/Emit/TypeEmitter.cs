using System.Globalization;
using LsrGen.Generator.Model;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Emits the user's partial type: <c>Classes</c> and the public kernel methods of LsrKernels without the
/// <c>classes</c> parameter, each forwarding to the shared runner with this K's generated row kernel.
/// </summary>
internal static class TypeEmitter
{
    private const string Runner = "global::LsrGen.Contract.LsrKernelRunner";
    private const string Span = "global::System.Span";
    private const string ReadOnlySpan = "global::System.ReadOnlySpan";
    private const string Reduction = "global::LsrGen.Reduction";

    public static string Emit(KernelSpec spec)
    {
        var w = new IndentedWriter();
        GeneratedText.Header(w);
        w.Line("// The user's own declaration already carries any naming warning (CS8981); do not repeat it here.");
        w.Line("#pragma warning disable CS8981");
        w.Line();
        // One scope per enclosing declaration (namespace, containing types, the type itself), closed innermost first.
        var scopes = new System.Collections.Generic.Stack<IndentedWriter.Scope>();
        if (spec.Namespace.Length > 0)
        {
            scopes.Push(w.Block($"namespace {spec.Namespace}"));
        }

        foreach (TypeDeclarationSpec type in spec.Types)
        {
            scopes.Push(w.Block($"partial {type.Keyword} {type.Name}"));
        }

        string kernel = KernelEmitter.KernelTypeName(spec.Classes);
        w.Line($"/// <summary>The class count K = {spec.Classes} these kernels are specialised for.</summary>");
        w.Line($"public const int {GeneratedMembers.Classes} = {spec.Classes};");
        foreach (string t in new[] { "float", "double" })
        {
            Emit(w, t, kernel, spec.Classes.ToString(CultureInfo.InvariantCulture));
        }

        while (scopes.Count > 0)
        {
            scopes.Pop().Dispose();
        }

        return w.ToString();
    }

    private static void Emit(IndentedWriter w, string t, string kernel, string k)
    {
        string runner = $"{Runner}<{t}, {kernel}>";
        string logits = $"{ReadOnlySpan}<{t}> logits";
        string targets = $"{ReadOnlySpan}<int> targets";
        string probabilities = $"{ReadOnlySpan}<{t}> targetProbabilities";
        string weight = $"{ReadOnlySpan}<{t}> weight = default";
        string eps = $"{t} labelSmoothing = 0";
        string reduction = $"{Reduction} reduction = {Reduction}.Mean";
        string ignore = "int ignoreIndex = -100";
        string output = $"{Span}<{t}>";

        Method(w, $"Writes log_softmax of each row of {k} logits: (x - max) - log(sum(exp(x - max))).",
            "void", GeneratedMembers.LogSoftmax, $"{logits}, {output} destination",
            $"{runner}.LogSoftmax(logits, Classes, destination)",
            ("logits", "N rows of K logits, row-major."), ("destination", "N * K log-probabilities; may be exactly the logits' memory (in place)."));
        Method(w, $"Writes softmax of each row of {k} logits.",
            "void", GeneratedMembers.Softmax, $"{logits}, {output} destination",
            $"{runner}.Softmax(logits, Classes, destination)",
            ("logits", "N rows of K logits, row-major."), ("destination", "N * K probabilities; may be exactly the logits' memory (in place)."));
        Method(w, "Picks each row's target column (0 for an ignored row), as torch.gather along the class dimension.",
            "void", GeneratedMembers.GatherTargets, $"{ReadOnlySpan}<{t}> values, {targets}, {output} destination, {ignore}",
            "global::LsrGen.LsrKernels.GatherTargets(values, Classes, targets, destination, ignoreIndex)",
            ("values", "N rows of K values."), ("targets", "N class indices in [0, K), or ignoreIndex."), ("destination", "N values."), ("ignoreIndex", "The target value of rows that get 0."));
        Method(w, "Label-smoothing cross-entropy with class-index targets, reduced (F.cross_entropy).",
            t, GeneratedMembers.CrossEntropy, $"{logits}, {targets}, {eps}, {reduction}, {ignore}, {weight}",
            $"{runner}.CrossEntropy(logits, Classes, targets, labelSmoothing, reduction, ignoreIndex, weight)",
            ("logits", "N rows of K logits."), ("targets", "N class indices in [0, K), or ignoreIndex."), ("labelSmoothing", "eps in [0, 1]."),
            ("reduction", "Mean divides by the summed weight of the non-ignored targets; Sum adds."), ("ignoreIndex", "The target value of rows that contribute nothing."),
            ("weight", "Optional K non-negative class weights."));
        Method(w, "Per-row label-smoothing cross-entropy with class-index targets (reduction \"none\"); ignored rows get 0.",
            "void", GeneratedMembers.CrossEntropy, $"{logits}, {targets}, {output} losses, {eps}, {ignore}, {weight}",
            $"{runner}.CrossEntropy(logits, Classes, targets, losses, labelSmoothing, ignoreIndex, weight)",
            ("logits", "N rows of K logits."), ("targets", "N class indices in [0, K), or ignoreIndex."), ("losses", "N losses."), ("labelSmoothing", "eps in [0, 1]."),
            ("ignoreIndex", "The target value of rows that get loss 0."), ("weight", "Optional K non-negative class weights."));
        Method(w, "Reduced label-smoothing cross-entropy with class-index targets and its gradient with respect to the logits, in one pass.",
            t, GeneratedMembers.CrossEntropyWithGradient, $"{logits}, {targets}, {output} gradient, {eps}, {reduction}, {ignore}, {weight}",
            $"{runner}.CrossEntropyWithGradient(logits, Classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight)",
            ("logits", "N rows of K logits."), ("targets", "N class indices in [0, K), or ignoreIndex."), ("gradient", "N * K gradient values; may be exactly the logits' memory."),
            ("labelSmoothing", "eps in [0, 1]."), ("reduction", "The reduction the gradient is taken of."), ("ignoreIndex", "The target value of rows that contribute nothing."),
            ("weight", "Optional K non-negative class weights."));
        Method(w, "Label-smoothing cross-entropy with probability targets, reduced (the mean divides by N).",
            t, GeneratedMembers.CrossEntropy, $"{logits}, {probabilities}, {eps}, {reduction}, {weight}",
            $"{runner}.CrossEntropy(logits, Classes, targetProbabilities, labelSmoothing, reduction, weight)",
            ("logits", "N rows of K logits."), ("targetProbabilities", "N * K finite, non-negative probabilities."), ("labelSmoothing", "eps in [0, 1]."),
            ("reduction", "Mean divides by N; Sum adds."), ("weight", "Optional K non-negative class weights."));
        Method(w, "Per-row label-smoothing cross-entropy with probability targets (reduction \"none\").",
            "void", GeneratedMembers.CrossEntropy, $"{logits}, {probabilities}, {output} losses, {eps}, {weight}",
            $"{runner}.CrossEntropy(logits, Classes, targetProbabilities, losses, labelSmoothing, weight)",
            ("logits", "N rows of K logits."), ("targetProbabilities", "N * K finite, non-negative probabilities."), ("losses", "N losses."),
            ("labelSmoothing", "eps in [0, 1]."), ("weight", "Optional K non-negative class weights."));
        Method(w, "Reduced label-smoothing cross-entropy with probability targets and its gradient with respect to the logits.",
            t, GeneratedMembers.CrossEntropyWithGradient, $"{logits}, {probabilities}, {output} gradient, {eps}, {reduction}, {weight}",
            $"{runner}.CrossEntropyWithGradient(logits, Classes, targetProbabilities, gradient, labelSmoothing, reduction, weight)",
            ("logits", "N rows of K logits."), ("targetProbabilities", "N * K finite, non-negative probabilities."), ("gradient", "N * K gradient values; may be exactly the logits' memory."),
            ("labelSmoothing", "eps in [0, 1]."), ("reduction", "Mean divides by N; Sum adds."), ("weight", "Optional K non-negative class weights."));
        Method(w, "The backward of log-softmax (torch._log_softmax_backward_data): inputGradient = outputGradient - exp(output) * (the row's sum of outputGradient).",
            "void", GeneratedMembers.LogSoftmaxBackward, $"{ReadOnlySpan}<{t}> output, {ReadOnlySpan}<{t}> outputGradient, {output} inputGradient",
            $"{runner}.LogSoftmaxBackward(output, outputGradient, Classes, inputGradient)",
            ("output", "N rows of K log-probabilities."), ("outputGradient", "N * K gradient values of the output."),
            ("inputGradient", "N * K gradient values of the logits; may be exactly outputGradient's memory (in place), must not overlap output."));
        Method(w, "The backward of softmax (torch._softmax_backward_data): inputGradient = output * (outputGradient - (the row's sum of outputGradient * output)).",
            "void", GeneratedMembers.SoftmaxBackward, $"{ReadOnlySpan}<{t}> output, {ReadOnlySpan}<{t}> outputGradient, {output} inputGradient",
            $"{runner}.SoftmaxBackward(output, outputGradient, Classes, inputGradient)",
            ("output", "N rows of K probabilities."), ("outputGradient", "N * K gradient values of the output."),
            ("inputGradient", "N * K gradient values of the logits; may be exactly outputGradient's memory (in place), must not overlap output."));
        Method(w, "Each row's index of its first maximum (the first NaN on a row holding NaN; 0 on a row of all -Inf), as torch.argmax(values, -1).",
            "void", GeneratedMembers.ArgMax, $"{ReadOnlySpan}<{t}> values, {Span}<int> destination",
            $"{runner}.ArgMax(values, Classes, destination)",
            ("values", "N rows of K values."), ("destination", "N class indices."));
    }

    private static void Method(IndentedWriter w, string summary, string returns, string name, string parameters, string body, params (string Name, string Text)[] docs)
    {
        w.Line();
        w.Line($"/// <summary>{summary}</summary>");
        foreach ((string paramName, string text) in docs)
        {
            w.Line($"/// <param name=\"{paramName}\">{text}</param>");
        }

        if (returns != "void")
        {
            w.Line("/// <returns>The reduced loss.</returns>");
        }

        w.Line("/// <exception cref=\"global::System.ArgumentException\">An argument is invalid (see LsrKernels); nothing has been written.</exception>");
        w.Line(GeneratedText.GeneratedCode);
        w.Line($"public static {returns} {name}({parameters})");
        w.Line($"    => {body};");
    }
}
