using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.Simd;

/// <summary>
/// A 16 x 16 float transpose in AVX-512 registers: 16 loads, 64 shuffles, 16 stores, where element by element it
/// would take 256 loads and 256 stores. Staging moves positions of class planes into rows (and gradients back) with it.
/// </summary>
internal static unsafe class Transpose16x16
{
    /// <summary>Whether this machine runs it.</summary>
    public static bool IsSupported
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
    }

    /// <summary>
    /// Reads 16 vectors of 16 floats, vector i at <paramref name="from"/> + i * <paramref name="fromStride"/>, and writes
    /// element j of vector i to element i of vector j at <paramref name="to"/> + j * <paramref name="toStride"/>.
    /// </summary>
    public static void Run(float* from, nint fromStride, float* to, nint toStride)
    {
        // Pairs of 32-bit elements, then of 64-bit, interleaved within each 128-bit lane: u[4q + m] holds, in lane L,
        // elements 4L + m of vectors 4q to 4q + 3.
        Vector512<float>* u = stackalloc Vector512<float>[16];
        for (int q = 0; q < 4; q++)
        {
            Vector512<float> r0 = Vector512.Load(from + ((4 * q) * fromStride));
            Vector512<float> r1 = Vector512.Load(from + (((4 * q) + 1) * fromStride));
            Vector512<float> r2 = Vector512.Load(from + (((4 * q) + 2) * fromStride));
            Vector512<float> r3 = Vector512.Load(from + (((4 * q) + 3) * fromStride));
            Vector512<double> t0 = Avx512F.UnpackLow(r0, r1).AsDouble();
            Vector512<double> t1 = Avx512F.UnpackHigh(r0, r1).AsDouble();
            Vector512<double> t2 = Avx512F.UnpackLow(r2, r3).AsDouble();
            Vector512<double> t3 = Avx512F.UnpackHigh(r2, r3).AsDouble();
            u[4 * q] = Avx512F.UnpackLow(t0, t2).AsSingle();
            u[(4 * q) + 1] = Avx512F.UnpackHigh(t0, t2).AsSingle();
            u[(4 * q) + 2] = Avx512F.UnpackLow(t1, t3).AsSingle();
            u[(4 * q) + 3] = Avx512F.UnpackHigh(t1, t3).AsSingle();
        }

        // Then 128-bit lanes: output m takes lane m / 4 of u[m % 4], u[4 + m % 4], u[8 + m % 4] and u[12 + m % 4].
        for (int m = 0; m < 4; m++)
        {
            Vector512<float> a = Avx512F.Shuffle4x128(u[m], u[4 + m], 0x88);
            Vector512<float> b = Avx512F.Shuffle4x128(u[8 + m], u[12 + m], 0x88);
            Vector512<float> c = Avx512F.Shuffle4x128(u[m], u[4 + m], 0xDD);
            Vector512<float> d = Avx512F.Shuffle4x128(u[8 + m], u[12 + m], 0xDD);
            Avx512F.Shuffle4x128(a, b, 0x88).Store(to + (m * toStride));
            Avx512F.Shuffle4x128(a, b, 0xDD).Store(to + ((8 + m) * toStride));
            Avx512F.Shuffle4x128(c, d, 0x88).Store(to + ((4 + m) * toStride));
            Avx512F.Shuffle4x128(c, d, 0xDD).Store(to + ((12 + m) * toStride));
        }
    }
}
