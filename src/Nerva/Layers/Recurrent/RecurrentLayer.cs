namespace Nerva.Layers;

/// <summary>
/// What Keras's recurrent layers (<see cref="SimpleRNN"/>, <see cref="LSTM"/>, <see cref="GRU"/>) share: a
/// number of units, inputs [batch, steps, features] with any number of steps (the feature count is fixed
/// once built), the output as the last h [batch, units] or every h [batch, steps, units], and reading the
/// sequence backwards. The states start at zero.
/// </summary>
public abstract class RecurrentLayer : Layer
{
    private int features;

    /// <summary>Stores the arguments every recurrent layer takes.</summary>
    /// <param name="units">The size of the hidden state.</param>
    /// <param name="returnSequences">Return h for every step rather than the last.</param>
    /// <param name="goBackwards">Read the sequence last step first (the returned sequence is in that order too).</param>
    /// <param name="name">The layer's name.</param>
    protected RecurrentLayer(int units, bool returnSequences, bool goBackwards, string? name) : base(name)
    {
        Units = units > 0 ? units : throw new ArgumentException($"{GetType().Name}: expected a positive number of units, got {units}.");
        ReturnSequences = returnSequences;
        GoBackwards = goBackwards;
    }

    /// <summary>The size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>Whether the output is h at every step ([batch, steps, units]) rather than the last ([batch, units]).</summary>
    public bool ReturnSequences { get; }

    /// <summary>Whether the sequence is read last step first.</summary>
    public bool GoBackwards { get; }

    /// <inheritdoc/>
    protected sealed override void OnBuild(int[] inputShape)
    {
        if (inputShape.Length != 2) throw ShapeUtil.Error(Name, "inputs [batch, steps, features]", $"[batch, {string.Join(", ", inputShape)}]");
        features = inputShape[1];
        BuildWeights(features);
    }

    /// <summary>Adds the weights for inputs of <paramref name="features"/> features per step.</summary>
    protected abstract void BuildWeights(int features);

    /// <inheritdoc/>
    protected sealed override bool ShapeMatches(int[] shapeWithBatch) => shapeWithBatch.Length == 3 && shapeWithBatch[2] == features;

    /// <inheritdoc/>
    protected sealed override string ExpectedInput(int[] builtShape) => $"input of shape [batch, steps, {features}]";

    /// <inheritdoc/>
    protected sealed override Tensor Call(Tensor input, bool training)
    {
        // The rank and feature count were checked on the way in (OnBuild or ShapeMatches).
        if (input.Dims[1] == 0) throw ShapeUtil.Error(Name, "at least one time step", ShapeUtil.Format(input.Dims));
        return CallSequence(input);
    }

    /// <summary>The output for a checked input [batch, steps ≥ 1, features].</summary>
    protected abstract Tensor CallSequence(Tensor input);

    /// <summary>
    /// Runs <paramref name="step"/> over the steps of <paramref name="projected"/> [batch, steps, width] in
    /// processing order (last first with <see cref="GoBackwards"/>); it receives the step's [batch, width]
    /// slice, advances the state it holds and returns the new h. Collects the output from the returned h.
    /// </summary>
    protected Tensor Unroll(Tensor projected, Func<Tensor, Tensor> step)
    {
        int batch = projected.Dims[0], steps = projected.Dims[1], width = projected.Dims[2];
        var outputs = new Tensor[steps];
        for (int s = 0; s < steps; s++)
        {
            int t = GoBackwards ? steps - 1 - s : s;
            outputs[s] = step(projected.Narrow(1, t, 1).Reshape(batch, width));
        }
        return ReturnSequences ? Tensor.Stack(outputs, 1) : outputs[^1];
    }
}
