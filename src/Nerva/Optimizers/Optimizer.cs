using System.Numerics.Tensors;

namespace Nerva.Optimizers;

/// <summary>
/// The base of every optimizer: binds parameters (Keras style via Compile, PyTorch style at
/// construction), and applies what all share — clipping, coupled weight decay and the learning
/// rate schedule — before the one update rule each subclass defines.
/// </summary>
public abstract class Optimizer
{
    private IReadOnlyList<Tensor>? parameters;

    /// <summary>Hyperparameters only; Compile binds the parameters.</summary>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>Bound to <paramref name="parameters"/> at once (PyTorch style).</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate) : this(learningRate) => Bind([.. parameters]);

    /// <summary>The Keras name, e.g. "adam".</summary>
    public abstract string Name { get; }

    /// <summary>The base learning rate (used when no schedule is set).</summary>
    public float LearningRate { get; set; }

    /// <summary>A schedule giving the learning rate at each step (overrides <see cref="LearningRate"/>).</summary>
    public Schedules.ILearningRateSchedule? Schedule { get; set; }

    /// <summary>Clip every gradient element to [−v, v] before the update.</summary>
    public float? ClipValue { get; set; }

    /// <summary>Rescale each parameter's gradient whose L2 norm exceeds this (Keras's clipnorm).</summary>
    public float? ClipNorm { get; set; }

    /// <summary>Rescale all gradients together when their joint L2 norm exceeds this (torch's clip_grad_norm_, Keras's global_clipnorm).</summary>
    public float? GlobalClipNorm { get; set; }

    /// <summary>L2 penalty added to each gradient (PyTorch's weight_decay); AdamW decouples it instead.</summary>
    public float WeightDecay { get; set; }

    /// <summary>Steps taken so far.</summary>
    public int Iterations { get; private set; }

    /// <summary>The learning rate the next step uses.</summary>
    public float CurrentLearningRate => Schedule?.Rate(Iterations) ?? LearningRate;

    /// <summary>The bound parameters (empty until bound).</summary>
    public IReadOnlyList<Tensor> Parameters => parameters ?? [];

    /// <summary>Binds the parameters this optimizer updates; rebinding to the same list is allowed.</summary>
    public void Bind(IReadOnlyList<Tensor> parameters)
    {
        if (this.parameters is not null && !this.parameters.SequenceEqual(parameters))
            throw new InvalidOperationException($"{Name}: already bound to other parameters; create a new optimizer.");
        this.parameters = parameters;
        CreateState(parameters);
    }

    /// <summary>
    /// Forgets the accumulated gradients of every parameter: by dropping them (PyTorch's default
    /// set_to_none), or, with <paramref name="setToNone"/> false, by zeroing them in place so the
    /// next Backward adds into the same buffers and allocates nothing.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters)
        {
            if (setToNone || p.Grad is null) p.ZeroGrad();
            else Array.Clear(p.Grad.Data);
        }
    }

    /// <summary>Updates every parameter that has a gradient, in place.</summary>
    public void Step()
    {
        if (parameters is null) throw new InvalidOperationException($"{Name}: no parameters; pass them to the constructor or Compile a model.");
        float rate = CurrentLearningRate;
        float globalScale = GlobalClipNorm is float maxNorm ? ClipScale(GlobalNorm(), maxNorm) : 1f;
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (p.Grad is null) continue;
            var g = Scratch(i, p.Grad.Data);
            if (globalScale != 1f) TensorPrimitives.Multiply(g, globalScale, g);
            if (ClipNorm is float clip) TensorPrimitives.Multiply(g, ClipScale(TensorPrimitives.Norm(g), clip), g);
            if (ClipValue is float v) { TensorPrimitives.Min(g, v, g); TensorPrimitives.Max(g, -v, g); }
            if (WeightDecay != 0 && CoupledWeightDecay) TensorPrimitives.MultiplyAdd(p.Data, WeightDecay, g, g);
            Update(i, p.Data, g, rate);
        }
        Iterations++;
    }

    /// <summary>Whether weight decay is added to the gradient (false for decoupled AdamW).</summary>
    protected virtual bool CoupledWeightDecay => true;

    /// <summary>Allocates per-parameter state once the parameters are known.</summary>
    protected abstract void CreateState(IReadOnlyList<Tensor> parameters);

    /// <summary>The update rule for parameter <paramref name="index"/>; <paramref name="gradient"/> may be modified.</summary>
    protected abstract void Update(int index, Span<float> parameter, Span<float> gradient, float learningRate);

    /// <summary>The moments and counters, by name ("0.m", "iterations"), for checkpoints.</summary>
    public IReadOnlyDictionary<string, Tensor> GetState()
    {
        var state = new Dictionary<string, Tensor> { ["iterations"] = Tensor.Scalar(Iterations) };
        foreach (var (name, values) in StateArrays()) state[name] = Tensor.FromArray(values, values.Length);
        return state;
    }

    /// <summary>Restores state saved by <see cref="GetState"/>; shapes must match.</summary>
    public void SetState(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var (name, values) in StateArrays())
        {
            if (!state.TryGetValue(name, out var saved) || saved.Size != values.Length)
                throw new InvalidDataException($"{Name}: optimizer state '{name}' is missing or has the wrong size.");
            saved.Data.CopyTo(values, 0);
        }
        if (state.TryGetValue("iterations", out var iterations)) Iterations = (int)iterations.Item();
    }

    /// <summary>The named per-parameter state arrays (live, so SetState can fill them).</summary>
    protected abstract IEnumerable<(string Name, float[] Values)> StateArrays();

    /// <summary>The hyperparameters, for saving.</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["learning_rate"] = LearningRate };

    /// <summary>Lets a Keras string stand for an optimizer: <c>optimizer: "adam"</c>.</summary>
    public static implicit operator Optimizer(string name) => OptimizerRegistry.Get(name);

    private float GlobalNorm()
    {
        double sum = 0;
        foreach (var p in Parameters)
            if (p.Grad is not null) { float n = TensorPrimitives.Norm(p.Grad.Data); sum += (double)n * n; }
        return (float)Math.Sqrt(sum);
    }

    private static float ClipScale(float norm, float maxNorm) => norm > maxNorm ? maxNorm / (norm + 1e-6f) : 1f;

    private float[][] scratch = [];

    /// <summary>A reused copy of a gradient, so preprocessing never touches the .Grad tensor itself.</summary>
    private Span<float> Scratch(int index, float[] gradient)
    {
        if (scratch.Length != Parameters.Count) scratch = new float[Parameters.Count][];
        var buffer = scratch[index] ??= new float[gradient.Length];
        gradient.CopyTo(buffer, 0);
        return buffer;
    }

    /// <summary>One zeroed state array per parameter.</summary>
    protected static float[][] ZerosLike(IReadOnlyList<Tensor> parameters, float value = 0f) =>
        [.. parameters.Select(p => { var a = new float[p.Size]; if (value != 0) Array.Fill(a, value); return a; })];
}
