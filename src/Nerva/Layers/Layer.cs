using System.Reflection;
using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// The base of every layer and model. A layer lives the Keras life: the constructor stores its
/// configuration, <see cref="Build"/> creates its weights from the first input's shape, and
/// <see cref="Forward(Tensor, bool)"/> computes. Sub-layers held in fields are found automatically, as in
/// PyTorch's nn.Module, so <see cref="Parameters"/> needs no registration code.
/// </summary>
public abstract class Layer
{
    private static readonly Dictionary<string, int> NameCounts = [];
    private readonly List<Weight> weights = [];
    private int[]? inputShape;

    /// <summary>Names the layer (by default its snake_case type name with a counter, as Keras: "dense_1").</summary>
    protected Layer(string? name = null) => Name = name ?? UniqueName(GetType().Name);

    /// <summary>The layer's name.</summary>
    public string Name { get; }

    /// <summary>Whether the weights have been created.</summary>
    public bool Built { get; private set; }

    /// <summary>The input shape without the batch dimension, once built.</summary>
    public int[]? InputShape => inputShape is null ? null : (int[])inputShape.Clone();

    /// <summary>Whether training updates this layer's weights (false freezes them, as Keras's trainable).</summary>
    public bool Trainable { get; set; } = true;

    /// <summary>Creates the weights for inputs of <paramref name="inputShape"/> (without the batch); does nothing if already built.</summary>
    public void Build(params int[] inputShape)
    {
        if (Built) return;
        this.inputShape = (int[])inputShape.Clone();
        OnBuild(inputShape);
        Built = true;
    }

    /// <summary>Adds the weights; called once by <see cref="Build"/> with the input shape (without the batch).</summary>
    protected virtual void OnBuild(int[] inputShape) { }

    /// <summary>
    /// Computes the layer's output. Built-in layers override <see cref="Call"/>; a PyTorch-style
    /// subclass may override this method directly and call its sub-layers.
    /// </summary>
    public virtual Tensor Forward(Tensor input, bool training = false)
    {
        if (!Built)
        {
            if (input.Rank == 0) throw ShapeUtil.Error(Name, "an input with a batch dimension", "a scalar");
            Build(input.Dims[1..]);
        }
        else if (inputShape is not null && !ShapeMatches(input.Dims))
        {
            throw ShapeUtil.Error(Name, ExpectedInput(inputShape), ShapeUtil.Format(input.Dims));
        }
        long start = Diagnostics.Profiler.Start();
        var output = Call(input, training);
        Diagnostics.Profiler.Stop(start, Name, " forward");
        return output;
    }

    /// <summary>
    /// Computes the output from several inputs (merge layers such as <see cref="Concatenate"/>);
    /// a single-input layer accepts a list of exactly one.
    /// </summary>
    public virtual Tensor Forward(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        if (inputs.Count != 1) throw new ArgumentException($"{Name}: expected one input, got {inputs.Count}.");
        return Forward(inputs[0], training);
    }

    /// <summary>
    /// Calls the layer on symbolic inputs (the Keras functional API): builds it, works out the output
    /// shape by running it once on zeros, and returns a symbolic output to pass on or give to a Model.
    /// </summary>
    public SymbolicTensor Apply(params SymbolicTensor[] inputs)
    {
        if (inputs.Length == 0) throw new ArgumentException($"{Name}.Apply: expected at least one input.");
        using var _ = Autograd.NoGrad();
        var probes = Array.ConvertAll(inputs, i => Tensor.Zeros([1, .. i.Dims]));
        var output = probes.Length == 1 ? Forward(probes[0]) : Forward(probes);
        return new SymbolicTensor(output.Dims[1..], this, inputs);
    }

    /// <summary>The computation on a batch (composed from differentiable ops; never gradient code).</summary>
    protected virtual Tensor Call(Tensor input, bool training) =>
        throw new NotImplementedException($"{GetType().Name}: override Forward (or Call) to define the computation.");

    /// <summary>Whether an input of this shape (with batch) can go through the layer: true before it is built.</summary>
    internal bool Accepts(int[] shapeWithBatch) => inputShape is null || ShapeMatches(shapeWithBatch);

    /// <summary>What the layer accepts, for another layer's error message (once built).</summary>
    internal string DescribeExpectedInput() => inputShape is null ? "any input" : ExpectedInput(inputShape);

    /// <summary>What the built layer accepts, for error messages; a layer that overrides <see cref="ShapeMatches"/> says what varies.</summary>
    protected virtual string ExpectedInput(int[] builtShape) => $"input of shape [batch, {string.Join(", ", builtShape)}]";

    /// <summary>Whether an input's shape (with batch) fits the built shape; a layer that accepts varying shapes overrides it.</summary>
    protected virtual bool ShapeMatches(int[] shapeWithBatch) =>
        shapeWithBatch.Length == inputShape!.Length + 1 && shapeWithBatch.AsSpan(1).SequenceEqual(inputShape);

    /// <summary>Creates and registers a weight (trainable ones are Parameters).</summary>
    protected Tensor AddWeight(string name, int[] shape, Initializer initializer, Regularizer? regularizer = null, bool trainable = true)
    {
        var value = initializer.Create(shape);
        value.RequiresGrad = trainable;
        weights.Add(new Weight(name, value, trainable, regularizer));
        return value;
    }

    /// <summary>The direct sub-layers: fields of type Layer or collections of layers, found once per type.</summary>
    public IReadOnlyList<Layer> SubLayers
    {
        get
        {
            var found = new List<Layer>();
            foreach (var info in LayerFields(GetType()))
            {
                switch (info.GetValue(this))
                {
                    case Layer layer:
                        found.Add(layer);
                        break;
                    case IEnumerable<Layer> many:
                        found.AddRange(many);
                        break;
                }
            }
            return found;
        }
    }

    /// <summary>Trainable weights of this layer and its sub-layers (each once), for optimizers.</summary>
    public IReadOnlyList<Tensor> Parameters => TrainableWeights;

    /// <summary>Trainable weights, this layer's first, then each sub-layer's.</summary>
    public IReadOnlyList<Tensor> TrainableWeights => CollectWeights(trainable: true);

    /// <summary>Weights that training does not update by gradient (e.g. BatchNormalization's moving statistics).</summary>
    public IReadOnlyList<Tensor> NonTrainableWeights => CollectWeights(trainable: false);

    /// <summary>All weights in Keras order: the trainable ones first, then the rest.</summary>
    public IReadOnlyList<Tensor> Weights => [.. TrainableWeights, .. NonTrainableWeights];

    /// <summary>Replaces the values of <see cref="Weights"/> (same order and shapes); the layer must be built.</summary>
    public void SetWeights(params Tensor[] values)
    {
        var current = Weights;
        if (values.Length != current.Count)
            throw new ArgumentException($"{Name}.SetWeights: expected {current.Count} weights, got {values.Length}.");
        for (int i = 0; i < values.Length; i++)
            if (!values[i].Dims.AsSpan().SequenceEqual(current[i].Dims))
                throw ShapeUtil.Error($"{Name}.SetWeights", $"weight {i} of shape {ShapeUtil.Format(current[i].Dims)}", ShapeUtil.Format(values[i].Dims));
        for (int i = 0; i < values.Length; i++) values[i].Data.CopyTo(current[i].Data, 0);
    }

    private readonly List<Tensor> activityLosses = [];

    /// <summary>
    /// Adds a penalty computed during a training forward pass (Keras's add_loss), e.g. an activity
    /// regularizer on the layer's output; it counts toward the next <see cref="RegularizationLoss"/>.
    /// </summary>
    protected void AddLoss(Tensor penalty) => activityLosses.Add(penalty);

    /// <summary>
    /// The sum of the penalties of every regularized weight and of the activity penalties added
    /// since the last call (which it clears), for this layer and all below it; 0 when none.
    /// </summary>
    public Tensor RegularizationLoss()
    {
        Tensor? total = null;
        foreach (var layer in LayersDepthFirst())
        {
            foreach (var w in layer.weights)
                if (w.Regularizer is not null && w.Trainable && layer.Trainable)
                    total = total is null ? w.Regularizer.Penalty(w.Value) : total + w.Regularizer.Penalty(w.Value);
            foreach (var penalty in layer.activityLosses) total = total is null ? penalty : total + penalty;
            layer.activityLosses.Clear();
        }
        return total ?? Tensor.Scalar(0f);
    }

    /// <summary>The constructor's arguments, so that the layer can be saved and rebuilt.</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name };

    /// <summary>The output shape (without batch) for an input shape (without batch), computed by running the layer on zeros.</summary>
    public virtual int[] ComputeOutputShape(int[] inputShape)
    {
        using var _ = Autograd.NoGrad();
        return Forward(Tensor.Zeros([1, .. inputShape])).Shape[1..];
    }

    /// <summary>The number of values in all weights (trainable or not).</summary>
    public int CountParameters(bool? trainable = null)
    {
        int count = 0;
        if (trainable != false) count += TrainableWeights.Sum(w => w.Size);
        if (trainable != true) count += NonTrainableWeights.Sum(w => w.Size);
        return count;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}({Name})";

    /// <summary>This layer and every layer below it, each once, parents first.</summary>
    internal IEnumerable<Layer> LayersDepthFirst()
    {
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Layer>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var layer = stack.Pop();
            if (!seen.Add(layer)) continue;
            yield return layer;
            var children = layer.SubLayers;
            for (int i = children.Count - 1; i >= 0; i--) stack.Push(children[i]);
        }
    }

    /// <summary>Weights with trainable == <paramref name="trainable"/>; a frozen layer freezes everything below it (Keras semantics).</summary>
    private List<Tensor> CollectWeights(bool trainable)
    {
        var result = new List<Tensor>();
        foreach (var (_, weight, isTrainable) in NamedWeights())
            if (isTrainable == trainable) result.Add(weight);
        return result;
    }

    /// <summary>Every weight below this layer with a path name ("dense/kernel") and whether training updates it.</summary>
    internal List<(string Path, Tensor Value, bool Trainable)> NamedWeights()
    {
        var result = new List<(string, Tensor, bool)>();
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        Visit(this, frozen: false);
        return result;

        void Visit(Layer layer, bool frozen)
        {
            if (!seen.Add(layer)) return;
            bool off = frozen || !layer.Trainable;
            foreach (var w in layer.weights) result.Add(($"{layer.Name}/{w.Name}", w.Value, w.Trainable && !off));
            foreach (var child in layer.SubLayers) Visit(child, off);
        }
    }

    private static readonly Dictionary<Type, FieldInfo[]> FieldCache = [];

    private static FieldInfo[] LayerFields(Type type)
    {
        lock (FieldCache)
        {
            if (FieldCache.TryGetValue(type, out var cached)) return cached;
            var fields = new List<FieldInfo>();
            for (var t = type; t is not null && t != typeof(Layer); t = t.BaseType)
                foreach (var f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    if (typeof(Layer).IsAssignableFrom(f.FieldType) || typeof(IEnumerable<Layer>).IsAssignableFrom(f.FieldType))
                        fields.Add(f);
            // Base-class fields first, in declaration order.
            fields.Reverse();
            return FieldCache[type] = [.. fields.OrderBy(f => Depth(f.DeclaringType!)).ThenBy(f => f.MetadataToken)];
        }
    }

    private static int Depth(Type t)
    {
        int depth = 0;
        for (; t.BaseType is not null; t = t.BaseType) depth++;
        return depth;
    }

    private static string UniqueName(string typeName)
    {
        // Keras's naming: "MaxPooling2D" → "max_pooling2d", "SimpleRNN" → "simple_rnn".
        var snake = System.Text.RegularExpressions.Regex.Replace(typeName, "(?<=[a-z])([A-Z])|(?<=[A-Z])([A-Z][a-z])", "_$1$2").ToLowerInvariant();
        lock (NameCounts)
        {
            int n = NameCounts.TryGetValue(snake, out var c) ? c : 0;
            NameCounts[snake] = n + 1;
            return n == 0 ? snake : $"{snake}_{n}";
        }
    }

    /// <summary>A weight with its name and how training treats it.</summary>
    private sealed record Weight(string Name, Tensor Value, bool Trainable, Regularizer? Regularizer);
}
