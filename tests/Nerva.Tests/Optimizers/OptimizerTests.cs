using Nerva.Optimizers;

namespace Nerva.Tests.Optimizers;

/// <summary>What the optimizer base shares: binding, ZeroGrad, skipping, clipping, state, config, allocation.</summary>
public class OptimizerTests
{
    /// <summary>Every optimizer, with the options that add state (momentum, AMSGrad, centering).</summary>
    private static readonly (string Name, Func<IEnumerable<Tensor>, Optimizer> Make)[] All =
    [
        ("sgd", p => new Sgd(p, 0.1f)),
        ("sgd nesterov", p => new Sgd(p, 0.05f, momentum: 0.9f, nesterov: true)),
        ("adam", p => new Adam(p, 0.1f)),
        ("adam amsgrad", p => new Adam(p, 0.1f, amsgrad: true)),
        ("adamw", p => new AdamW(p, 0.1f, weightDecay: 0.01f)),
        ("rmsprop", p => new RmsProp(p, 0.05f)),
        ("rmsprop centered momentum", p => new RmsProp(p, 0.01f, momentum: 0.5f, centered: true)),
        ("adagrad", p => new Adagrad(p, 0.5f)),
    ];

    public static TheoryData<string> Names() => [.. All.Select(a => a.Name)];

    private static Optimizer Make(string name, params Tensor[] parameters) => All.First(a => a.Name == name).Make(parameters);

    [Theory]
    [MemberData(nameof(Names))]
    public void MinimisesAQuadratic(string name)
    {
        var x = Tensor.Zeros(1).RequiresGrad_();
        var optimizer = Make(name, x);
        for (int i = 0; i < 1000 && Math.Abs(x.Item() - 3f) >= 1e-3f; i++)
        {
            optimizer.ZeroGrad();
            (x - 3f).Square().Sum().Backward();
            optimizer.Step();
        }
        Assert.True(Math.Abs(x.Item() - 3f) < 1e-2f, $"{name}: x = {x.Item()}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void StateRoundTripContinuesIdentically(string name)
    {
        float[] start = [0.5f, -1f, 2f, 0.25f];
        var p1 = Tensor.FromArray(start).RequiresGrad_();
        var first = Make(name, p1);
        void Step(Tensor p, Optimizer o, int i)
        {
            p.Grad = Tensor.FromArray([MathF.Sin(i), MathF.Cos(i), 0.1f * i, -0.5f]);
            o.Step();
        }
        for (int i = 0; i < 3; i++) Step(p1, first, i);
        var p2 = Tensor.FromArray(p1.ToArray()).RequiresGrad_();
        var second = Make(name, p2);
        second.SetState(first.GetState());
        Assert.Equal(first.Iterations, second.Iterations);
        for (int i = 3; i < 6; i++)
        {
            Step(p1, first, i);
            Step(p2, second, i);
        }
        Assert.Equal(p1.ToArray(), p2.ToArray());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void StepAllocatesNothingAfterWarmUp(string name)
    {
        var p = Tensor.RandomNormal([256, 256], seed: 1).RequiresGrad_();
        var bias = Tensor.RandomNormal([256], seed: 3).RequiresGrad_();
        var optimizer = Make(name, p, bias);
        optimizer.ClipValue = 10f;
        optimizer.ClipNorm = 1000f;
        optimizer.GlobalClipNorm = 1000f;
        if (optimizer is not AdamW) optimizer.WeightDecay = 1e-4f;
        optimizer.Schedule = new Schedules.CosineDecay(0.01f, 100);
        p.Grad = Tensor.RandomNormal([256, 256], seed: 2);
        bias.Grad = Tensor.RandomNormal([256], seed: 4);
        optimizer.Step();
        optimizer.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) optimizer.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4096, $"{name}: {allocated} bytes allocated in 10 steps");
    }

    [Fact]
    public void KerasAndPyTorchStylesAgree()
    {
        var a = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var b = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var pytorch = new Adam([a], learningRate: 0.1f);
        var keras = new Adam(learningRate: 0.1f);
        Assert.Empty(keras.Parameters);
        Assert.Throws<InvalidOperationException>(keras.Step);
        keras.Bind([b]);
        foreach (var (p, o) in new[] { (a, (Optimizer)pytorch), (b, keras) })
            for (int i = 0; i < 3; i++)
            {
                o.ZeroGrad();
                (p * p).Sum().Backward();
                o.Step();
            }
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.Equal(3, keras.Iterations);
    }

    [Fact]
    public void BindingAgainKeepsStateButOtherParametersAreRefused()
    {
        var a = Tensor.FromArray([1f]).RequiresGrad_();
        var sgd = new Sgd(momentum: 0.9f);
        sgd.Bind([a]);
        a.Grad = Tensor.FromArray([1f]);
        sgd.Step();
        sgd.Bind([a]);                                         // Compile again: same parameters, state kept
        Assert.Equal(1f, sgd.GetState()["0.momentum"].Item());
        Assert.Throws<InvalidOperationException>(() => sgd.Bind([Tensor.FromArray([1f])]));
        Assert.Throws<ArgumentException>(() => new Sgd([a, a]));
    }

    [Fact]
    public void ZeroGradClearsOrZeroesInPlace()
    {
        var p = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var sgd = new Sgd([p]);
        (p * p).Sum().Backward();
        var grad = p.Grad!;
        sgd.ZeroGrad(); // in place by default, as Fit does
        Assert.Same(grad, p.Grad);
        Assert.Equal([0f, 0f], p.Grad!.ToArray());
        sgd.ZeroGrad(setToNone: true);
        Assert.Null(p.Grad);
    }

    [Fact]
    public void ParametersWithoutGradientAreSkippedAndGradientsLeftAlone()
    {
        var p = Tensor.FromArray([0f, 0f]).RequiresGrad_();
        var frozen = Tensor.FromArray([1f]).RequiresGrad_();
        var adam = new Adam([p, frozen], 0.1f) { WeightDecay = 0.5f, ClipValue = 0.5f };
        p.Grad = Tensor.FromArray([2f, -0.25f]);
        adam.Step();
        Assert.Equal([1f], frozen.ToArray());
        Assert.Equal([2f, -0.25f], p.Grad.ToArray());          // clipping and decay work on a copy
        var state = adam.GetState();
        Assert.Equal(1f, state["0.step"].Item());
        Assert.Equal(0f, state["1.step"].Item());
        Assert.Equal([0f], state["1.m"].ToArray());
    }

    [Fact]
    public void ClippingByValueNormAndGlobalNorm()
    {
        var p = Tensor.FromArray([0f, 0f]).RequiresGrad_();
        var byValue = new Sgd([p], 1f) { ClipValue = 0.5f };
        p.Grad = Tensor.FromArray([2f, -0.25f]);
        byValue.Step();
        Assert.Equal([-0.5f, 0.25f], p.ToArray());

        var q = Tensor.FromArray([0f, 0f]).RequiresGrad_();
        var r = Tensor.FromArray([0f]).RequiresGrad_();
        var byNorm = new Sgd([q, r], 1f) { ClipNorm = 1f };    // each gradient on its own: [3, 4] → [0.6, 0.8]; [0.5] kept
        q.Grad = Tensor.FromArray([3f, 4f]);
        r.Grad = Tensor.FromArray([0.5f]);
        byNorm.Step();
        Assert.Equal([-0.6f, -0.8f], q.ToArray(), new Near(1e-6f));
        Assert.Equal([-0.5f], r.ToArray());

        var u = Tensor.FromArray([0f, 0f]).RequiresGrad_();
        var w = Tensor.FromArray([0f]).RequiresGrad_();
        var byGlobalNorm = new Sgd([u, w], 1f) { GlobalClipNorm = 6.5f };  // ‖[3, 4, 12]‖ = 13 → halved
        u.Grad = Tensor.FromArray([3f, 4f]);
        w.Grad = Tensor.FromArray([12f]);
        byGlobalNorm.Step();
        Assert.Equal([-1.5f, -2f], u.ToArray(), new Near(1e-5f));
        Assert.Equal([-6f], w.ToArray(), new Near(1e-5f));
    }

    [Fact]
    public void AdamWDecaysTheParameterNotTheGradient()
    {
        // With a zero gradient Adam's step is 0, so only the decoupled decay moves p: p·(1 − lr·λ).
        var p = Tensor.FromArray([2f]).RequiresGrad_();
        var adamw = new AdamW([p], learningRate: 0.1f, weightDecay: 0.5f);
        p.Grad = Tensor.FromArray([0f]);
        adamw.Step();
        Assert.Equal(1.9f, p.Item(), 1e-6f);
    }

    [Fact]
    public void RegistryKnowsKerasNamesAndDefaults()
    {
        foreach (var name in OptimizerRegistry.Names) Assert.Equal(name, OptimizerRegistry.Get(name.ToUpperInvariant()).Name);
        var error = Assert.Throws<ArgumentException>(() => OptimizerRegistry.Get("lion"));
        Assert.Contains("sgd, adam, adamw, rmsprop, adagrad", error.Message);
        Optimizer fromString = "adam";
        Assert.IsType<Adam>(fromString);
        var adam = (Adam)OptimizerRegistry.Get("adam");
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-7f), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
        Assert.Equal(0.004f, OptimizerRegistry.Get("adamw").WeightDecay);
        Assert.Equal(0.1f, ((Adagrad)OptimizerRegistry.Get("adagrad")).InitialAccumulatorValue);
    }

    [Fact]
    public void ConfigNamesTheHyperparameters()
    {
        var config = new RmsProp(learningRate: 0.01f, rho: 0.8f, momentum: 0.5f, centered: true) { ClipNorm = 2f }.GetConfig();
        Assert.Equal("rmsprop", config["name"]);
        Assert.Equal(0.01f, config["learning_rate"]);
        Assert.Equal(0.8f, config["rho"]);
        Assert.Equal(0.5f, config["momentum"]);
        Assert.Equal(true, config["centered"]);
        Assert.Equal(2f, config["clipnorm"]);
        Assert.Null(config["clipvalue"]);
        Assert.Equal(true, new Adam(amsgrad: true).GetConfig()["amsgrad"]);
        Assert.Equal(true, new Sgd(momentum: 0.9f, nesterov: true).GetConfig()["nesterov"]);
    }

    [Fact]
    public void BadHyperparametersFailAtOnce()
    {
        Assert.Throws<ArgumentException>(() => new Sgd(learningRate: -1f));
        Assert.Throws<ArgumentException>(() => new Sgd(momentum: 1.5f));
        Assert.Throws<ArgumentException>(() => new Sgd(nesterov: true));
        Assert.Throws<ArgumentException>(() => new Adam(beta1: 1f));
        Assert.Throws<ArgumentException>(() => new RmsProp(rho: -0.1f));
        Assert.Throws<ArgumentException>(() => new Adagrad(epsilon: -1f));
        Assert.Throws<ArgumentException>(() => new Adam { ClipNorm = 0f });
        var p = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var sgd = new Sgd([p]);
        p.Grad = Tensor.FromArray([1f]);
        var error = Assert.Throws<ArgumentException>(sgd.Step);
        Assert.Contains("sgd.Step", error.Message);
    }

    private sealed class Near(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
