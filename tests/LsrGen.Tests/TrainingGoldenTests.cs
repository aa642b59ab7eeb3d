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
