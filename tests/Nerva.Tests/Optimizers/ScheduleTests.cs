using Nerva.Optimizers;
using Nerva.Schedules;

namespace Nerva.Tests.Optimizers;

/// <summary>The learning-rate schedules against Keras's formulas, worked by hand.</summary>
public class ScheduleTests
{
    [Fact]
    public void ExponentialDecayIsContinuousOrStaircase()
    {
        var smooth = new ExponentialDecay(0.1f, 10, 0.5f);
        Assert.Equal(0.1f, smooth.Rate(0), 1e-7f);
        Assert.Equal(0.0707106781f, smooth.Rate(5), 1e-7f);   // 0.1·0.5^0.5
        Assert.Equal(0.025f, smooth.Rate(20), 1e-7f);
        var stairs = new ExponentialDecay(0.1f, 10, 0.5f, staircase: true);
        Assert.Equal(0.1f, stairs.Rate(9), 1e-7f);
        Assert.Equal(0.05f, stairs.Rate(10), 1e-7f);
        Assert.Equal(0.05f, stairs.Rate(19), 1e-7f);
    }

    [Fact]
    public void StepDecayMultipliesEveryStepSize()
    {
        var decay = new StepDecay(0.1f, 3);
        Assert.Equal([0.1f, 0.1f, 0.1f, 0.01f, 0.01f, 0.01f, 0.001f], Enumerable.Range(0, 7).Select(decay.Rate).ToArray(), new Near(1e-9f));
    }

    [Fact]
    public void CosineDecayFollowsHalfACosineToAlpha()
    {
        var cosine = new CosineDecay(0.1f, 10);
        Assert.Equal(0.1f, cosine.Rate(0), 1e-7f);
        Assert.Equal(0.0904508497f, cosine.Rate(2), 1e-7f);    // 0.1·½(1 + cos(π/5))
        Assert.Equal(0.05f, cosine.Rate(5), 1e-7f);
        Assert.Equal(0f, cosine.Rate(10), 1e-7f);
        var floor = new CosineDecay(0.1f, 10, alpha: 0.1f);
        Assert.Equal(0.055f, floor.Rate(5), 1e-7f);             // 0.1·(0.9·½ + 0.1)
        Assert.Equal(0.01f, floor.Rate(20), 1e-7f);
    }

    [Fact]
    public void WarmUpRisesLinearlyThenFollowsTheWrappedSchedule()
    {
        var constant = new WarmUp(0.1f, 4);
        Assert.Equal([0.025f, 0.05f, 0.075f, 0.1f, 0.1f], Enumerable.Range(0, 5).Select(constant.Rate).ToArray(), new Near(1e-8f));
        var cosine = new WarmUp(new CosineDecay(0.1f, 10), 2);
        Assert.Equal(0.05f, cosine.Rate(0), 1e-7f);
        Assert.Equal(0.1f, cosine.Rate(1), 1e-7f);
        Assert.Equal(0.1f, cosine.Rate(2), 1e-7f);
        Assert.Equal(0.05f, cosine.Rate(7), 1e-7f);
        Assert.Equal(2, cosine.GetConfig()["warmup_steps"]);
    }

    [Fact]
    public void OptimizerUsesTheScheduleAtEachStep()
    {
        var p = Tensor.FromArray([0f]).RequiresGrad_();
        var sgd = new Sgd([p], learningRate: 1f) { Schedule = new StepDecay(1f, 1, 0.5f) };
        Assert.Equal(1f, sgd.CurrentLearningRate);
        for (int i = 0; i < 3; i++) { p.Grad = Tensor.FromArray([1f]); sgd.Step(); }
        Assert.Equal(-1.75f, p.Item());                      // 1 + 0.5 + 0.25
        Assert.Equal(0.125f, sgd.CurrentLearningRate);
        Assert.Equal("StepDecay", ((IReadOnlyDictionary<string, object?>)sgd.GetConfig()["learning_rate_schedule"]!)["class_name"]);
    }

    [Fact]
    public void ConfigsHoldTheConstructorArguments()
    {
        var config = new ExponentialDecay(0.1f, 10, 0.5f, staircase: true).GetConfig();
        Assert.Equal(0.1f, config["initial_learning_rate"]);
        Assert.Equal(10, config["decay_steps"]);
        Assert.Equal(0.5f, config["decay_rate"]);
        Assert.Equal(true, config["staircase"]);
        Assert.Equal(0.2f, new CosineDecay(1f, 5, 0.2f).GetConfig()["alpha"]);
        Assert.Equal(3, new StepDecay(1f, 3).GetConfig()["step_size"]);
    }

    [Fact]
    public void BadArgumentsFailAtConstruction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1f, 0, 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0.1f, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0.1f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmUp(0.1f, -1));
    }

    private sealed class Near(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
