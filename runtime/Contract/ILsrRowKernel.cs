using System.ComponentModel;

namespace LsrGen.Contract;

/// <summary>
/// The per-row work of every LsrGen operation for one element type, over rows [firstRow, endRow).
/// The runtime implements it for any class count; the source generator implements it for one constant K.
/// Arguments arrive validated: targets lie in [0, K) or equal the ignore index, lengths match.
/// For generated code only: not intended to be implemented or called directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ILsrRowKernel<T>
    where T : unmanaged
{
    /// <summary>Writes log_softmax of each row into <see cref="RowArgs{T}.Output"/>.</summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    static abstract void LogSoftmax(in RowArgs<T> args, int firstRow, int endRow);

    /// <summary>Writes softmax of each row into <see cref="RowArgs{T}.Output"/>.</summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    static abstract void Softmax(in RowArgs<T> args, int firstRow, int endRow);

    /// <summary>Hard-target loss per row (into the output when given); returns the rows' sum in order.</summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    /// <returns>The sum of the rows' losses.</returns>
    static abstract double ClassIndexForward(in RowArgs<T> args, int firstRow, int endRow);

    /// <summary>Hard-target loss and its gradient times <see cref="RowArgs{T}.Scale"/> into the output.</summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    /// <returns>The sum of the rows' losses.</returns>
    static abstract double ClassIndexGradient(in RowArgs<T> args, int firstRow, int endRow);

    /// <summary>Probability-target loss per row (into the output when given); returns the rows' sum in order.</summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    /// <returns>The sum of the rows' losses.</returns>
    static abstract double ProbabilityForward(in RowArgs<T> args, int firstRow, int endRow);

    /// <summary>Probability-target loss and its gradient times <see cref="RowArgs{T}.Scale"/> into the output.</summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    /// <returns>The sum of the rows' losses.</returns>
    static abstract double ProbabilityGradient(in RowArgs<T> args, int firstRow, int endRow);

    /// <summary>
    /// Class-index gradient from each row's given log-sum-exp (<see cref="RowArgs{T}.LogSumExp"/>), times the row's
    /// upstream gradient (<see cref="RowArgs{T}.LossGradients"/>), into the output; ignored rows get 0.
    /// </summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    static abstract void ClassIndexBackward(in RowArgs<T> args, int firstRow, int endRow);

    /// <summary>
    /// Probability-target gradient from each row's given log-sum-exp, times the row's upstream gradient, into the output.
    /// </summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    static abstract void ProbabilityBackward(in RowArgs<T> args, int firstRow, int endRow);

    /// <summary>
    /// Writes the backward of log-softmax into <see cref="RowArgs{T}.Output"/>: the log-softmax output y lies at
    /// <see cref="RowArgs{T}.Logits"/>, its gradient gy at <see cref="RowArgs{T}.Probabilities"/>.
    /// </summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    static abstract void LogSoftmaxBackward(in RowArgs<T> args, int firstRow, int endRow);

    /// <summary>
    /// Writes the backward of softmax into <see cref="RowArgs{T}.Output"/>: the softmax output p lies at
    /// <see cref="RowArgs{T}.Logits"/>, its gradient gp at <see cref="RowArgs{T}.Probabilities"/>.
    /// </summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    static abstract void SoftmaxBackward(in RowArgs<T> args, int firstRow, int endRow);

    /// <summary>Writes each row's index of its first maximum (the first NaN on a row holding one) into <see cref="RowArgs{T}.Predictions"/>.</summary>
    /// <param name="args">The call's arguments.</param>
    /// <param name="firstRow">The first row to process.</param>
    /// <param name="endRow">One past the last row to process.</param>
    static abstract void ArgMax(in RowArgs<T> args, int firstRow, int endRow);
}
