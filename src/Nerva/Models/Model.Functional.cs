using Nerva.Layers;

namespace Nerva.Models;

// The Keras functional API: a Model defined by symbolic inputs and outputs. Layers form a graph
// (shared layers, residual connections, several inputs and outputs) that Forward runs in order.
public partial class Model
{
    private readonly SymbolicTensor[] graphInputs = [];
    private readonly SymbolicTensor[] graphOutputs = [];
    private readonly SymbolicTensor[] graphOrder = [];
    // Held in a field so that sub-layer discovery finds the graph's layers (each once).
    private readonly List<Layer> graphLayers = [];

    /// <summary>A model from one symbolic input to one symbolic output.</summary>
    public Model(SymbolicTensor inputs, SymbolicTensor outputs, string? name = null) : this([inputs], [outputs], name) { }

    /// <summary>A model from several symbolic inputs to several symbolic outputs.</summary>
    public Model(SymbolicTensor[] inputs, SymbolicTensor[] outputs, string? name = null) : base(name)
    {
        if (inputs.Length == 0 || outputs.Length == 0) throw new ArgumentException("Model: expected at least one input and one output.");
        graphInputs = inputs;
        graphOutputs = outputs;
        graphOrder = [.. GraphOrder(inputs, outputs)];
        foreach (var node in graphOrder)
            if (node.Layer is not null && !graphLayers.Contains(node.Layer)) graphLayers.Add(node.Layer);
        if (inputs.Length == 1) Build(inputs[0].Shape);
    }

    /// <summary>Whether this model was defined by symbolic inputs and outputs.</summary>
    public bool IsFunctional => graphOutputs.Length > 0;

    /// <summary>The functional model's inputs.</summary>
    public IReadOnlyList<SymbolicTensor> Inputs => graphInputs;

    /// <summary>The functional model's outputs.</summary>
    public IReadOnlyList<SymbolicTensor> Outputs => graphOutputs;

    /// <summary>Runs a functional model on one batch per input and returns one batch per output.</summary>
    public Tensor[] ForwardAll(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        if (!IsFunctional) throw new InvalidOperationException($"{Name}: ForwardAll needs a model defined by inputs and outputs.");
        if (inputs.Count != graphInputs.Length) throw new ArgumentException($"{Name}: expected {graphInputs.Length} inputs, got {inputs.Count}.");
        var values = new Dictionary<SymbolicTensor, Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (!inputs[i].Dims.AsSpan(1).SequenceEqual(graphInputs[i].Dims) || inputs[i].Rank != graphInputs[i].Dims.Length + 1)
                throw ShapeUtil.Error($"{Name} input {i}", $"[batch, {string.Join(", ", graphInputs[i].Dims)}]", ShapeUtil.Format(inputs[i].Dims));
            values[graphInputs[i]] = inputs[i];
        }
        foreach (var node in graphOrder)
        {
            if (node.Layer is null) continue;
            var args = node.Parents.Select(p => values[p]).ToArray();
            values[node] = args.Length == 1 ? node.Layer.Forward(args[0], training) : node.Layer.Forward(args, training);
        }
        return [.. graphOutputs.Select(o => values[o])];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        if (!IsFunctional) return base.Forward(inputs, training);
        var outputs = ForwardAll(inputs, training);
        return outputs.Length == 1 ? outputs[0] : throw new InvalidOperationException($"{Name}: the model has {outputs.Length} outputs; use ForwardAll.");
    }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) =>
        IsFunctional ? Forward([input], training) : base.Call(input, training);

    /// <summary>Nodes reachable backwards from the outputs, each after its parents; every path must start at a model input.</summary>
    private static List<SymbolicTensor> GraphOrder(SymbolicTensor[] inputs, SymbolicTensor[] outputs)
    {
        var order = new List<SymbolicTensor>();
        var done = new HashSet<SymbolicTensor>(ReferenceEqualityComparer.Instance);
        void Visit(SymbolicTensor node)
        {
            if (done.Contains(node)) return;
            if (node.Layer is null && !inputs.Contains(node))
                throw new ArgumentException("Model: an output depends on an Input that is not among the model's inputs.");
            foreach (var parent in node.Parents) Visit(parent);
            done.Add(node);
            order.Add(node);
        }
        foreach (var output in outputs) Visit(output);
        return order;
    }
}
