using System.Globalization;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Emits, once per K, the row-kernel struct that implements ILsrRowKernel for float and double, and the module
/// initialiser that registers it with LsrKernels' router under the routing winner's name.
/// </summary>
internal static class KernelEmitter
{
    /// <summary>Up to this K the per-class work is written out and rows go 16 (float) / 8 (double) to a Vector512.</summary>
    public const int SmallClassLimit = 16;

    public static string KernelTypeName(int classes) => "global::LsrGen.Generated.LsrKernel" + classes.ToString(CultureInfo.InvariantCulture);

    public static string Emit(KernelGroup group)
    {
        string k = group.Classes.ToString(CultureInfo.InvariantCulture);
        string name = "LsrKernel" + k;
        var w = new CodeWriter();
        GeneratedText.Header(w);
        bool small = group.Classes <= SmallClassLimit;
        w.Open("namespace LsrGen.Generated");
        if (small)
        {
            w.Line("using Avx512 = global::System.Runtime.Intrinsics.X86.Avx512F;");
        }

        w.Line("using Infra = global::LsrGen.Infrastructure;");
        if (small)
        {
            w.Line("using U = global::System.Runtime.CompilerServices.Unsafe;");
            w.Line("using V256 = global::System.Runtime.Intrinsics.Vector256;");
            w.Line("using V512 = global::System.Runtime.Intrinsics.Vector512;");
            w.Line("using Vd = global::System.Runtime.Intrinsics.Vector512<double>;");
            w.Line("using Vf = global::System.Runtime.Intrinsics.Vector512<float>;");
        }

        w.Line();
        w.Line("/// <summary>Row kernels generated for exactly " + k + " classes. Infrastructure for generated code.</summary>");
        w.Line(GeneratedText.GeneratedCode);
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        if (small)
        {
            w.Open("internal readonly struct " + name + " : Infra.ILsrRowKernel<float>, Infra.ILsrRowKernel<double>");
            SmallKernelEmitter.Emit(w, group.Classes, ElementType.Float);
            SmallKernelEmitter.Emit(w, group.Classes, ElementType.Double);
        }
        else
        {
            w.Open("internal readonly struct " + name + " : Infra.ILsrRowKernel<float>, Infra.ILsrRowKernel<double>, Infra.IClassCount");
            EmitLarge(w, name, k);
        }

        w.Close();
        w.Line();
        w.Line("/// <summary>Registers <see cref=\"" + name + "\"/> so that LsrKernels routes " + k + " classes to it.</summary>");
        w.Line(GeneratedText.GeneratedCode);
        w.Open("internal static class " + name + "Registration");
        w.Line("/// <summary>Runs when the assembly loads.</summary>");
        w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
        w.Line("internal static void Register() => Infra.LsrKernelRegistry.Register<" + name + ">(" + k + ", \"" + Escape(group.RoutedTypeName) + "\");");
        w.Close();
        w.Close();
        return w.ToString();
    }

    // Large K: the runtime's row loops, with K fixed at JIT time through IClassCount (constant trip counts, no
    // remainder branches left after folding).
    private static void EmitLarge(CodeWriter w, string name, string k)
    {
        w.Line("/// <summary>Returns the constant K = " + k + ".</summary>");
        w.Line("/// <param name=\"runtimeClasses\">Ignored.</param>");
        w.Line("/// <returns>" + k + ".</returns>");
        w.Line("public static int Resolve(int runtimeClasses) => " + k + ";");
        foreach (string t in new[] { "float", "double" })
        {
            string rows = "Infra.RowKernels<" + t + ", " + name + ">";
            string args = "in Infra.RowArgs<" + t + "> args, int firstRow, int endRow";
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line("public static void LogSoftmax(" + args + ") => " + rows + ".LogSoftmax(args, firstRow, endRow);");
            w.Line("/// <inheritdoc/>");
            w.Line("public static void Softmax(" + args + ") => " + rows + ".Softmax(args, firstRow, endRow);");
            foreach (string op in new[] { "HardForward", "HardGradient", "SoftForward", "SoftGradient" })
            {
                w.Line("/// <inheritdoc/>");
                w.Line("public static double " + op + "(" + args + ") => " + rows + "." + op + "(args, firstRow, endRow);");
            }
        }
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}

/// <summary>float or double, as the small-K emitter writes them.</summary>
internal sealed class ElementType
{
    public static readonly ElementType Float = new("float", "Vf", 16, "global::System.MathF", "Avx512.PermuteVar16x32x2", "", "AsSingle", "1f", "0f");
    public static readonly ElementType Double = new("double", "Vd", 8, "global::System.Math", "Avx512.PermuteVar8x64x2", "L", "AsDouble", "1d", "0d");

    private ElementType(string name, string vector, int lanes, string math, string permute, string indexSuffix, string asMask, string one, string zero)
    {
        Name = name;
        Vector = vector;
        Lanes = lanes;
        Math = math;
        Permute = permute;
        IndexSuffix = indexSuffix;
        AsMask = asMask;
        One = one;
        Zero = zero;
    }

    public string Name { get; }

    public string Vector { get; }

    public int Lanes { get; }

    public string Math { get; }

    public string Permute { get; }

    public string IndexSuffix { get; }

    public string AsMask { get; }

    public string One { get; }

    public string Zero { get; }
}
