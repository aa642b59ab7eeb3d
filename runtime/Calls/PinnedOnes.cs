using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LsrGen.Calls;

/// <summary>
/// The class weights of an unweighted block call: 256 ones (more than the block shapes' largest K) in a pinned array, so that
/// <see cref="BlockArgs{T}"/> can hold a pointer to them and the per-class code needs no branch on weights.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal static unsafe class PinnedOnes<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly T[] s_ones = Create();

    /// <summary>Gets the first of the ones.</summary>
    public static T* Pointer => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s_ones));

    private static T[] Create()
    {
        T[] ones = GC.AllocateArray<T>(256, pinned: true);
        Array.Fill(ones, T.One);
        return ones;
    }
}
