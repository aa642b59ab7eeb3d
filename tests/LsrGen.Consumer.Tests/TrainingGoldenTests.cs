using System.Collections.Generic;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>
/// CrossEntropyLoss routed to generated kernels (every K of the training golden file is declared here) against every
/// training golden case.
/// </summary>
public sealed class TrainingGoldenTests
{
    public static IEnumerable<object[]> Ids => LsrGen.Tests.TrainingFile.Ids;

    [Theory]
    [MemberData(nameof(Ids))]
    public void Float_matches_the_oracle(string id) => LsrGen.Tests.TrainingSuite.Check<float>(id, expectSpecialized: true);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Double_matches_the_oracle(string id) => LsrGen.Tests.TrainingSuite.Check<double>(id, expectSpecialized: true);

    [Theory]
    [InlineData("tp000")]
    [InlineData("tp003")]
    [InlineData("tp023")]
    [InlineData("tp024")]
    public void Float_per_row_losses_keep_relative_accuracy_near_zero(string id) => LsrGen.Tests.TrainingSuite.CheckPerRowAccuracy(id);
}

/// <summary>CrossEntropyLoss's per-row outputs do not depend on a row's place in the batch (generated kernels: block shape and rows).</summary>
public sealed class TrainingInvarianceTests
{
    public static TheoryData<int> FloatClassCounts => new() { 2, 3, 10, 17, 32, 1000 };

    [Theory]
    [MemberData(nameof(FloatClassCounts))]
    public void Float_rows_are_batch_invariant(int classes) => LsrGen.Tests.TrainingInvarianceSuite<float>.EveryPosition(classes);

    public static TheoryData<int> DoubleClassCounts => new() { 3, 10, 17 };

    [Theory]
    [MemberData(nameof(DoubleClassCounts))]
    public void Double_rows_are_batch_invariant(int classes) => LsrGen.Tests.TrainingInvarianceSuite<double>.EveryPosition(classes);
}
