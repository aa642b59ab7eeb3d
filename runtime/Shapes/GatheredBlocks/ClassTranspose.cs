using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace LsrGen.Shapes.GatheredBlocks;

/// <summary>
/// How a gathered block of 16 float rows reads its K class vectors and writes its K gradient vectors back as rows:
/// one struct per K (ClassTransposes.cs, written by tools/LsrGen.Templates with the generator's planner), or
/// <see cref="Gathered"/>, AVX2 gathers of one class vector at a time.
/// </summary>
internal unsafe interface IClassTranspose
{
    /// <summary>Gets the K these transposes are written for.</summary>
    static abstract int Classes { get; }

    /// <summary>Loads the block of 16 rows of K at <paramref name="x"/> as K class vectors into <paramref name="z"/>.</summary>
    static abstract void Columns(float* x, Vector512<float>* z);

    /// <summary>Stores the K class vectors at <paramref name="z"/> as 16 rows of K at <paramref name="x"/>.</summary>
    static abstract void Rows(Vector512<float>* z, float* x);
}

/// <summary>Class vectors gathered one at a time (any K, any width, float or double).</summary>
internal readonly unsafe struct Gathered : IClassTranspose
{
    public static int Classes => throw new UnreachableException();

    public static void Columns(float* x, Vector512<float>* z) => throw new UnreachableException();

    public static void Rows(Vector512<float>* z, float* x) => throw new UnreachableException();
}

/// <summary>
/// Class vectors loaded straight from class planes: the positions of a tensor with its classes along a strided axis
/// and its positions along stride 1 (contiguous (N, C, H, W)), 16 consecutive positions one vector per class.
/// </summary>
internal readonly unsafe struct Planes : IClassTranspose
{
    public static int Classes => throw new UnreachableException();

    public static void Columns(float* x, Vector512<float>* z) => throw new UnreachableException();

    public static void Rows(Vector512<float>* z, float* x) => throw new UnreachableException();
}

/// <summary>The gathered blocks of one pass, run with the transposes of the call's K.</summary>
/// <typeparam name="T">float (the transposes are float only).</typeparam>
internal interface ITransposedBlocks<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract double Run<TRead>(in RowArgs<T> args, int firstRow, int endRow)
        where TRead : struct, IClassTranspose;
}
