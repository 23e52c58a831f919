namespace Nerva.Layers;

/// <summary>The entry point of a functional model: a symbolic batch of samples of the given shape (Keras's Input).</summary>
public sealed class Input(params int[] shape) : SymbolicTensor(CheckShape(shape), null, [])
{
    private static int[] CheckShape(int[] shape)
    {
        if (shape.Length == 0 || shape.Any(d => d <= 0))
            throw ShapeUtil.Error("Input", "a non-empty shape of positive sizes (without the batch)", ShapeUtil.Format(shape));
        return (int[])shape.Clone();
    }
}
