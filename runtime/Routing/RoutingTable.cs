using System;
using System.Runtime.CompilerServices;

namespace LsrGen.Routing;

/// <summary>The kernel shapes an operation can run in.</summary>
internal enum Shape
{
    /// <summary>Generated block code for a declared K: rows across SIMD lanes, the per-class steps unrolled (BlockKernels).</summary>
    GeneratedBlocks,

    /// <summary>Rows gathered across SIMD lanes, one vector per class in a stack buffer, any K (GatherBlocks).</summary>
    GatheredBlocks,

    /// <summary>16 float rows at a time, each read along its classes, their sums reduced by one transposing tree (LaneRows).</summary>
    LaneRows,

    /// <summary>The fused class-index pass with the whole row held in vector registers (RowKernels.Registers).</summary>
    RegisterRows,

    /// <summary>A row at a time, vectorised over its classes with the widest vector that fits (RowKernels).</summary>
    RowLoops,
}

/// <summary>The CPU makers whose best limits differ; at run time a JIT-time constant (<c>Machine.Vendor</c>).</summary>
internal enum CpuVendor
{
    /// <summary>Neither of the two below (or not an x86 CPU): AMD's limits, measured first, apply.</summary>
    Other,

    /// <summary>CPUID vendor "AuthenticAMD".</summary>
    Amd,

    /// <summary>CPUID vendor "GenuineIntel".</summary>
    Intel,
}

/// <summary>The instruction sets routing asks about; at run time they are JIT-time constants (<c>Machine.InstructionSets</c>).</summary>
[Flags]
internal enum InstructionSets
{
    /// <summary>Scalar code only.</summary>
    None = 0,

    /// <summary>Vector128 is hardware accelerated.</summary>
    Vector128 = 1,

    /// <summary>Vector256 is hardware accelerated and AVX2 is supported (its gathers and permutes).</summary>
    Vector256 = 2,

    /// <summary>Vector512 is hardware accelerated and AVX-512F and AVX2 are supported.</summary>
    Vector512 = 4,
}

/// <summary>
/// Which shape runs an operation: one rule per line, the first match wins. Compiled into the runtime, which calls
/// <see cref="Choose"/> with what is known at JIT time (element type, a declared K, the instruction sets) folded to
/// constants, and into the generator, which writes block code where <see cref="GeneratesBlocks"/> says so. Every limit
/// is a measurement, cited in the "Routing limits" section of docs/benchmarks.md with the CPU that measured it.
/// </summary>
internal static class RoutingTable
{
    /// <summary>Generated block code for the class-index operations up to this K (above it the gathered blocks were as fast).</summary>
    public const int GeneratedClassIndexLimit = 9;

    /// <summary>Generated block code for the other operations up to this K (above it the row loops were as fast).</summary>
    public const int GeneratedOtherLimit = 20;

    /// <summary>The smallest value the <c>LsrGenSmallClassLimit</c> MSBuild property takes: it moves only K of 16 and more.</summary>
    public const int GeneratedLimitMinimum = 15;

    /// <summary>The largest value of <c>LsrGenSmallClassLimit</c>: beyond it the K class vectors no longer fit 32 vector registers.</summary>
    public const int GeneratedLimitMaximum = 32;

    /// <summary>Without AVX-512, blocks (generated and gathered) run only below this K; from it on the row loops were faster.</summary>
    public const int Vector256BlockLimit = 16;

    /// <summary>The reduced float loss runs in lane rows from this K (below it the gathered blocks were as fast).</summary>
    public const int LaneRowsMinimum = 48;

    /// <summary>The reduced float loss runs in lane rows up to this K (above it the row loops were as fast).</summary>
    public const int LaneRowsMaximum = 2048;

    /// <summary>
    /// Float gathered blocks with AVX-512 read and write their class vectors through K's permute transposes up to this K
    /// (from 2 on); above it, and for double or Vector256, through AVX2 gathers.
    /// </summary>
    public const int TransposedBlockMaximum = 32;

    /// <summary>
    /// On Intel hosts the class-index loss (not its gradient) transposes only up to this K: from K = 17 on Intel's AVX2
    /// gathers read its class vectors faster than the transposes (0.80-0.96x their time at K = 17 and 32, two runs),
    /// while AMD's gathers cost more than the transposes at every K.
    /// </summary>
    public const int IntelTransposedLossMaximum = 10;

    /// <summary>
    /// The class-index loss on class planes (a tensor's positions along stride 1, its classes a stride apart: contiguous
    /// (N, C, H, W)) loads its class vectors straight from the planes up to this K (double: half of it, as the gathered
    /// blocks' loss); above it, and for every operation and layout the plane blocks do not serve, the positions are
    /// staged into rows. In process on the Intel Xeon, N = 8, 64 x 64, against the same data as rows: 0.76-0.97x the
    /// rows' time at C = 4-32, 1.3x at 64 and 1.4-1.7x at 100-150, where staging the planes as rows took 1.6-2.5x
    /// (copying each plane's stretch of a few blocks into a buffer first measured no faster at 100-150).
    /// </summary>
    public const int ClassPlaneLossMaximum = 224;

    /// <summary>
    /// As <see cref="ClassPlaneLossMaximum"/>, for the fused gradient and Backward: 0.9-1.2x the rows' time at C = 4-21 and
    /// 1.2-1.3x at 32, where staging took 1.5-2.1x; at 64, 2.7-3.9x (the gradient's K stores, a plane apart, compete
    /// for the same cache sets) against staging's 2.2x.
    /// </summary>
    public const int ClassPlaneGradientMaximum = 32;

    /// <summary>The fused class-index pass holds a row in registers up to this many vectors.</summary>
    public const int RegisterRowVectors = 16;

    /// <summary>
    /// Strided rows of fewer classes than this are staged into dense rows for the class-index loss: the shapes that read
    /// rows only dense (generated and gathered blocks) all end below it.
    /// </summary>
    public const int StagedLossLimit = 256;

    /// <summary>As <see cref="StagedLossLimit"/>, for every other operation.</summary>
    public const int StagedOtherLimit = 33;

    /// <summary>Picks the shape that runs one call.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="isFloat">Whether the elements are float (else double).</param>
    /// <param name="classes">K.</param>
    /// <param name="generatedBlocks">Whether the call comes from generated block code for this K and operation.</param>
    /// <param name="sets">The instruction sets of this machine.</param>
    /// <param name="softcap">Whether the call soft-caps its logits.</param>
    /// <param name="perRow">Whether the call writes per-row losses or log-sum-exps (else only the reduced loss).</param>
    /// <param name="extras">
    /// Whether the call uses a temperature, an entropy bonus or entropy gradients, or per-row outputs beyond a forward
    /// pass's losses and log-sum-exps (entropy, predictions, a fused pass's losses): only the row loops' option pass
    /// serves them (no block shape computes the entropy; at K = 10 they cost 7x the blocks' call without them,
    /// docs/benchmarks.md, "Temperature, entropy and the per-row outputs").
    /// </param>
    /// <returns>The shape.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Shape Choose(RowOperation operation, bool isFloat, int classes, bool generatedBlocks, InstructionSets sets, bool softcap, bool perRow, bool extras = false)
    {
        if (RowLoopsOnly(operation) || extras) return Shape.RowLoops;
        if (generatedBlocks && BlocksRun(classes, sets)) return Shape.GeneratedBlocks;
        if (operation == RowOperation.ClassIndexForward && isFloat && !perRow && !softcap && Has(sets, InstructionSets.Vector512) && classes >= LaneRowsMinimum && classes <= LaneRowsMaximum) return Shape.LaneRows;
        if (operation == RowOperation.ClassIndexForward && classes >= 2 && classes <= GatheredLossLimit(isFloat) && BlocksRun(classes, sets)) return Shape.GatheredBlocks;
        if (operation is RowOperation.ClassIndexGradient or RowOperation.ClassIndexBackward && classes >= 2 && classes <= GatheredGradientLimit(isFloat) && BlocksRun(classes, sets)) return Shape.GatheredBlocks;
        if (operation == RowOperation.ClassIndexGradient && !softcap && FillsRegisterRow(RowLanes(isFloat, classes, sets), classes)) return Shape.RegisterRows;
        return Shape.RowLoops;
    }

    /// <summary>
    /// Whether only the row loops serve the operation at every K: the two softmax backwards and ArgMax. No block shape
    /// has been written for them; the row loops beat libtorch's backwards 8x at K = 10 and 2x (log-softmax) at K = 1000
    /// (docs/benchmarks.md, "Softmax backward"). Their strided rows are read in place, not staged.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <returns>True for LogSoftmaxBackward, SoftmaxBackward and ArgMax.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool RowLoopsOnly(RowOperation operation)
        => operation is RowOperation.LogSoftmaxBackward or RowOperation.SoftmaxBackward or RowOperation.ArgMax;

    /// <summary>Whether a class-index pass on class planes runs in blocks that read the planes (else its positions are staged as rows).</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="isFloat">Whether the elements are float.</param>
    /// <param name="classes">K.</param>
    /// <param name="sets">The instruction sets.</param>
    /// <param name="extras">Whether the call has section 9's extras (only the row loops serve them).</param>
    /// <returns>True for the class-index loss, fused gradient and Backward from 2 classes to their limits where blocks run.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ReadsClassPlanes(RowOperation operation, bool isFloat, int classes, InstructionSets sets, bool extras)
    {
        int limit = operation == RowOperation.ClassIndexForward ? ClassPlaneLossMaximum
            : operation is RowOperation.ClassIndexGradient or RowOperation.ClassIndexBackward ? ClassPlaneGradientMaximum : 0;
        return !extras && classes >= 2 && classes <= (isFloat ? limit : limit / 2) && BlocksRun(classes, sets);
    }

    /// <summary>Whether a float Vector512 gathered block of K classes reads and writes its class vectors by transposes.</summary>
    /// <param name="classes">K.</param>
    /// <param name="loss">Whether the block computes the class-index loss (else its fused gradient or Backward).</param>
    /// <param name="vendor">Who made the CPU.</param>
    /// <returns>True from 2 to <see cref="TransposedBlockMaximum"/>, for Intel's loss to <see cref="IntelTransposedLossMaximum"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TransposesBlocks(int classes, bool loss = false, CpuVendor vendor = CpuVendor.Other)
        => classes >= 2 && classes <= (loss && vendor == CpuVendor.Intel ? IntelTransposedLossMaximum : TransposedBlockMaximum);

    /// <summary>Whether the generator writes block code for this K and operation, given the user's limits.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="classes">The declared K.</param>
    /// <param name="classIndexLimit">The largest K in blocks for the class-index operations.</param>
    /// <param name="otherLimit">The largest K in blocks for the others.</param>
    /// <returns>True where the generated member calls BlockKernels.</returns>
    public static bool GeneratesBlocks(RowOperation operation, int classes, int classIndexLimit, int otherLimit)
        => !RowLoopsOnly(operation) && classes <= (operation.IsClassIndex() ? classIndexLimit : otherLimit);

    /// <summary>Whether the generator writes Vector256 transposes for K (Vector512 ones always).</summary>
    /// <param name="classes">The declared K.</param>
    /// <returns>True below <see cref="Vector256BlockLimit"/>.</returns>
    public static bool GeneratesVector256Blocks(int classes) => classes < Vector256BlockLimit;

    /// <summary>Whether strided rows of K classes are staged into dense rows before the operation runs.</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="classes">K.</param>
    /// <returns>True below the staging limit of the operation.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool StagesStridedRows(RowOperation operation, int classes)
        => !RowLoopsOnly(operation) && classes < (operation == RowOperation.ClassIndexForward ? StagedLossLimit : StagedOtherLimit);

    /// <summary>The largest K whose class-index loss runs in gathered blocks (double: the row loops caught up earlier).</summary>
    /// <param name="isFloat">Whether the elements are float.</param>
    /// <returns>224 for float, 112 for double.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GatheredLossLimit(bool isFloat) => isFloat ? 224 : 112;

    /// <summary>The largest K whose fused gradient and Backward run in gathered blocks.</summary>
    /// <param name="isFloat">Whether the elements are float.</param>
    /// <returns>32 for float, 20 for double.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GatheredGradientLimit(bool isFloat) => isFloat ? 32 : 20;

    /// <summary>The lanes of the vector the row loops use for K: the widest accelerated one that K fills (1: scalar).</summary>
    /// <param name="isFloat">Whether the elements are float.</param>
    /// <param name="classes">K.</param>
    /// <param name="sets">The instruction sets.</param>
    /// <returns>The lane count.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RowLanes(bool isFloat, int classes, InstructionSets sets)
    {
        int lanes = isFloat ? 16 : 8;
        if (Has(sets, InstructionSets.Vector512) && classes >= lanes) return lanes;
        if (Has(sets, InstructionSets.Vector256) && classes >= lanes / 2) return lanes / 2;
        if (Has(sets, InstructionSets.Vector128) && classes >= lanes / 4) return lanes / 4;
        return 1;
    }

    // A row of more than one vector and at most RegisterRowVectors of them, at a width of more than one lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FillsRegisterRow(int lanes, int classes) => lanes > 1 && classes > lanes && classes <= RegisterRowVectors * lanes;

    // Blocks hold a block of rows one vector per class: Vector512 at any K they serve, Vector256 only at small K.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool BlocksRun(int classes, InstructionSets sets)
        => Has(sets, InstructionSets.Vector512) || (Has(sets, InstructionSets.Vector256) && classes < Vector256BlockLimit);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Has(InstructionSets sets, InstructionSets set) => (sets & set) == set;
}
