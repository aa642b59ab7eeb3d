using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Shapes.GatheredBlocks;

/// <content>
/// The class-index passes on class planes: a tensor of rank 3 to 8 whose positions run along stride 1 in images
/// (<see cref="PositionLayout.ReadsAsPlanes"/>: contiguous (N, C, H, W) and crops of it), its classes a plane stride
/// apart. 16 consecutive positions of one image are already one vector per class, so a block loads its K class
/// vectors (and stores its gradient) straight from memory, with no transpose or gather, and runs the gathered
/// blocks' per-class math unchanged. The last positions of each image, fewer than a block, run through
/// <see cref="Leftover"/> on a dense copy, so a position's outputs are the same bits wherever it sits.
/// </content>
internal static unsafe partial class GatherBlocks<T>
{
    /// <summary>Runs a class-index pass (forward, fused gradient, Backward) on positions [firstRow, endRow) of class planes.</summary>
    /// <param name="operation">ClassIndexForward, ClassIndexGradient or ClassIndexBackward.</param>
    /// <param name="args">The call; its logits (and gradient) lie as <paramref name="planes"/> says.</param>
    /// <param name="planes">The positions' layout (the gradient's is the same).</param>
    /// <param name="firstRow">The first position.</param>
    /// <param name="endRow">The end of the positions.</param>
    /// <returns>The summed loss (0 for Backward).</returns>
    public static double ClassPlanes(RowOperation operation, in RowArgs<T> args, in PositionLayout planes, int firstRow, int endRow)
        => operation switch
        {
            RowOperation.ClassIndexForward => Planes<ForwardPass>(args, planes, firstRow, endRow),
            RowOperation.ClassIndexGradient => Planes<GradientPass>(args, planes, firstRow, endRow),
            _ => Planes<BackwardPass>(args, planes, firstRow, endRow),
        };

    private static double Planes<TPass>(in RowArgs<T> args, in PositionLayout planes, int firstRow, int endRow)
        where TPass : struct, IPass
        => Machine.HasVector512
            ? Planes<Simd512<T>, Vector512<T>, TPass>(args, planes, firstRow, endRow)
            : Planes<Simd256<T>, Vector256<T>, TPass>(args, planes, firstRow, endRow);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Planes<TS, TV, TOperation>(in RowArgs<T> args, in PositionLayout planes, int firstRow, int endRow)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        => typeof(TOperation) == typeof(ForwardPass) && !args.HasOutput && !args.HasLogSumExp
            ? PlaneBlocks<TS, TV, TOperation, ReducedLoss>(args, planes, firstRow, endRow)
            : PlaneBlocks<TS, TV, TOperation, PerRowLosses>(args, planes, firstRow, endRow);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double PlaneBlocks<TS, TV, TOperation, TOutput>(in RowArgs<T> args, in PositionLayout planes, int firstRow, int endRow)
        where TS : struct, IBlockSimd<T, TV>
        where TV : unmanaged
        where TOperation : struct, IPass
        where TOutput : struct, ILossOutput
    {
        int k = args.Classes;
        int lanes = TS.Count;
        var blockArgs = new BlockArgs<T>(args, k, PinnedOnes<T>.Pointer);
        TV* z = stackalloc TV[typeof(TOperation) == typeof(ForwardPass) ? k : 2 * k];
        TV* e = stackalloc TV[typeof(TOperation) == typeof(ForwardPass) ? 1 : k];
        // The leftover positions run on dense rows, whose gradient rows are written back by gathers.
        bool gradient = typeof(TOperation) != typeof(ForwardPass);
        int* rowIndex = stackalloc int[gradient ? lanes * k : 1];
        if (gradient)
        {
            RowIndex(rowIndex, k, lanes);
        }

        nint plane = planes.ClassStride;
        int inner = planes.Length(planes.Dims - 1);
        nint imageStride = planes.Dims == 2 ? planes.Stride(0) : 0;
        T* logits = (T*)Unsafe.AsPointer(ref args.Logits);
        T* output = (T*)Unsafe.AsPointer(ref args.Output);
        double total = 0;
        TV lossLanes = TS.Zero;
        int blocks = 0;
        for (int row = firstRow; row < endRow;)
        {
            int image = row / inner;
            int end = Math.Min(endRow, (image + 1) * inner);
            nint at = (image * imageStride) + (row - (image * inner));
            for (; row + lanes <= end; row += lanes, at += lanes)
            {
                int* t = (int*)Unsafe.AsPointer(ref Unsafe.Add(ref args.Targets, row));
                T* lse = args.HasLogSumExp ? (T*)Unsafe.AsPointer(ref Unsafe.Add(ref args.LogSumExp, row)) : null;
                TV loss;
                if (typeof(TOperation) == typeof(ForwardPass))
                {
                    T* losses = args.HasOutput ? output + row : null;
                    loss = Block<TS, TV, TOperation, TOutput, Planes>(blockArgs, k, logits + at, t, losses, lse, null, z, e, rowIndex, plane);
                }
                else
                {
                    T* upstream = typeof(TOperation) == typeof(BackwardPass) ? (T*)Unsafe.AsPointer(ref Unsafe.Add(ref args.LossGradients, row)) : null;
                    loss = OutOfLineBlock<TS, TV, TOperation, TOutput, Planes>(blockArgs, k, logits + at, t, output + at, lse, upstream, z, e, rowIndex, plane);
                }

                if (typeof(TOperation) != typeof(BackwardPass))
                {
                    AddLoss<TS, TV>(ref lossLanes, ref blocks, ref total, loss);
                }
            }

            if (row < end)
            {
                total += Leftover<TS, TV, TOperation, TOutput, Gathered>(
                    args, blockArgs, row, end, z, e, rowIndex, logits + at, gradient ? output + at : null, 1, plane);
                row = end;
            }
        }

        if (typeof(TOperation) != typeof(BackwardPass))
        {
            total += double.CreateTruncating(TS.HorizontalSum(lossLanes));
        }

        return total;
    }
}
