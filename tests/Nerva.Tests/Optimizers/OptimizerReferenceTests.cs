using System.Text.Json;
using Nerva.Optimizers;
using Nerva.Schedules;

namespace Nerva.Tests.Optimizers;

/// <summary>Each optimizer's steps against torch.optim with the same gradients (tests/reference/make_training.py).</summary>
public class OptimizerReferenceTests
{
    private static IEnumerable<JsonElement> Cases => Fixtures.Load("training.json").GetProperty("optimizers").EnumerateArray();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static Optimizer Create(JsonElement config, string kind, IEnumerable<Tensor> parameters)
    {
        float F(string key, float fallback) => config.TryGetProperty(key, out var v) ? v.GetSingle() : fallback;
        bool B(string key) => config.TryGetProperty(key, out var v) && v.GetBoolean();
        float lr = F("learning_rate", 0.01f);
        Optimizer optimizer = kind switch
        {
            "sgd" => new Sgd(parameters, lr, F("momentum", 0), B("nesterov")),
            "adam" => new Adam(parameters, lr, epsilon: F("epsilon", 1e-7f)),
            "adamw" => new AdamW(parameters, lr, weightDecay: F("weight_decay", 0), epsilon: F("epsilon", 1e-7f)),
            "rmsprop" => new RmsProp(parameters, lr, F("rho", 0.9f), F("momentum", 0), F("epsilon", 1e-7f), B("centered")),
            "adagrad" => new Adagrad(parameters, lr, F("initial_accumulator_value", 0.1f), F("epsilon", 1e-7f)),
            _ => throw new ArgumentException(kind),
        };
        if (kind != "adamw") optimizer.WeightDecay = F("weight_decay", 0);
        if (config.TryGetProperty("global_clip_norm", out var clip)) optimizer.GlobalClipNorm = clip.GetSingle();
        return optimizer;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void StepsMatchPyTorch(string name)
    {
        var c = Cases.First(x => x.GetProperty("name").GetString() == name);
        var parameters = c.GetProperty("initial").EnumerateArray().Select(t => Fixtures.ToTensor(t).RequiresGrad_()).ToArray();
        var optimizer = Create(c.GetProperty("config"), c.GetProperty("optimizer").GetString()!, parameters);
        var grads = c.GetProperty("grads").EnumerateArray().ToArray();
        var steps = c.GetProperty("steps").EnumerateArray().ToArray();
        for (int s = 0; s < steps.Length; s++)
        {
            var g = grads[s].EnumerateArray().ToArray();
            for (int i = 0; i < parameters.Length; i++) parameters[i].Grad = Fixtures.ToTensor(g[i]);
            optimizer.Step();
            var expected = steps[s].EnumerateArray().ToArray();
            for (int i = 0; i < parameters.Length; i++)
                Fixtures.AssertClose($"{name} step {s + 1} parameter {i}", expected[i], parameters[i].Detach(), atol: 1e-6f, rtol: 1e-5f);
        }
    }

    [Fact]
    public void KerasAndPyTorchStylesAgreeAndZeroGradClears()
    {
        var a = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var b = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var pytorch = new Adam([a], learningRate: 0.1f);
        var keras = new Adam(learningRate: 0.1f);
        keras.Bind([b]);
        foreach (var (p, o) in new[] { (a, (Optimizer)pytorch), (b, keras) })
        {
            (p * p).Sum().Backward();
            o.Step();
            o.ZeroGrad();
            Assert.Null(p.Grad);
        }
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.Throws<InvalidOperationException>(() => keras.Bind([a]));
    }

    [Fact]
    public void StateRoundTripContinuesIdentically()
    {
        Tensor Param() => Tensor.FromArray([0.5f, -1f, 2f]).RequiresGrad_();
        var p1 = Param();
        var first = new Adam([p1], learningRate: 0.05f);
        void Step(Tensor p, Optimizer o) { o.ZeroGrad(); (p.Square() * p).Sum().Backward(); o.Step(); }
        for (int i = 0; i < 3; i++) Step(p1, first);
        var p2 = Tensor.FromArray(p1.ToArray()).RequiresGrad_();
        var second = new Adam([p2], learningRate: 0.05f);
        second.SetState(first.GetState());
        Step(p1, first);
        Step(p2, second);
        Assert.Equal(p1.ToArray(), p2.ToArray());
    }

    [Fact]
    public void EachOptimizerMinimisesAQuadratic()
    {
        foreach (var make in new Func<Tensor, Optimizer>[]
        {
            p => new Sgd([p], 0.1f), p => new Sgd([p], 0.05f, 0.9f, nesterov: true), p => new Adam([p], 0.1f),
            p => new AdamW([p], 0.1f, weightDecay: 0f), p => new RmsProp([p], 0.05f), p => new Adagrad([p], 0.5f),
        })
        {
            var x = Tensor.Zeros(1).RequiresGrad_();
            var optimizer = make(x);
            for (int i = 0; i < 500; i++)
            {
                optimizer.ZeroGrad();
                (x - 3f).Square().Sum().Backward();
                optimizer.Step();
            }
            Assert.True(Math.Abs(x.Item() - 3f) < 1e-2f, $"{optimizer.Name}: x = {x.Item()}");
        }
    }

    [Fact]
    public void ClippingAndSkippingWork()
    {
        var p = Tensor.FromArray([0f, 0f]).RequiresGrad_();
        var frozen = Tensor.FromArray([1f]).RequiresGrad_();
        var sgd = new Sgd([p, frozen], 1f) { ClipValue = 0.5f };
        p.Grad = Tensor.FromArray([2f, -0.25f]);
        sgd.Step();
        Assert.Equal([-0.5f, 0.25f], p.ToArray());
        Assert.Equal([1f], frozen.ToArray()); // no gradient, no update
        var q = Tensor.FromArray([0f, 0f]).RequiresGrad_();
        var clipped = new Sgd([q], 1f) { ClipNorm = 1f };
        q.Grad = Tensor.FromArray([3f, 4f]);
        clipped.Step();
        Assert.Equal(-0.6f, q[0], 4);
        Assert.Equal(-0.8f, q[1], 4);
    }

    [Fact]
    public void StepAllocatesNothingAfterWarmUp()
    {
        var p = Tensor.RandomNormal([256, 256], seed: 1).RequiresGrad_();
        var adam = new Adam([p]);
        p.Grad = Tensor.RandomNormal([256, 256], seed: 2);
        adam.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) adam.Step();
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4096);
    }

    [Fact]
    public void SchedulesFollowKerasFormulas()
    {
        Assert.Equal(0.1f * MathF.Pow(0.5f, 0.5f), new ExponentialDecay(0.1f, 10, 0.5f).Rate(5), 6);
        Assert.Equal(0.1f, new ExponentialDecay(0.1f, 10, 0.5f, staircase: true).Rate(9), 6);
        Assert.Equal(0.01f, new StepDecay(0.1f, 3).Rate(4), 6);
        Assert.Equal(0.05f, new CosineDecay(0.1f, 10).Rate(5), 6);
        Assert.Equal(0.01f, new CosineDecay(0.1f, 10, alpha: 0.1f).Rate(20), 6);
        var warm = new WarmUp(0.1f, 4);
        Assert.Equal([0.025f, 0.05f, 0.075f, 0.1f, 0.1f], Enumerable.Range(0, 5).Select(warm.Rate).ToArray());
        var p = Tensor.FromArray([0f]).RequiresGrad_();
        var sgd = new Sgd([p], 1f) { Schedule = new StepDecay(1f, 1, 0.5f) };
        foreach (var _ in Enumerable.Range(0, 2)) { p.Grad = Tensor.FromArray([1f]); sgd.Step(); }
        Assert.Equal(-1.5f, p.Item());
    }
}
