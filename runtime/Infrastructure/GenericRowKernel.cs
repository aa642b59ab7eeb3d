namespace LsrGen.Infrastructure;

/// <summary>The runtime's kernel for any class count: <see cref="RowKernels{T, TClasses}"/> with K from the call.</summary>
internal readonly struct GenericRowKernel : ILsrRowKernel<float>, ILsrRowKernel<double>
{
    public static void LogSoftmax(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.LogSoftmax(args, firstRow, endRow);

    public static void Softmax(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.Softmax(args, firstRow, endRow);

    public static double HardForward(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.HardForward(args, firstRow, endRow);

    public static double HardGradient(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.HardGradient(args, firstRow, endRow);

    public static double SoftForward(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.SoftForward(args, firstRow, endRow);

    public static double SoftGradient(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.SoftGradient(args, firstRow, endRow);

    public static void HardBackward(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.HardBackward(args, firstRow, endRow);

    public static void SoftBackward(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.SoftBackward(args, firstRow, endRow);

    public static void LogSoftmax(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.LogSoftmax(args, firstRow, endRow);

    public static void Softmax(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.Softmax(args, firstRow, endRow);

    public static double HardForward(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.HardForward(args, firstRow, endRow);

    public static double HardGradient(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.HardGradient(args, firstRow, endRow);

    public static double SoftForward(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.SoftForward(args, firstRow, endRow);

    public static double SoftGradient(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.SoftGradient(args, firstRow, endRow);

    public static void HardBackward(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.HardBackward(args, firstRow, endRow);

    public static void SoftBackward(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.SoftBackward(args, firstRow, endRow);
}
