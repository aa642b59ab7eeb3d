using System;
using System.Diagnostics;
using LsrGen;
using LsrGen.PolicyGradient;

// PPO on cart-pole with a linear softmax policy over the two actions. Each iteration rolls out a batch of episodes,
// keeps each step's old log-probability, then runs a few epochs over the batch. Per epoch:
//   Forward    per-row losses -log p(a_t | s_t) (EntropyScale 0, no smoothing), each step's log-sum-exp and the
//              policy's entropy H_t, all in one pass;
//   Backward   of L = -(1/N) sum_t min(r_t A_t, clip(r_t, 1 - e, 1 + e) A_t) - c * mean_t H_t, r_t = p / p_old:
//              lossGradients_t = dL/dloss_t = r_t A_t / N where the unclipped term is the minimum (else 0), and
//              entropyGradients_t = dL/dH_t = -c / N, the entropy bonus (PyTorch: loss.backward() of the same L);
// then the chain rule through the linear layer. K = 2 is declared below, so the loss runs the generated kernel.
const int Actions = 2;
const int Inputs = CartPole.Features + 1; // plus a bias input
const int Iterations = 1000;
const int BatchSteps = 1000;     // at least this many steps per iteration, whole episodes
const int Epochs = 10;
const float LearningRate = 2f;
const float Clip = 0.2f;         // PPO's e
const float EntropyBonus = 0.01f; // PPO's ent_coef, c above
const double Discount = 0.99;

var random = new Random(20261207);
var world = new CartPole(random);
var loss = new CrossEntropyLoss<float>(Actions); // EntropyScale 0, eps 0: the per-row loss is exactly -log p(action)
int capacity = BatchSteps + CartPole.MaxSteps;
var weights = new float[Actions * Inputs];
var states = new float[capacity * Inputs];
var next = new float[CartPole.Features];
var logits = new float[capacity * Actions];
var probabilities = new float[Actions];
var actions = new int[capacity];
var oldLosses = new float[capacity];
var losses = new float[capacity];
var logSumExp = new float[capacity];
var entropy = new float[capacity];
var advantages = new float[capacity];
var lossGradients = new float[capacity];
var entropyGradients = new float[capacity];
var gradient = new float[capacity * Actions];
var lengths = new System.Collections.Generic.List<int>();

Console.WriteLine($"PPO on cart-pole: linear softmax policy, {Actions} actions, generated kernel serving it: {loss.IsSpecialized}");
Console.WriteLine("episodes   mean length (last 100)   mean entropy (nats)");
var clock = Stopwatch.StartNew();
int solvedAt = -1;
for (int iteration = 0; iteration < Iterations && solvedAt < 0; iteration++)
{
    // Roll out whole episodes with the current policy until the batch holds BatchSteps steps.
    int rows = 0;
    while (rows < BatchSteps)
    {
        int first = rows;
        world.Reset(next);
        bool running = true;
        while (running)
        {
            Span<float> state = states.AsSpan(rows * Inputs, Inputs);
            next.CopyTo(state);
            state[CartPole.Features] = 1;
            Logits(weights, state, logits.AsSpan(rows * Actions, Actions));
            Policy.Softmax(logits.AsSpan(rows * Actions, Actions), probabilities);
            actions[rows] = random.NextDouble() < probabilities[0] ? 0 : 1;
            running = world.Step(actions[rows], next);
            rows++;
        }

        lengths.Add(rows - first);
        Returns(advantages.AsSpan(first, rows - first), Discount);
    }

    Normalise(advantages.AsSpan(0, rows));

    // The old policy's -log p(a_t | s_t), from the logits the rollout used.
    loss.Forward(logits.AsSpan(0, rows * Actions), actions.AsSpan(0, rows), oldLosses.AsSpan(0, rows));
    double meanEntropy = 0;
    for (int epoch = 0; epoch < Epochs; epoch++)
    {
        for (int t = 0; t < rows; t++)
        {
            Logits(weights, states.AsSpan(t * Inputs, Inputs), logits.AsSpan(t * Actions, Actions));
        }

        ReadOnlySpan<float> batchLogits = logits.AsSpan(0, rows * Actions);
        loss.Forward(batchLogits, actions.AsSpan(0, rows), losses.AsSpan(0, rows), logSumExp.AsSpan(0, rows), entropy.AsSpan(0, rows));
        meanEntropy = 0;
        for (int t = 0; t < rows; t++)
        {
            float ratio = MathF.Exp(oldLosses[t] - losses[t]); // p / p_old
            float advantage = advantages[t];
            bool unclipped = ratio * advantage <= Math.Clamp(ratio, 1 - Clip, 1 + Clip) * advantage;
            lossGradients[t] = unclipped ? ratio * advantage / rows : 0;
            entropyGradients[t] = -EntropyBonus / rows;
            meanEntropy += entropy[t];
        }

        meanEntropy /= rows;
        loss.Backward(
            batchLogits, actions.AsSpan(0, rows), logSumExp.AsSpan(0, rows), lossGradients.AsSpan(0, rows), gradient.AsSpan(0, rows * Actions),
            entropyGradients.AsSpan(0, rows));
        Descend(weights, gradient.AsSpan(0, rows * Actions), states.AsSpan(0, rows * Inputs), LearningRate);
    }

    double recent = Mean(lengths, 100);
    Console.WriteLine($"{lengths.Count,8}   {recent,20:F1}   {meanEntropy,19:F3}");
    if (lengths.Count >= 100 && recent >= 195)
    {
        solvedAt = lengths.Count;
        Console.WriteLine($"Solved after {solvedAt} episodes: the mean length of the last 100 episodes passed 195.");
    }
}

if (solvedAt < 0)
{
    Console.WriteLine($"Not solved in {Iterations} iterations (mean of the last 100 episodes: {Mean(lengths, 100):F1}).");
}

Console.WriteLine($"Time: {clock.Elapsed.TotalSeconds:F1} s");
return solvedAt < 0 ? 1 : 0;

// The linear layer: z_a = sum_i W[a, i] s_i.
static void Logits(float[] weights, ReadOnlySpan<float> state, Span<float> z)
{
    for (int a = 0; a < z.Length; a++)
    {
        float sum = 0;
        for (int i = 0; i < state.Length; i++)
        {
            sum += weights[(a * state.Length) + i] * state[i];
        }

        z[a] = sum;
    }
}

// W -= rate * dL/dW, dL/dW[a, i] = sum_t dL/dz[t, a] s[t, i].
static void Descend(float[] weights, ReadOnlySpan<float> gradient, ReadOnlySpan<float> states, float rate)
{
    int inputs = weights.Length / Actions;
    for (int t = 0; t < gradient.Length / Actions; t++)
    {
        for (int a = 0; a < Actions; a++)
        {
            float g = gradient[(t * Actions) + a];
            for (int i = 0; i < inputs; i++)
            {
                weights[(a * inputs) + i] -= rate * g * states[(t * inputs) + i];
            }
        }
    }
}

// One episode's discounted returns (every step earns 1).
static void Returns(Span<float> returns, double discount)
{
    double discounted = 0;
    for (int t = returns.Length - 1; t >= 0; t--)
    {
        discounted = 1 + (discount * discounted);
        returns[t] = (float)discounted;
    }
}

// Zero mean, unit variance over the batch: the advantages.
static void Normalise(Span<float> values)
{
    double mean = 0, square = 0;
    foreach (float v in values)
    {
        mean += v;
    }

    mean /= values.Length;
    foreach (float v in values)
    {
        square += (v - mean) * (v - mean);
    }

    float deviation = (float)Math.Sqrt(square / values.Length) + 1e-6f;
    for (int t = 0; t < values.Length; t++)
    {
        values[t] = (float)((values[t] - mean) / deviation);
    }
}

static double Mean(System.Collections.Generic.List<int> values, int count)
{
    int from = Math.Max(0, values.Count - count);
    double sum = 0;
    for (int i = from; i < values.Count; i++)
    {
        sum += values[i];
    }

    return sum / Math.Max(1, values.Count - from);
}

/// <summary>Kernels generated for the two actions.</summary>
[GeneratedLsrKernels(2)]
internal static partial class Policy;
