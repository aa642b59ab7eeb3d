using System;

namespace LsrGen.PolicyGradient;

/// <summary>
/// The classic cart-pole (Barto, Sutton and Anderson, 1983, with the constants of OpenAI Gym's CartPole-v0): push the
/// cart left or right to keep the pole upright. An episode ends when the pole leans past 12 degrees, the cart leaves
/// the track, or after <see cref="MaxSteps"/> steps; every step earns 1.
/// </summary>
internal sealed class CartPole
{
    public const int MaxSteps = 200;
    public const int Features = 4;

    private const double Gravity = 9.8;
    private const double CartMass = 1.0;
    private const double PoleMass = 0.1;
    private const double TotalMass = CartMass + PoleMass;
    private const double HalfPoleLength = 0.5;
    private const double PoleMassLength = PoleMass * HalfPoleLength;
    private const double ForceMagnitude = 10.0;
    private const double Tau = 0.02; // seconds per step (Euler integration)
    private const double AngleLimit = 12 * Math.PI / 180;
    private const double PositionLimit = 2.4;

    private readonly Random _random;
    private double _x, _xDot, _theta, _thetaDot;
    private int _steps;

    public CartPole(Random random) => _random = random;

    /// <summary>Starts an episode near upright and writes the observation.</summary>
    public void Reset(Span<float> observation)
    {
        _x = Small();
        _xDot = Small();
        _theta = Small();
        _thetaDot = Small();
        _steps = 0;
        Observe(observation);
    }

    /// <summary>Pushes left (action 0) or right (1) for one step; returns false when the episode is over.</summary>
    public bool Step(int action, Span<float> observation)
    {
        double force = action == 1 ? ForceMagnitude : -ForceMagnitude;
        double cos = Math.Cos(_theta);
        double sin = Math.Sin(_theta);
        double temp = (force + (PoleMassLength * _thetaDot * _thetaDot * sin)) / TotalMass;
        double thetaAcc = ((Gravity * sin) - (cos * temp)) / (HalfPoleLength * ((4.0 / 3.0) - (PoleMass * cos * cos / TotalMass)));
        double xAcc = temp - (PoleMassLength * thetaAcc * cos / TotalMass);
        _x += Tau * _xDot;
        _xDot += Tau * xAcc;
        _theta += Tau * _thetaDot;
        _thetaDot += Tau * thetaAcc;
        _steps++;
        Observe(observation);
        return Math.Abs(_x) <= PositionLimit && Math.Abs(_theta) <= AngleLimit && _steps < MaxSteps;
    }

    private double Small() => (_random.NextDouble() * 0.1) - 0.05;

    private void Observe(Span<float> observation)
    {
        observation[0] = (float)_x;
        observation[1] = (float)_xDot;
        observation[2] = (float)_theta;
        observation[3] = (float)_thetaDot;
    }
}
