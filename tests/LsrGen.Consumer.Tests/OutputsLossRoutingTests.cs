using System.Collections.Generic;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>
/// CrossEntropyLoss with a temperature, an entropy bonus and the optional per-row outputs, routed to generated kernels
/// (every K of the outputs golden file is declared here), against every outputs golden loss case.
/// </summary>
public sealed class OutputsLossRoutingTests
{
    public static IEnumerable<object[]> Ids => LsrGen.Tests.OutputsLossFile.Ids;

    public static IEnumerable<object[]> PerRowAccuracyIds => LsrGen.Tests.OutputsLossFile.PerRowAccuracyIds;

    [Theory]
    [MemberData(nameof(Ids))]
    public void Float_matches_the_oracle(string id) => LsrGen.Tests.OutputsLossSuite.Check<float>(id, expectSpecialized: true);

    [Theory]
    [MemberData(nameof(Ids))]
    public void Double_matches_the_oracle(string id) => LsrGen.Tests.OutputsLossSuite.Check<double>(id, expectSpecialized: true);

    public static TheoryData<int> DeclaredClasses => [1, 2, 3, 5, 7, 10, 16, 17, 32, 33, 100, 1000];

    [Theory]
    [MemberData(nameof(DeclaredClasses))]
    public void Random_rows_with_every_option_match_the_oracle(int classes) => LsrGen.Tests.OptionsSuite.Random(classes, 612);

    [Theory]
    [MemberData(nameof(PerRowAccuracyIds))]
    public void Float_per_row_losses_keep_relative_accuracy_at_any_temperature(string id) => LsrGen.Tests.OutputsLossSuite.CheckPerRowAccuracy(id);
}
