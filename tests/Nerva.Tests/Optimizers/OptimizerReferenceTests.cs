using System.Text.Json;
using Nerva.Optimizers;
using Nerva.Schedules;

namespace Nerva.Tests.Optimizers;

/// <summary>Each optimizer's steps against torch.optim with the same stored gradients (tests/reference/make_optimizers.py).</summary>
public class OptimizerReferenceTests
{
    private static IEnumerable<JsonElement> Cases => Fixtures.Load("optimizers.json").GetProperty("cases").EnumerateArray();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    /// <summary>The optimizer a fixture config describes, bound PyTorch style.</summary>
    private static Optimizer Create(string kind, JsonElement config, IEnumerable<Tensor> parameters)
    {
        float F(string key, float fallback) => config.TryGetProperty(key, out var v) ? v.GetSingle() : fallback;
        bool B(string key) => config.TryGetProperty(key, out var v) && v.GetBoolean();
        float lr = F("learning_rate", 0.01f), eps = F("epsilon", 1e-7f), beta1 = F("beta_1", 0.9f), beta2 = F("beta_2", 0.999f);
        Optimizer optimizer = kind switch
        {
            "sgd" => new Sgd(parameters, lr, F("momentum", 0), B("nesterov"), F("dampening", 0)),
            "adam" => new Adam(parameters, lr, beta1, beta2, eps, B("amsgrad")),
            "adamw" => new AdamW(parameters, lr, F("weight_decay", 0), beta1, beta2, eps, B("amsgrad")),
            "rmsprop" => new RmsProp(parameters, lr, F("rho", 0.9f), F("momentum", 0), eps, B("centered")),
            "adagrad" => new Adagrad(parameters, lr, F("initial_accumulator_value", 0.1f), eps),
            _ => throw new ArgumentException($"unknown optimizer {kind}"),
        };
        if (kind != "adamw") optimizer.WeightDecay = F("weight_decay", 0);
        if (config.TryGetProperty("global_clip_norm", out var global)) optimizer.GlobalClipNorm = global.GetSingle();
        if (config.TryGetProperty("clip_norm", out var norm)) optimizer.ClipNorm = norm.GetSingle();
        if (config.TryGetProperty("clip_value", out var value)) optimizer.ClipValue = value.GetSingle();
        if (config.TryGetProperty("schedule", out var s))
            optimizer.Schedule = s.TryGetProperty("step_size", out var size)
                ? new StepDecay(lr, size.GetInt32(), s.GetProperty("factor").GetSingle())
                : new ExponentialDecay(lr, s.GetProperty("decay_steps").GetInt32(), s.GetProperty("decay_rate").GetSingle());
        return optimizer;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void StepsMatchPyTorch(string name)
    {
        var c = Cases.First(x => x.GetProperty("name").GetString() == name);
        var parameters = c.GetProperty("initial").EnumerateArray().Select(t => Fixtures.ToTensor(t).RequiresGrad_()).ToArray();
        var optimizer = Create(c.GetProperty("optimizer").GetString()!, c.GetProperty("config"), parameters);
        var grads = c.GetProperty("grads").EnumerateArray().ToArray();
        var steps = c.GetProperty("steps").EnumerateArray().ToArray();
        for (int s = 0; s < steps.Length; s++)
        {
            var g = grads[s].EnumerateArray().ToArray();
            for (int i = 0; i < parameters.Length; i++) parameters[i].Grad = g[i].ValueKind == JsonValueKind.Null ? null : Fixtures.ToTensor(g[i]);
            optimizer.Step();
            var expected = steps[s].EnumerateArray().ToArray();
            for (int i = 0; i < parameters.Length; i++)
                Fixtures.AssertClose($"{name} step {s + 1} parameter {i}", expected[i], parameters[i].Detach(), atol: 1e-7f, rtol: 1e-6f);
        }
        Assert.Equal(steps.Length, optimizer.Iterations);
    }
}
