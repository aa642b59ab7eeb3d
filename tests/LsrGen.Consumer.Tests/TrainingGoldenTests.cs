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
