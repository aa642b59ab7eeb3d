using Xunit;

namespace LsrGen.Tests;

/// <summary>Tests that change LsrKernels.MaxDegreeOfParallelism (a process-wide setting) run one at a time.</summary>
[CollectionDefinition(nameof(ParallelismSettingCollection), DisableParallelization = true)]
public sealed class ParallelismSettingCollection;
