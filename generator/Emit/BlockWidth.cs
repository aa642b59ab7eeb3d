namespace LsrGen.Generator.Emit;

/// <summary>
/// One element type at one vector width, as the transposes are written for it: a block holds <see cref="Lanes"/> rows,
/// one vector per class. Vector512 permutes take two sources; AVX2's take one and are blended.
/// </summary>
internal sealed class BlockWidth
{
    public static readonly BlockWidth Float512 = new("float", 512);
    public static readonly BlockWidth Float256 = new("float", 256);
    public static readonly BlockWidth Double512 = new("double", 512);
    public static readonly BlockWidth Double256 = new("double", 256);

    private BlockWidth(string element, int bits)
    {
        Element = element;
        Bits = bits;
    }

    /// <summary>float or double.</summary>
    public string Element { get; }

    public int Bits { get; }

    public bool IsFloat => Element == "float";

    public int Lanes => Bits / (IsFloat ? 32 : 64);

    /// <summary>The static vector class alias of the generated file: V512 or V256.</summary>
    public string Vector => Bits == 512 ? "V512" : "V256";

    /// <summary>The vector type, e.g. Vector512&lt;float&gt;.</summary>
    public string VectorType => $"global::System.Runtime.Intrinsics.Vector{Bits}<{Element}>";

    /// <summary>The generated file's alias of <see cref="VectorType"/>: F512, F256, D512 or D256.</summary>
    public string Alias => $"{(IsFloat ? "F" : "D")}{Bits}";

    public bool TwoSourcePermute => Bits == 512;

    /// <summary>The two-source permute of the Vector512 widths.</summary>
    public string Permute => IsFloat ? "Avx512.PermuteVar16x32x2" : "Avx512.PermuteVar8x64x2";

    /// <summary>The integer vector type of <see cref="Permute"/>'s index.</summary>
    public string IndexType => IsFloat ? "global::System.Runtime.Intrinsics.Vector512<int>" : "global::System.Runtime.Intrinsics.Vector512<long>";

    /// <summary>The literal suffix of a permute index lane (int lanes for float, long lanes for double).</summary>
    public string IndexSuffix => IsFloat ? string.Empty : "L";
}
