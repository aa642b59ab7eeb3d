using System;

namespace LsrGen.Tests;

/// <summary>Neumaier's compensated sum, so the oracles stay exact enough for K = 2^20 in double.</summary>
public struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    public readonly double Value => _sum + _compensation;

    public void Add(double value)
    {
        double t = _sum + value;
        if (!double.IsFinite(t))
        {
            _sum = t;
            return;
        }

        _compensation += Math.Abs(_sum) >= Math.Abs(value) ? (_sum - t) + value : (value - t) + _sum;
        _sum = t;
    }
}
