namespace Nerva.Regularizers;

/// <summary>A penalty on a weight (or an activation) that training adds to the loss, as Keras's regularizers.</summary>
public abstract class Regularizer
{
    /// <summary>The Keras name, e.g. "l2".</summary>
    public abstract string Name { get; }

    /// <summary>The penalty as a scalar tensor (differentiable, so its gradient reaches the weight).</summary>
    public abstract Tensor Penalty(Tensor x);

    /// <summary>The constructor arguments, for saving.</summary>
    public abstract IReadOnlyDictionary<string, object?> GetConfig();

    /// <summary>The regularizer with a Keras name and default factor 0.01: "l1", "l2" or "l1_l2".</summary>
    public static Regularizer Get(string name) => name switch
    {
        "l1" => new L1(),
        "l2" => new L2(),
        "l1_l2" => new L1L2(0.01f, 0.01f),
        _ => throw new ArgumentException($"Regularizer: unknown regularizer '{name}'; expected l1, l2 or l1_l2."),
    };

    /// <summary>Lets a Keras string stand for a regularizer: <c>kernelRegularizer: "l2"</c>.</summary>
    public static implicit operator Regularizer(string name) => Get(name);
}
