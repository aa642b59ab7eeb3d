namespace LsrGen.Shapes.RowLoops;

/// <summary>The runtime's kernel for any class count: <see cref="RowKernels{T, TClasses}"/> with K from the call.</summary>
internal readonly struct GenericRowKernel : ILsrRowKernel<float>, ILsrRowKernel<double>
{
    public static void LogSoftmax(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.LogSoftmax(args, firstRow, endRow);

    public static void Softmax(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.Softmax(args, firstRow, endRow);

    public static double ClassIndexForward(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.ClassIndexForward(args, firstRow, endRow);

    public static double ClassIndexGradient(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.ClassIndexGradient(args, firstRow, endRow);

    public static double ProbabilityForward(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.ProbabilityForward(args, firstRow, endRow);

    public static double ProbabilityGradient(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.ProbabilityGradient(args, firstRow, endRow);

    public static void ClassIndexBackward(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.ClassIndexBackward(args, firstRow, endRow);

    public static void ProbabilityBackward(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.ProbabilityBackward(args, firstRow, endRow);

    public static void LogSoftmax(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.LogSoftmax(args, firstRow, endRow);

    public static void Softmax(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.Softmax(args, firstRow, endRow);

    public static double ClassIndexForward(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.ClassIndexForward(args, firstRow, endRow);

    public static double ClassIndexGradient(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.ClassIndexGradient(args, firstRow, endRow);

    public static double ProbabilityForward(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.ProbabilityForward(args, firstRow, endRow);

    public static double ProbabilityGradient(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.ProbabilityGradient(args, firstRow, endRow);

    public static void ClassIndexBackward(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.ClassIndexBackward(args, firstRow, endRow);

    public static void ProbabilityBackward(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.ProbabilityBackward(args, firstRow, endRow);

    public static void LogSoftmaxBackward(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.LogSoftmaxBackward(args, firstRow, endRow);

    public static void SoftmaxBackward(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.SoftmaxBackward(args, firstRow, endRow);

    public static void ArgMax(in RowArgs<float> args, int firstRow, int endRow) => RowKernels<float, RuntimeClassCount>.ArgMax(args, firstRow, endRow);

    public static void LogSoftmaxBackward(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.LogSoftmaxBackward(args, firstRow, endRow);

    public static void SoftmaxBackward(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.SoftmaxBackward(args, firstRow, endRow);

    public static void ArgMax(in RowArgs<double> args, int firstRow, int endRow) => RowKernels<double, RuntimeClassCount>.ArgMax(args, firstRow, endRow);
}
