using System.Globalization;
using System.Numerics.Tensors;
using Nerva.Schedules;

namespace Nerva.Optimizers;

/// <summary>
/// The base of every optimizer: binds parameters (Keras style via Compile, PyTorch style at
/// construction), and applies what all share — clipping, coupled weight decay and the learning
/// rate schedule — before the one update rule each subclass defines.
/// </summary>
/// <remarks>
/// For each parameter with a gradient, <see cref="Step"/> copies the gradient into a scratch buffer
/// kept per parameter (so the <see cref="Tensor.Grad"/> tensors are never modified), scales it by the
/// global clip factor, clips its norm, clips its values, adds <see cref="WeightDecay"/>·p, and hands it
/// to the update rule, which writes the parameter's storage in place. Nothing is recorded by autograd
/// (the storage is written directly, as torch.optim does under no_grad), and after the first step
/// nothing of parameter size is allocated. Steps are counted per parameter, as torch.optim does, so a
/// parameter skipped for lack of a gradient keeps its own bias correction.
/// </remarks>
public abstract class Optimizer
{
    /// <summary>The length of the blocks an update rule works through, so that its several passes stay in L1.</summary>
    private protected const int ChunkLength = 1024;

    private Tensor[]? parameters;
    private float[][] scratch = [];
    private int[] steps = [];

    /// <summary>Hyperparameters only; Compile (or <see cref="Bind"/>) binds the parameters.</summary>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>The Keras name, e.g. "adam".</summary>
    public abstract string Name { get; }

    /// <summary>The base learning rate, used when no <see cref="Schedule"/> is set.</summary>
    public float LearningRate
    {
        get;
        set => field = value >= 0 ? value : throw ShapeUtil.Error(Name, "a learning rate ≥ 0", Format(value));
    }

    /// <summary>A schedule giving the learning rate at each step; when set, it overrides <see cref="LearningRate"/>.</summary>
    public ILearningRateSchedule? Schedule { get; set; }

    /// <summary>Clips every gradient element to [−v, v] before the update (Keras's clipvalue).</summary>
    public float? ClipValue { get; set => field = CheckPositive(value, "ClipValue"); }

    /// <summary>Rescales each parameter's gradient whose L2 norm exceeds this (Keras's clipnorm): g·c/max(‖g‖, c).</summary>
    public float? ClipNorm { get; set => field = CheckPositive(value, "ClipNorm"); }

    /// <summary>
    /// Rescales all gradients together by min(1, c/(‖g‖ + 1e-6)), ‖g‖ their joint L2 norm
    /// (torch.nn.utils.clip_grad_norm_, Keras's global_clipnorm).
    /// </summary>
    public float? GlobalClipNorm { get; set => field = CheckPositive(value, "GlobalClipNorm"); }

    /// <summary>L2 penalty λ: λ·p is added to each gradient (torch's weight_decay); <see cref="AdamW"/> decouples it instead.</summary>
    public float WeightDecay
    {
        get;
        set => field = value >= 0 ? value : throw ShapeUtil.Error(Name, "a weight decay ≥ 0", Format(value));
    }

    /// <summary>Steps taken so far.</summary>
    public int Iterations { get; private set; }

    /// <summary>The learning rate the next step uses: <c>Schedule.Rate(Iterations)</c>, or <see cref="LearningRate"/>.</summary>
    public float CurrentLearningRate => Schedule?.Rate(Iterations) ?? LearningRate;

    /// <summary>The bound parameters (empty until bound).</summary>
    public IReadOnlyList<Tensor> Parameters => parameters ?? [];

    /// <summary>Binds the parameters this optimizer updates; binding again to the same ones keeps the state, to others is an error.</summary>
    public void Bind(IReadOnlyList<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (this.parameters is not null)
        {
            if (this.parameters.SequenceEqual(parameters, ReferenceEqualityComparer.Instance)) return;
            throw new InvalidOperationException($"{Name}: already bound to other parameters; create a new optimizer.");
        }
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in parameters)
            if (!seen.Add(p ?? throw new ArgumentException($"{Name}: a parameter is null.", nameof(parameters))))
                throw new ArgumentException($"{Name}: a parameter appears twice; it would be updated twice per step.", nameof(parameters));
        Tensor[] bound = [.. parameters];
        scratch = [.. bound.Select(p => new float[p.Size])];
        steps = new int[bound.Length];
        CreateState(bound);
        this.parameters = bound;
    }

    /// <summary>
    /// Forgets the accumulated gradients of every parameter: by default by zeroing them in place, so
    /// the next Backward adds the weight gradients straight into the same buffers (as Fit does); with
    /// <paramref name="setToNone"/>, by dropping them as PyTorch's default does (Grad is then null).
    /// </summary>
    public void ZeroGrad(bool setToNone = false)
    {
        var bound = Parameters;
        for (int i = 0; i < bound.Count; i++)
        {
            var p = bound[i];
            if (setToNone || p.Grad is null) p.ZeroGrad();
            else Array.Clear(p.Grad.Data);
        }
    }

    /// <summary>Updates every parameter that has a gradient, in place; parameters without one are skipped.</summary>
    public void Step()
    {
        var bound = parameters ?? throw new InvalidOperationException($"{Name}: no parameters; pass them to the constructor or Compile a model.");
        float rate = CurrentLearningRate;
        // torch.nn.utils.clip_grad_norm_: the coefficient is clamped to 1, not applied conditionally.
        float globalScale = GlobalClipNorm is float maxNorm ? MathF.Min(1f, maxNorm / (GlobalNorm(bound) + 1e-6f)) : 1f;
        for (int i = 0; i < bound.Length; i++)
        {
            var p = bound[i];
            if (p.Grad is not { } grad) continue;
            if (grad.Size != p.Size)
                throw ShapeUtil.Error($"{Name}.Step", $"a gradient of {p.Size} elements for parameter {i} {ShapeUtil.Format(p.Dims)}", ShapeUtil.Format(grad.Dims));
            var g = scratch[i].AsSpan();
            if (globalScale != 1f) TensorPrimitives.Multiply(grad.Data, globalScale, g);
            else grad.Data.CopyTo(g);
            if (ClipNorm is float clip && TensorPrimitives.Norm(g) is var norm && norm > clip) TensorPrimitives.Multiply(g, clip / norm, g);
            if (ClipValue is float v) TensorPrimitives.Clamp(g, -v, v, g);
            if (WeightDecay != 0 && CoupledWeightDecay) TensorPrimitives.MultiplyAdd(p.Data, WeightDecay, g, g);
            Update(i, ++steps[i], p.Data, g, rate);
        }
        Iterations++;
        // The end of a training step, in Fit as in a user's loop: the step's tensors are unreachable now.
        BufferPool.StepEnded();
    }

    /// <summary>Whether <see cref="WeightDecay"/> is added to the gradient (false for the decoupled <see cref="AdamW"/>).</summary>
    protected virtual bool CoupledWeightDecay => true;

    /// <summary>Allocates the per-parameter state once the parameters are known.</summary>
    protected abstract void CreateState(IReadOnlyList<Tensor> parameters);

    /// <summary>
    /// The update rule for parameter <paramref name="index"/> at its <paramref name="step"/>-th update (1-based);
    /// <paramref name="gradient"/> is a scratch copy, already clipped and decayed, that the rule may overwrite.
    /// </summary>
    protected abstract void Update(int index, int step, Span<float> parameter, Span<float> gradient, float learningRate);

    /// <summary>The moments and counters, by name ("iterations", "0.step", "0.m", ...), for checkpoints.</summary>
    public IReadOnlyDictionary<string, Tensor> GetState()
    {
        var state = new Dictionary<string, Tensor> { ["iterations"] = Tensor.Scalar(Iterations) };
        for (int i = 0; i < steps.Length; i++) state[$"{i}.step"] = Tensor.Scalar(steps[i]);
        foreach (var (name, values) in StateArrays()) state[name] = Tensor.FromArray(values, values.Length);
        return state;
    }

    /// <summary>Restores state saved by <see cref="GetState"/> into a bound optimizer; sizes must match.</summary>
    public void SetState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (parameters is null) throw new InvalidOperationException($"{Name}: bind the parameters before restoring the state.");
        foreach (var (name, values) in StateArrays())
        {
            if (!state.TryGetValue(name, out var saved) || saved.Size != values.Length)
                throw new InvalidDataException($"{Name}: optimizer state '{name}' is missing or has the wrong size.");
            saved.Data.CopyTo(values, 0);
        }
        Iterations = state.TryGetValue("iterations", out var iterations) ? (int)iterations.Item() : 0;
        // States saved before per-parameter counts existed: every parameter had taken every step.
        for (int i = 0; i < steps.Length; i++) steps[i] = state.TryGetValue($"{i}.step", out var s) ? (int)s.Item() : Iterations;
    }

    /// <summary>The named per-parameter state arrays (live, so <see cref="SetState"/> can fill them).</summary>
    protected abstract IEnumerable<(string Name, float[] Values)> StateArrays();

    /// <summary>The hyperparameters under their Keras names, for saving and display.</summary>
    public IReadOnlyDictionary<string, object?> GetConfig()
    {
        var config = new Dictionary<string, object?> { ["name"] = Name, ["learning_rate"] = LearningRate };
        if (Schedule is not null) config["learning_rate_schedule"] = new Dictionary<string, object?> { ["class_name"] = Schedule.GetType().Name, ["config"] = Schedule.GetConfig() };
        config["weight_decay"] = WeightDecay;
        config["clipnorm"] = ClipNorm;
        config["global_clipnorm"] = GlobalClipNorm;
        config["clipvalue"] = ClipValue;
        AddConfig(config);
        return config;
    }

    /// <summary>Adds the update rule's own hyperparameters to <paramref name="config"/>.</summary>
    protected abstract void AddConfig(IDictionary<string, object?> config);

    /// <summary>Lets a Keras string stand for an optimizer: <c>optimizer: "adam"</c>.</summary>
    public static implicit operator Optimizer(string name) => OptimizerRegistry.Get(name);

    /// <summary>One state array per parameter, each element <paramref name="value"/>.</summary>
    protected static float[][] ZerosLike(IReadOnlyList<Tensor> parameters, float value = 0f) =>
        [.. parameters.Select(p => { var a = new float[p.Size]; if (value != 0) Array.Fill(a, value); return a; })];

    /// <summary>Throws "Name: expected min ≤ name &lt; max, got value" unless the hyperparameter is in range.</summary>
    private protected float CheckRange(float value, string name, float min, float max, bool maxIncluded = false)
    {
        if (value >= min && (value < max || maxIncluded && value == max)) return value;
        throw ShapeUtil.Error(Name, $"{min} ≤ {name} {(maxIncluded ? "≤" : "<")} {max}", Format(value));
    }

    private float? CheckPositive(float? value, string name) =>
        value is not float v || v > 0 ? value : throw ShapeUtil.Error(Name, $"{name} > 0 or null", Format(v));

    private static string Format(float value) => value.ToString(CultureInfo.InvariantCulture);

    private static float GlobalNorm(Tensor[] bound)
    {
        double sum = 0;
        foreach (var p in bound)
            if (p.Grad is { } grad) { double n = TensorPrimitives.Norm(grad.Data); sum += n * n; }
        return (float)Math.Sqrt(sum);
    }
}
