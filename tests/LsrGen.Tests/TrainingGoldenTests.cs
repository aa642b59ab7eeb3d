using System.Collections.Generic;
using Xunit;

namespace LsrGen.Tests;

/// <summary>CrossEntropyLoss on the runtime path (no generated kernels here) against every training golden case.</summary>
public sealed class TrainingGoldenTests
{
    public static IEnumerable<object[]> Ids => TrainingFile.Ids;

    [Theory]
    [MemberData(nameof(Ids))]
    public void Float_matches_the_oracle(string id) => TrainingSuite.Check<float>(id, expectSpecialized: false);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Double_matches_the_oracle(string id) => TrainingSuite.Check<double>(id, expectSpecialized: false);

    [Theory]
    [InlineData("tp000")]
    [InlineData("tp003")]
    [InlineData("tp023")]
    [InlineData("tp024")]
    public void Float_per_row_losses_keep_relative_accuracy_near_zero(string id) => TrainingSuite.CheckPerRowAccuracy(id);
}

/// <summary>CrossEntropyLoss's per-row outputs do not depend on a row's place in the batch (runtime path).</summary>
public sealed class TrainingInvarianceTests
{
    public static TheoryData<int> ClassCounts => new() { 1, 3, 17, 100 };

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Float_rows_are_batch_invariant(int classes) => TrainingInvarianceSuite<float>.EveryPosition(classes);

    [Theory]
    [InlineData(3)]
    [InlineData(33)]
    public void Double_rows_are_batch_invariant(int classes) => TrainingInvarianceSuite<double>.EveryPosition(classes);
}
