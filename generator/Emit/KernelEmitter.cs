using System.Globalization;
using System.Linq;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Emits, once per K, the row-kernel struct that implements ILsrRowKernel for float and double, and the module
/// initialiser that registers it with LsrKernels' router under the routing winner's name.
/// </summary>
internal static class KernelEmitter
{
    public static string KernelTypeName(int classes) => "global::LsrGen.Generated.LsrKernel" + classes.ToString(CultureInfo.InvariantCulture);

    public static string Emit(KernelGroup group)
    {
        string k = group.Classes.ToString(CultureInfo.InvariantCulture);
        string name = "LsrKernel" + k;
        var w = new CodeWriter();
        GeneratedText.Header(w);
        RowOperation[] block = RowOperations.All.Where(o => group.Shapes.IsBlock(group.Classes, o)).ToArray();
        RowOperation[] loop = RowOperations.All.Where(o => !group.Shapes.IsBlock(group.Classes, o)).ToArray();

        // From K = 16 on, block-shape operations hand leftover rows (and machines without AVX-512) to the loop shape.
        RowOperation[] loopRows = SmallKernelEmitter.HandsOffToLoops(group.Classes) ? RowOperations.All : loop;
        w.Open("namespace LsrGen.Generated");
        if (block.Length > 0)
        {
            w.Line("using Avx2 = global::System.Runtime.Intrinsics.X86.Avx2;");
            w.Line("using Avx512 = global::System.Runtime.Intrinsics.X86.Avx512F;");
        }

        w.Line("using Infra = global::LsrGen.Infrastructure;");
        w.Line("using U = global::System.Runtime.CompilerServices.Unsafe;");
        w.Line("using V128 = global::System.Runtime.Intrinsics.Vector128;");
        w.Line("using V256 = global::System.Runtime.Intrinsics.Vector256;");
        w.Line("using V512 = global::System.Runtime.Intrinsics.Vector512;");
        w.Line("using Vd = global::System.Runtime.Intrinsics.Vector512<double>;");
        w.Line("using Vd256 = global::System.Runtime.Intrinsics.Vector256<double>;");
        w.Line("using Vf = global::System.Runtime.Intrinsics.Vector512<float>;");
        w.Line("using Vf256 = global::System.Runtime.Intrinsics.Vector256<float>;");

        w.Line();
        w.Line("/// <summary>Row kernels generated for exactly " + k + " classes. Infrastructure for generated code.</summary>");
        w.Line(GeneratedText.GeneratedCode);
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open("internal readonly struct " + name + " : Infra.ILsrRowKernel<float>, Infra.ILsrRowKernel<double>" + (loopRows.Length > 0 ? ", Infra.IClassCount" : string.Empty));
        if (block.Length > 0)
        {
            SmallKernelEmitter.Emit(w, group.Classes, ElementType.Float, block);
            SmallKernelEmitter.Emit(w, group.Classes, ElementType.Double, block);
        }

        if (loopRows.Length > 0)
        {
            if (block.Length > 0)
            {
                w.Line();
            }

            EmitClassCount(w, k);
            LoopKernelEmitter.Emit(w, name, group.Classes, loopRows, entryPoints: loop);
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

    // The loop shape's fallback on machines without Vector256 is the runtime's row loops, with K fixed through this.
    private static void EmitClassCount(CodeWriter w, string k)
    {
        w.Line("/// <summary>Returns the constant K = " + k + ".</summary>");
        w.Line("/// <param name=\"runtimeClasses\">Ignored.</param>");
        w.Line("/// <returns>" + k + ".</returns>");
        w.Line("public static int Resolve(int runtimeClasses) => " + k + ";");
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}

/// <summary>
/// float or double, as the small-K emitter writes them: the scalar type, and the SIMD block shapes tried in order
/// (Vector512 with two-source permutes, then Vector256 with single-source permutes and blends).
/// </summary>
internal sealed class ElementType
{
    public static readonly ElementType Float512 = new("float", "Vf", 16, "V512", "Avx512.IsSupported", "Avx512.PermuteVar16x32x2", "", "AsSingle", null);
    public static readonly ElementType Float256 = new("float", "Vf256", 8, "V256", "Avx2.IsSupported", "Avx2.PermuteVar8x32", "", "AsSingle", null);
    public static readonly ElementType Double512 = new("double", "Vd", 8, "V512", "Avx512.IsSupported", "Avx512.PermuteVar8x64x2", "L", "AsDouble", "Avx512.ConvertToVector512Int64(V256.LoadUnsafe(ref targets, (nuint)row))");
    public static readonly ElementType Double256 = new("double", "Vd256", 4, "V256", "Avx2.IsSupported", "Avx2.PermuteVar8x32", "L", "AsDouble", "Avx2.ConvertToVector256Int64(V128.LoadUnsafe(ref targets, (nuint)row))");

    public static readonly ElementType Float = Float512;
    public static readonly ElementType Double = Double512;

    private ElementType(string name, string vector, int lanes, string v, string guard, string permute, string indexSuffix, string asMask, string? widenedTargets)
    {
        Name = name;
        Vector = vector;
        Lanes = lanes;
        V = v;
        Guard = guard;
        Permute = permute;
        IndexSuffix = indexSuffix;
        AsMask = asMask;
        WidenedTargets = widenedTargets ?? string.Empty;
    }

    public string Name { get; }

    public bool IsFloat => Name == "float";

    /// <summary>The vector type alias (Vf, Vf256, Vd, Vd256).</summary>
    public string Vector { get; }

    public int Lanes { get; }

    /// <summary>The vector of doubles as wide as this shape's vector (Vd or Vd256), for summing losses.</summary>
    public string WideVector => V == "V512" ? "Vd" : "Vd256";

    /// <summary>The static vector class alias: V512 or V256.</summary>
    public string V { get; }

    /// <summary>The hardware check guarding a block of this shape.</summary>
    public string Guard { get; }

    public string Permute { get; }

    /// <summary>Whether the permute takes two sources (AVX-512) or one (AVX2, then blended).</summary>
    public bool TwoSourcePermute => V == "V512";

    public string IndexSuffix { get; }

    public string AsMask { get; }

    /// <summary>Double blocks: the targets of the block's rows as 64-bit lanes.</summary>
    public string WidenedTargets { get; }

    public ElementType[] Blocks => IsFloat ? [Float512, Float256] : [Double512, Double256];

    public string Math => IsFloat ? "global::System.MathF" : "global::System.Math";

    public string One => IsFloat ? "1f" : "1d";

    public string Zero => IsFloat ? "0f" : "0d";
}
