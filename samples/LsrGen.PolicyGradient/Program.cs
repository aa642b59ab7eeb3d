using System;
using System.Diagnostics;
using LsrGen;
using LsrGen.PolicyGradient;

// REINFORCE on cart-pole with a linear softmax policy over the two actions. Per episode:
//   Forward    per-row losses -log p(a_t | s_t) and each step's log-sum-exp;
//   Backward   from that log-sum-exp with each step's advantage as its upstream gradient: d/dlogits of
//              sum_t A_t * -log p(a_t | s_t), the policy-gradient loss (PyTorch: losses.backward(advantages));
// then the chain rule through the linear layer. K = 2 is declared below, so the loss runs the generated kernel.
const int Actions = 2;
const int Inputs = CartPole.Features + 1; // plus a bias input
const int Episodes = 3000;
const float LearningRate = 0.01f;
const double Discount = 0.99;

var random = new Random(20261202);
var world = new CartPole(random);
var loss = new CrossEntropyLoss<float>(Actions); // eps 0: the per-row loss is exactly -log p(action)
var weights = new float[Actions * Inputs];
var states = new float[(CartPole.MaxSteps + 1) * Inputs]; // the last row holds the final observation
var logits = new float[CartPole.MaxSteps * Actions];
var probabilities = new float[Actions];
var actions = new int[CartPole.MaxSteps];
var losses = new float[CartPole.MaxSteps];
var logSumExp = new float[CartPole.MaxSteps];
var advantages = new float[CartPole.MaxSteps];
var gradient = new float[CartPole.MaxSteps * Actions];
var lengths = new int[Episodes];

Console.WriteLine($"REINFORCE on cart-pole: linear softmax policy, {Actions} actions, generated kernel serving it: {loss.IsSpecialized}");
Console.WriteLine("episodes   mean length (last 50)");
var clock = Stopwatch.StartNew();
int solvedAt = -1;
for (int episode = 0; episode < Episodes; episode++)
{
    // Roll out one episode with the current policy.
    world.Reset(states.AsSpan(0, CartPole.Features));
    int steps = 0;
    bool running = true;
    while (running)
    {
        Span<float> state = states.AsSpan(steps * Inputs, Inputs);
        state[CartPole.Features] = 1;
        Span<float> z = logits.AsSpan(steps * Actions, Actions);
        for (int a = 0; a < Actions; a++)
        {
            float sum = 0;
            for (int i = 0; i < Inputs; i++)
            {
                sum += weights[(a * Inputs) + i] * state[i];
            }

            z[a] = sum;
        }

        Policy.Softmax(z, probabilities);
        actions[steps] = random.NextDouble() < probabilities[0] ? 0 : 1;
        int next = steps + 1;
        running = world.Step(actions[steps], states.AsSpan(next * Inputs, CartPole.Features));
        steps = next;
    }

    lengths[episode] = steps;

    // Discounted returns, normalised to zero mean and unit variance: the advantages.
    double discounted = 0, mean = 0, square = 0;
    for (int t = steps - 1; t >= 0; t--)
    {
        discounted = 1 + (Discount * discounted);
        advantages[t] = (float)discounted;
        mean += discounted;
    }

    mean /= steps;
    for (int t = 0; t < steps; t++)
    {
        square += (advantages[t] - mean) * (advantages[t] - mean);
    }

    float deviation = (float)Math.Sqrt(square / steps) + 1e-6f;
    for (int t = 0; t < steps; t++)
    {
        advantages[t] = (float)((advantages[t] - mean) / deviation);
    }

    // The policy-gradient step: per-row forward (keeps each step's log-sum-exp), then Backward with the advantages.
    ReadOnlySpan<float> episodeLogits = logits.AsSpan(0, steps * Actions);
    loss.Forward(episodeLogits, actions.AsSpan(0, steps), losses.AsSpan(0, steps), logSumExp.AsSpan(0, steps));
    loss.Backward(episodeLogits, actions.AsSpan(0, steps), logSumExp.AsSpan(0, steps), advantages.AsSpan(0, steps), gradient.AsSpan(0, steps * Actions));
    for (int t = 0; t < steps; t++)
    {
        for (int a = 0; a < Actions; a++)
        {
            float g = gradient[(t * Actions) + a];
            for (int i = 0; i < Inputs; i++)
            {
                weights[(a * Inputs) + i] -= LearningRate * g * states[(t * Inputs) + i];
            }
        }
    }

    if ((episode + 1) % 50 == 0)
    {
        Console.WriteLine($"{episode + 1,8}   {Mean(lengths, episode + 1, 50),8:F1}");
    }

    if (solvedAt < 0 && episode >= 99 && Mean(lengths, episode + 1, 100) >= 195)
    {
        solvedAt = episode + 1;
        Console.WriteLine($"Solved at episode {solvedAt}: the mean length of the last 100 episodes passed 195.");
        break;
    }
}

if (solvedAt < 0)
{
    Console.WriteLine($"Not solved in {Episodes} episodes (mean of the last 100: {Mean(lengths, Episodes, 100):F1}).");
}

Console.WriteLine($"Time: {clock.Elapsed.TotalSeconds:F1} s");
return solvedAt < 0 ? 1 : 0;

static double Mean(int[] values, int end, int count)
{
    double sum = 0;
    for (int i = end - count; i < end; i++)
    {
        sum += values[i];
    }

    return sum / count;
}

/// <summary>Kernels generated for the two actions.</summary>
[GeneratedLsrKernels(2)]
internal static partial class Policy;
