using System.Globalization;
using System.Text;
using Nerva.Layers;

namespace Nerva.Models;

// Keras's model.summary(): layers, output shapes and parameter counts.
public partial class Model
{
    /// <summary>
    /// A table of the layers with their output shapes and parameter counts, then the totals
    /// (trainable and not), as Keras prints it. Output shapes are known once the model is built.
    /// </summary>
    public string Summary()
    {
        var rows = new List<(string Layer, string Shape, int Params)>();
        foreach (var (layer, shape) in LayerShapes())
            rows.Add(($"{layer.Name} ({layer.GetType().Name})", shape is null ? "?" : "(None, " + string.Join(", ", shape) + (shape.Length == 0 ? ")" : ")"), layer.CountParameters()));
        int w1 = Math.Max(20, rows.Select(r => r.Layer.Length).DefaultIfEmpty().Max()), w2 = Math.Max(14, rows.Select(r => r.Shape.Length).DefaultIfEmpty().Max()), w3 = 12;
        var sb = new StringBuilder();
        sb.AppendLine($"Model: \"{Name}\"");
        string rule = new('─', w1 + w2 + w3 + 6);
        sb.AppendLine(rule);
        sb.AppendLine($" {"Layer (type)".PadRight(w1)}  {"Output Shape".PadRight(w2)}  {"Param #".PadLeft(w3)}");
        sb.AppendLine(rule);
        foreach (var (layer, shape, count) in rows)
            sb.AppendLine($" {layer.PadRight(w1)}  {shape.PadRight(w2)}  {count.ToString("N0", CultureInfo.InvariantCulture).PadLeft(w3)}");
        sb.AppendLine(rule);
        sb.AppendLine(CultureInfo.InvariantCulture, $" Total params: {CountParameters():N0}");
        sb.AppendLine(CultureInfo.InvariantCulture, $" Trainable params: {CountParameters(trainable: true):N0}");
        sb.AppendLine(CultureInfo.InvariantCulture, $" Non-trainable params: {CountParameters(trainable: false):N0}");
        return sb.ToString();
    }

    /// <summary>The layers to list and their output shapes (null where unknown); a Sequential model knows them all once built.</summary>
    private IEnumerable<(Layer Layer, int[]? Shape)> LayerShapes()
    {
        if (this is Sequential sequential)
        {
            var shape = InputShape;
            foreach (var layer in sequential.Layers)
            {
                shape = shape is null ? null : layer.ComputeOutputShape(shape);
                yield return (layer, shape);
            }
            yield break;
        }
        if (IsFunctional)
        {
            foreach (var node in graphOrder)
                if (node.Layer is not null) yield return (node.Layer, node.Dims);
            yield break;
        }
        foreach (var layer in SubLayers) yield return (layer, null);
    }
}
