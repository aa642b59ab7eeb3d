using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// CI reruns the suites with instruction sets switched off (DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0) and says which
/// vector width it expects in LSRGEN_EXPECT_VECTOR_WIDTH; this fails if the switch did not take effect (.NET 10 ignores
/// the older DOTNET_EnableAVX512F, which once left those reruns on AVX-512 unnoticed).
/// </summary>
public class InstructionSetTests
{
    [Fact]
    public void The_expected_vector_width_is_active()
    {
        string? expected = Environment.GetEnvironmentVariable("LSRGEN_EXPECT_VECTOR_WIDTH");
        if (string.IsNullOrEmpty(expected))
        {
            return; // an ordinary run: whatever the machine has
        }

        int widest = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
        Assert.Equal(expected, widest.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
