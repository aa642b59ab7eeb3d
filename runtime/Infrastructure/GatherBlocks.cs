using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LsrGen.Simd;

namespace LsrGen.Infrastructure;

/// <summary>
/// The block shape for a class count known only at run time (2 to <see cref="MaxClasses"/>): the class-index loss, its
/// fused gradient and Backward for calls that no generated kernel serves. A block of rows (a vector's lanes) is
/// gathered into one vector per class (AVX2 gathers, with each row K elements on), the per-class steps of
/// <see cref="HardBlock{T, TS, TV}"/> run over them as vertical vector math, as in generated kernels, and a gradient
/// is written back row by row. The class vectors live in a stack buffer instead of registers and the transposes are
/// gathers instead of permutes, which costs against a generated kernel but removes the per-row overhead of the row
/// loops at small K. Rows left over after the last whole block run through the same block on a zero-padded copy, so a
/// row's outputs never depend on where it sits in the batch.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[SkipLocalsInit]
internal static unsafe class GatherBlocks<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The largest K served: 32 class vectors fit the stack buffers, and above it the row loops win.</summary>
    public const int MaxClasses = 32;

    // As in BlockKernels: without AVX-512, Vector256 blocks run only below 16 classes.
    private const int Vector256Limit = 16;


    private enum Operation
    {
        Forward,
        Gradient,
        Backward,
    }

    /// <summary>Whether this machine runs K in blocks: Vector512 with AVX-512, else Vector256 below 16 classes.</summary>
    public static bool Serves(int classes)
        => classes >= 2 && classes <= MaxClasses && Avx2.IsSupported
            && ((Vector512.IsHardwareAccelerated && Avx512F.IsSupported) || (Vector256.IsHardwareAccelerated && classes < Vector256Limit));

    /// <inheritdoc cref="ILsrRowKernel{T}.HardForward"/>
    public static double HardForward(in RowArgs<T> args, int firstRow, int endRow) => Run(Operation.Forward, args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.HardGradient"/>
    public static double HardGradient(in RowArgs<T> args, int firstRow, int endRow) => Run(Operation.Gradient, args, firstRow, endRow);

    /// <inheritdoc cref="ILsrRowKernel{T}.HardBackward"/>
    public static void HardBackward(in RowArgs<T> args, int firstRow, int endRow) => Run(Operation.Backward, args, firstRow, endRow);

    private static double Run(Operation operation, in RowArgs<T> args, int firstRow, int endRow)
        => Vector512.IsHardwareAccelerated && Avx512F.IsSupported
            ? operation switch
            {
                Operation.Forward => Blocks<Simd512<T>, Vector512<T>, ForwardOperation>(args, firstRow, endRow),
                Operation.Gradient => Blocks<Simd512<T>, Vector512<T>, GradientOperation>(args, firstRow, endRow),
                _ => Blocks<Simd512<T>, Vector512<T>, BackwardOperation>(args, firstRow, endRow),
            }
            : operation switch
            {
                Operation.Forward => Blocks<Simd256<T>, Vector256<T>, ForwardOperation>(args, firstRow, endRow),
                Operation.Gradient => Blocks<Simd256<T>, Vector256<T>, GradientOperation>(args, firstRow, endRow),
                _ => Blocks<Simd256<T>, Vector256<T>, BackwardOperation>(args, firstRow, endRow),
            };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Blocks<TS, TV, TOperation>(in RowArgs<T> args, int firstRow, int endRow)
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
        where TOperation : struct, IOperation
    {
        int k = args.Classes;
        int lanes = TS.Count;
        var blockArgs = new BlockArgs<T>(args, k, PinnedOnes<T>.Pointer);
        Unsafe.SkipInit(out ClassVectors<TV> zBuffer);
        Unsafe.SkipInit(out ClassVectors<TV> eBuffer);
        Span<TV> z = zBuffer;
        Span<TV> e = eBuffer;
        T* losses = stackalloc T[lanes];
        T* lse = stackalloc T[lanes];
        T* upstream = stackalloc T[lanes];
        int* targets = stackalloc int[lanes];
        T* padded = stackalloc T[lanes * MaxClasses];
        double total = 0;
        for (int row = firstRow; row < endRow; row += lanes)
        {
            int rows = Math.Min(lanes, endRow - row);
            T* x = (T*)Unsafe.AsPointer(ref Unsafe.Add(ref args.Logits, (nint)row * k));
            int* t = (int*)Unsafe.AsPointer(ref Unsafe.Add(ref args.Targets, row));
            if (rows < lanes)
            {
                // Leftover rows: the same block on a zero-padded copy; padding rows are ignored targets.
                new ReadOnlySpan<T>(x, rows * k).CopyTo(new Span<T>(padded, lanes * k));
                new Span<T>(padded + (rows * k), (lanes - rows) * k).Clear();
                new ReadOnlySpan<int>(t, rows).CopyTo(new Span<int>(targets, lanes));
                new Span<int>(targets + rows, lanes - rows).Fill(args.IgnoreIndex);
                x = padded;
                t = targets;
            }

            if (typeof(TOperation) == typeof(BackwardOperation))
            {
                new Span<T>(lse, lanes).Clear();
                new Span<T>(upstream, lanes).Clear();
                new ReadOnlySpan<T>(Unsafe.AsPointer(ref Unsafe.Add(ref args.LogSumExp, row)), rows).CopyTo(new Span<T>(lse, lanes));
                new ReadOnlySpan<T>(Unsafe.AsPointer(ref Unsafe.Add(ref args.LossGradients, row)), rows).CopyTo(new Span<T>(upstream, lanes));
            }

            TV max = Gather<TS, TV, TOperation>(blockArgs, x, k, z);
            var h = new HardBlock<T, TS, TV>(blockArgs, ref *t);
            if (typeof(TOperation) == typeof(ForwardOperation))
            {
                for (int j = 0; j < k; j++)
                {
                    h.AddForLoss<PerRowLosses>(blockArgs, j, z[j], max);
                }

                TS.Store(h.RowLoss<PerRowLosses>(blockArgs, ref args.HasLogSumExp ? ref *lse : ref Unsafe.NullRef<T>()), ref *losses, 0);
                if (args.HasOutput)
                {
                    new ReadOnlySpan<T>(losses, rows).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref args.Output, row), rows));
                }

                if (args.HasLogSumExp)
                {
                    new ReadOnlySpan<T>(lse, rows).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref args.LogSumExp, row), rows));
                }
            }
            else if (typeof(TOperation) == typeof(GradientOperation))
            {
                for (int j = 0; j < k; j++)
                {
                    e[j] = h.Add(blockArgs, j, z[j], max);
                }

                TS.Store(h.Loss(blockArgs), ref *losses, 0);
                h.StartGradient(blockArgs);
                for (int j = 0; j < k; j++)
                {
                    e[j] = Slope<TS, TV>(blockArgs, h.Gradient(blockArgs, j, e[j]), z[j]);
                }

                Scatter<TV>(e, k, rows, ref Unsafe.Add(ref args.Output, (nint)row * k));
            }
            else
            {
                for (int j = 0; j < k; j++)
                {
                    h.AddTarget(blockArgs, j);
                }

                h.StartBackward(blockArgs, ref *lse, ref *upstream);
                for (int j = 0; j < k; j++)
                {
                    e[j] = Slope<TS, TV>(blockArgs, h.Backward(blockArgs, j, z[j]), z[j]);
                }

                Scatter<TV>(e, k, rows, ref Unsafe.Add(ref args.Output, (nint)row * k));
            }

            if (typeof(TOperation) != typeof(BackwardOperation))
            {
                // Padding rows are ignored (loss 0); summed in row order so the total does not depend on the width.
                for (int r = 0; r < rows; r++)
                {
                    total += double.CreateTruncating(losses[r]);
                }
            }
        }

        return total;
    }

    // Gathers the block's K class vectors into z (soft-capped when the call has a cap) and returns the row max.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Gather<TS, TV, TOperation>(in BlockArgs<T> args, T* x, int k, Span<TV> z)
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
        where TOperation : struct, IOperation
    {
        TV max = default;
        for (int j = 0; j < k; j++)
        {
            TV c = GatherColumn<TV>(x + j, k);
            if (args.IsCapped)
            {
                c = typeof(TOperation) == typeof(BackwardOperation) ? args.Cap.ApplyRounded(c) : args.Cap.Apply(c);
            }

            z[j] = c;
            max = j == 0 ? c : TS.MaxNative(max, c);
        }

        return max;
    }

    // The gradient with respect to x: times dz/dx = 1 - (z / c)^2 under a soft-cap, exact zeros (ignored rows) kept.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Slope<TS, TV>(in BlockArgs<T> args, TV gradient, TV z)
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
    {
        if (!args.IsCapped)
        {
            return gradient;
        }

        TV r = TS.Multiply(z, TS.Broadcast(args.InverseCap));
        return TS.AndNot(TS.Multiply(gradient, TS.Subtract(TS.Broadcast(T.One), TS.Multiply(r, r))), TS.Equals(gradient, TS.Zero));
    }

    // Lane r = column[r * stride], r below the vector's lane count.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV GatherColumn<TV>(T* column, int stride)
        where TV : struct
    {
        if (typeof(T) == typeof(float))
        {
            float* p = (float*)column;
            Vector256<int> low = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride;
            if (typeof(TV) == typeof(Vector512<T>))
            {
                Vector512<float> v = Vector512.Create(Avx2.GatherVector256(p, low, 4), Avx2.GatherVector256(p + (8 * stride), low, 4));
                return Unsafe.As<Vector512<float>, TV>(ref v);
            }

            Vector256<float> w = Avx2.GatherVector256(p, low, 4);
            return Unsafe.As<Vector256<float>, TV>(ref w);
        }

        double* d = (double*)column;
        Vector128<int> index = Vector128.Create(0, 1, 2, 3) * stride;
        if (typeof(TV) == typeof(Vector512<T>))
        {
            Vector512<double> v = Vector512.Create(Avx2.GatherVector256(d, index, 8), Avx2.GatherVector256(d + (4 * stride), index, 8));
            return Unsafe.As<Vector512<double>, TV>(ref v);
        }

        Vector256<double> n = Avx2.GatherVector256(d, index, 8);
        return Unsafe.As<Vector256<double>, TV>(ref n);
    }

    // Writes the first `rows` lanes of the K class vectors back as rows of K.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter<TV>(Span<TV> columns, int k, int rows, ref T destination)
        where TV : struct
    {
        ref T lanes = ref Unsafe.As<TV, T>(ref MemoryMarshal.GetReference(columns));
        int count = Unsafe.SizeOf<TV>() / Unsafe.SizeOf<T>();
        for (int r = 0; r < rows; r++)
        {
            ref T row = ref Unsafe.Add(ref destination, (nint)r * k);
            for (int j = 0; j < k; j++)
            {
                Unsafe.Add(ref row, j) = Unsafe.Add(ref lanes, (j * count) + r);
            }
        }
    }

    /// <summary>Room for the class vectors of one block.</summary>
    [InlineArray(MaxClasses)]
    private struct ClassVectors<TV>
        where TV : struct
    {
        private TV _element;
    }

    private interface IOperation
    {
        static abstract Operation Kind { get; }
    }

    private readonly struct ForwardOperation : IOperation
    {
        public static Operation Kind => Operation.Forward;
    }

    private readonly struct GradientOperation : IOperation
    {
        public static Operation Kind => Operation.Gradient;
    }

    private readonly struct BackwardOperation : IOperation
    {
        public static Operation Kind => Operation.Backward;
    }
}
