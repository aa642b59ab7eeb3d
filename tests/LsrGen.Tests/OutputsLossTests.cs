using System.Collections.Generic;
using Xunit;

namespace LsrGen.Tests;

/// <summary>CrossEntropyLoss with a temperature, an entropy bonus and the optional per-row outputs (runtime path) against every outputs golden loss case.</summary>
public sealed class OutputsLossTests
{
    public static IEnumerable<object[]> Ids => OutputsLossFile.Ids;

    public static IEnumerable<object[]> PerRowAccuracyIds => OutputsLossFile.PerRowAccuracyIds;

    [Theory]
    [MemberData(nameof(Ids))]
    public void Float_matches_the_oracle(string id) => OutputsLossSuite.Check<float>(id, expectSpecialized: false);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Double_matches_the_oracle(string id) => OutputsLossSuite.Check<double>(id, expectSpecialized: false);

    public static TheoryData<int> ClassCounts => [1, 2, 3, 4, 7, 8, 9, 16, 17, 31, 33, 100, 1000, 1025];

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Random_rows_with_every_option_match_the_oracle(int classes) => OptionsSuite.Random(classes, 611);

    [Theory]
    [MemberData(nameof(PerRowAccuracyIds))]
    public void Float_per_row_losses_keep_relative_accuracy_at_any_temperature(string id) => OutputsLossSuite.CheckPerRowAccuracy(id);
}
