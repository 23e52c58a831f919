using Nerva.Callbacks;
using Nerva.Layers;
using Nerva.Losses;
using Nerva.Metrics;
using Nerva.Optimizers;

namespace Nerva.Models;

/// <summary>
/// A layer that can be trained: Compile binds an optimizer, a loss and metrics; Fit, Evaluate and
/// Predict run them over data (Keras). Subclass it and override <see cref="Layer.Forward(Tensor, bool)"/> for a
/// PyTorch-style model, or use <see cref="Sequential"/> or the functional form.
/// </summary>
public partial class Model : Layer
{
    private readonly List<Metric> metrics = [];

    /// <summary>A model defined by a subclass's Forward.</summary>
    public Model(string? name = null) : base(name) { }

    /// <summary>The optimizer bound by Compile.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss bound by Compile.</summary>
    public Loss? Loss { get; private set; }

    /// <summary>The metrics bound by Compile.</summary>
    public IReadOnlyList<Metric> Metrics => metrics;

    /// <summary>Set by a callback (e.g. EarlyStopping) to end Fit after the current epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>
    /// Binds the optimizer, the loss and the metrics, each as a typed object or a Keras string:
    /// <c>Compile("adam", "sparse_categorical_crossentropy", "accuracy")</c>.
    /// "accuracy" resolves to the kind that fits the loss, as Keras does.
    /// </summary>
    public void Compile(Optimizer optimizer, Loss loss, params object[] metrics)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
        this.metrics.Clear();
        foreach (var m in metrics)
        {
            this.metrics.Add(m switch
            {
                Metric metric => metric,
                string name => MetricRegistry.Get(name, loss),
                _ => throw new ArgumentException($"{Name}.Compile: a metric must be a Metric or a Keras name, got {m?.GetType().Name ?? "null"}."),
            });
        }
        optimizerBound = false;
    }

    /// <inheritdoc cref="Compile(Optimizer, Loss, object[])"/>
    public void Compile(string optimizer, string loss, params object[] metrics) =>
        Compile(OptimizerRegistry.Get(optimizer), LossRegistry.Get(loss), metrics);

    /// <inheritdoc cref="Compile(Optimizer, Loss, object[])"/>
    public void Compile(Optimizer optimizer, string loss, params object[] metrics) => Compile(optimizer, LossRegistry.Get(loss), metrics);

    /// <inheritdoc cref="Compile(Optimizer, Loss, object[])"/>
    public void Compile(string optimizer, Loss loss, params object[] metrics) => Compile(OptimizerRegistry.Get(optimizer), loss, metrics);

    private bool optimizerBound;

    /// <summary>The compiled optimizer, bound to the trainable weights once the model is built.</summary>
    private Optimizer CompiledOptimizer(Tensor sampleInput)
    {
        if (Optimizer is null || Loss is null)
            throw new InvalidOperationException($"{Name}: call Compile(optimizer, loss, metrics) before training.");
        if (!optimizerBound)
        {
            if (!Built) Build(sampleInput.Dims[1..]);
            else if (TrainableWeights.Count == 0) Forward(sampleInput); // a subclassed model builds its layers on first use
            Optimizer.Bind(Parameters);
            optimizerBound = true;
        }
        return Optimizer;
    }
}
