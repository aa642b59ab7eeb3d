namespace LsrGen.Routing;

/// <summary>
/// What a loss pass produces, as a type: losses (and log-sum-exps) per row or only their sum (<see cref="ForwardPass"/>),
/// the summed loss and its gradient times the reduction's scale (<see cref="GradientPass"/>), or the gradient from a
/// given log-sum-exp times each row's upstream gradient (<see cref="BackwardPass"/>). A shape compiles one method per
/// pass, and <c>typeof</c> tests on it fold away the other passes' code before the JIT inlines.
/// </summary>
internal interface IPass
{
}

/// <inheritdoc cref="IPass"/>
internal readonly struct ForwardPass : IPass
{
}

/// <inheritdoc cref="IPass"/>
internal readonly struct GradientPass : IPass
{
}

/// <inheritdoc cref="IPass"/>
internal readonly struct BackwardPass : IPass
{
}
