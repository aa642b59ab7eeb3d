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

    /// <summary>Gets a value indicating whether blocks run at Vector512 (else, where they run, at Vector256).</summary>
    public static bool HasVector512
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (Sets & InstructionSets.Vector512) != 0;
    }
}
