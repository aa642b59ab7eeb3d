using System;
using System.ComponentModel;
using System.Numerics;

namespace LsrGen.Contract;

/// <summary>
/// One block of rows of a generated kernel for a constant K: loads L rows (the vector's lanes) as K class vectors with
/// permutes whose indices the generator computed, runs the per-class steps of <see cref="BlockMath{T, TS, TV}"/>,
/// <see cref="ClassIndexBlock{T, TS, TV}"/> or <see cref="ProbabilityBlock{T, TS, TV}"/> unrolled over them, and writes back.
/// <see cref="BlockKernels{T, TKernel}"/> drives it over a call's rows. A kernel implements the operations it runs in
/// the block shape; the others are never called.
/// For generated code only: not intended to be implemented or called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IBlockKernel : IClassCount
{
    /// <summary>log_softmax of one block.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TS">The vector width.</typeparam>
    /// <typeparam name="TV">The vector type.</typeparam>
    /// <param name="logits">The block's first logit.</param>
    /// <param name="destination">The block's first output.</param>
    static virtual void LogSoftmax<T, TS, TV>(ref T logits, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
        => throw new NotSupportedException();

    /// <summary>softmax of one block.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TS">The vector width.</typeparam>
    /// <typeparam name="TV">The vector type.</typeparam>
    /// <param name="logits">The block's first logit.</param>
    /// <param name="destination">The block's first output.</param>
    static virtual void Softmax<T, TS, TV>(ref T logits, ref T destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
        => throw new NotSupportedException();

    /// <summary>The class-index loss of each row of one block.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TS">The vector width.</typeparam>
    /// <typeparam name="TV">The vector type.</typeparam>
    /// <typeparam name="TOutput">Whether the losses are reduced or reported per row.</typeparam>
    /// <param name="args">The call's scalars.</param>
    /// <param name="logits">The block's first logit.</param>
    /// <param name="targets">The block's first target.</param>
    /// <param name="logSumExp">The block's first log-sum-exp output, or a null reference when the call wants none.</param>
    /// <returns>The rows' losses.</returns>
    static virtual TV ClassIndexForward<T, TS, TV, TOutput>(in BlockArgs<T> args, ref T logits, ref int targets, ref T logSumExp)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
        where TOutput : struct, ILossOutput
        => throw new NotSupportedException();

    /// <summary>The class-index loss of each row of one block and its gradient.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TS">The vector width.</typeparam>
    /// <typeparam name="TV">The vector type.</typeparam>
    /// <param name="args">The call's scalars.</param>
    /// <param name="logits">The block's first logit.</param>
    /// <param name="targets">The block's first target.</param>
    /// <param name="gradient">The block's first gradient element (may be the logits).</param>
    /// <returns>The rows' losses.</returns>
    static virtual TV ClassIndexGradient<T, TS, TV>(in BlockArgs<T> args, ref T logits, ref int targets, ref T gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
        => throw new NotSupportedException();

    /// <summary>The probability-target loss of each row of one block.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TS">The vector width.</typeparam>
    /// <typeparam name="TV">The vector type.</typeparam>
    /// <typeparam name="TOutput">Whether the losses are reduced or reported per row.</typeparam>
    /// <param name="args">The call's scalars.</param>
    /// <param name="logits">The block's first logit.</param>
    /// <param name="probabilities">The block's first target probability.</param>
    /// <param name="logSumExp">The block's first log-sum-exp output, or a null reference when the call wants none.</param>
    /// <returns>The rows' losses.</returns>
    static virtual TV ProbabilityForward<T, TS, TV, TOutput>(in BlockArgs<T> args, ref T logits, ref T probabilities, ref T logSumExp)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
        where TOutput : struct, ILossOutput
        => throw new NotSupportedException();

    /// <summary>The probability-target loss of each row of one block and its gradient.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TS">The vector width.</typeparam>
    /// <typeparam name="TV">The vector type.</typeparam>
    /// <param name="args">The call's scalars.</param>
    /// <param name="logits">The block's first logit.</param>
    /// <param name="probabilities">The block's first target probability.</param>
    /// <param name="gradient">The block's first gradient element (may be the logits).</param>
    /// <returns>The rows' losses.</returns>
    static virtual TV ProbabilityGradient<T, TS, TV>(in BlockArgs<T> args, ref T logits, ref T probabilities, ref T gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
        => throw new NotSupportedException();

    /// <summary>The class-index gradient of one block from each row's log-sum-exp, times its upstream gradient.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TS">The vector width.</typeparam>
    /// <typeparam name="TV">The vector type.</typeparam>
    /// <param name="args">The call's scalars.</param>
    /// <param name="logits">The block's first logit.</param>
    /// <param name="targets">The block's first target.</param>
    /// <param name="logSumExp">The block's first log-sum-exp.</param>
    /// <param name="lossGradients">The block's first upstream gradient.</param>
    /// <param name="gradient">The block's first gradient element (may be the logits).</param>
    static virtual void ClassIndexBackward<T, TS, TV>(in BlockArgs<T> args, ref T logits, ref int targets, ref T logSumExp, ref T lossGradients, ref T gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
        => throw new NotSupportedException();

    /// <summary>The probability-target gradient of one block from each row's log-sum-exp, times its upstream gradient.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <typeparam name="TS">The vector width.</typeparam>
    /// <typeparam name="TV">The vector type.</typeparam>
    /// <param name="args">The call's scalars.</param>
    /// <param name="logits">The block's first logit.</param>
    /// <param name="probabilities">The block's first target probability.</param>
    /// <param name="logSumExp">The block's first log-sum-exp.</param>
    /// <param name="lossGradients">The block's first upstream gradient.</param>
    /// <param name="gradient">The block's first gradient element (may be the logits).</param>
    static virtual void ProbabilityBackward<T, TS, TV>(in BlockArgs<T> args, ref T logits, ref T probabilities, ref T logSumExp, ref T lossGradients, ref T gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TS : struct, IBlockSimd<T, TV>
        where TV : struct
        => throw new NotSupportedException();
}
