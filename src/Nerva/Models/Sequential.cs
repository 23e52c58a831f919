using Nerva.Layers;

namespace Nerva.Models;

/// <summary>A plain stack of layers, each feeding the next (Keras's Sequential).</summary>
/// <example><code>
/// var model = new Sequential(new Dense(10, "relu"), new Dense(3, "softmax"));
/// model.Compile("adam", "sparse_categorical_crossentropy", "accuracy");
/// </code></example>
public class Sequential : Model
{
    private readonly List<Layer> layers = [];

    /// <summary>A stack of the given layers, in order.</summary>
    public Sequential(params Layer[] layers) : this(layers, null) { }

    /// <summary>A named stack of layers.</summary>
    public Sequential(IEnumerable<Layer> layers, string? name) : base(name)
    {
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => layers;

    /// <summary>Appends a layer (before the model is built).</summary>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (Built) throw new InvalidOperationException($"{Name}.Add: the model is already built; add layers before using it.");
        layers.Add(layer);
    }

    /// <summary>Builds each layer in turn from the shape the previous one produces.</summary>
    protected override void OnBuild(int[] inputShape)
    {
        var shape = inputShape;
        foreach (var layer in layers) shape = layer.ComputeOutputShape(shape);
    }

    /// <summary>Whatever the first layer accepts (a recurrent first layer takes any number of steps); later layers check their own inputs.</summary>
    protected override bool ShapeMatches(int[] shapeWithBatch) => layers.Count == 0 ? base.ShapeMatches(shapeWithBatch) : layers[0].Accepts(shapeWithBatch);

    /// <inheritdoc/>
    protected override string ExpectedInput(int[] builtShape) => layers.Count == 0 ? base.ExpectedInput(builtShape) : layers[0].DescribeExpectedInput();

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        foreach (var layer in layers) input = layer.Forward(input, training);
        return input;
    }
}
