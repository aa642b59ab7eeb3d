using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.Routing;

/// <summary>This machine's <see cref="InstructionSets"/>: a constant once the JIT compiles a caller.</summary>
internal static class Machine
{
    /// <summary>Gets the instruction sets routing asks about.</summary>
    public static InstructionSets Sets
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Vector128.IsHardwareAccelerated ? InstructionSets.Vector128 : InstructionSets.None)
            | (Vector256.IsHardwareAccelerated && Avx2.IsSupported ? InstructionSets.Vector256 : InstructionSets.None)
            | (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx2.IsSupported ? InstructionSets.Vector512 : InstructionSets.None);
    }

    /// <summary>Gets who made the CPU, from CPUID leaf 0: read once, a constant to code the JIT compiles after it.</summary>
    public static CpuVendor Vendor { get; } = ReadVendor();

    /// <summary>Gets a value indicating whether blocks run at Vector512 (else, where they run, at Vector256).</summary>
    public static bool HasVector512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Sets & InstructionSets.Vector512) != 0;
    }

    private static CpuVendor ReadVendor()
    {
        if (!X86Base.IsSupported)
        {
            return CpuVendor.Other;
        }

        // The vendor string is EBX, EDX, ECX: "Genu" "ineI" "ntel", or "Auth" "enti" "cAMD".
        (_, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        return (ebx, edx, ecx) switch
        {
            (0x756E6547, 0x49656E69, 0x6C65746E) => CpuVendor.Intel,
            (0x68747541, 0x69746E65, 0x444D4163) => CpuVendor.Amd,
            _ => CpuVendor.Other,
        };
    }
}
