using System.Numerics.Tensors;

namespace Nerva;

// In-place updates (PyTorch's trailing-underscore methods), for parameter updates under NoGrad.
// They are not recorded, so using one on a tensor that takes part in a recorded graph is refused.
public sealed partial class Tensor
{
    private void CheckInPlace(string op)
    {
        if (requiresGrad && Autograd.IsEnabled)
            throw new InvalidOperationException(
                $"{op}: a tensor that requires grad cannot be modified in place while recording; wrap the update in Autograd.NoGrad().");
    }

    /// <summary>this += alpha·other (other broadcast to this shape); returns this.</summary>
    public Tensor Add_(Tensor other, float alpha = 1f)
    {
        CheckInPlace("Add_");
        if (ShapeUtil.Broadcast(Dims, other.Dims, "Add_").Length != Rank)
            throw ShapeUtil.Error("Add_", $"a shape that broadcasts to {ShapeUtil.Format(Dims)}", ShapeUtil.Format(other.Dims));
        bool broadcast = !other.Dims.AsSpan().SequenceEqual(Dims);
        var values = broadcast ? other.BroadcastData(Dims) : other.Data;
        if (values.Length != Size)
            throw ShapeUtil.Error("Add_", $"a shape that broadcasts to {ShapeUtil.Format(Dims)}", ShapeUtil.Format(other.Dims));
        if (alpha == 1f) TensorPrimitives.Add(Data, values, Data);
        else TensorPrimitives.MultiplyAdd(values, alpha, Data, Data);
        if (broadcast) BufferPool.Return(values);
        GC.KeepAlive(other);
        return this;
    }

    /// <summary>this −= alpha·other; returns this.</summary>
    public Tensor Sub_(Tensor other, float alpha = 1f) => Add_(other, -alpha);

    /// <summary>this ·= factor; returns this.</summary>
    public Tensor Mul_(float factor)
    {
        CheckInPlace("Mul_");
        TensorPrimitives.Multiply(Data, factor, Data);
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>; returns this.</summary>
    public Tensor Fill_(float value)
    {
        CheckInPlace("Fill_");
        Array.Fill(Data, value);
        return this;
    }

    /// <summary>Sets every element to zero; returns this (e.g. <c>w.Grad?.Zero_()</c>).</summary>
    public Tensor Zero_() => Fill_(0f);

    /// <summary>Copies the values of a same-shape tensor into this one; returns this.</summary>
    public Tensor Copy_(Tensor source)
    {
        CheckInPlace("Copy_");
        if (!source.Dims.AsSpan().SequenceEqual(Dims))
            throw ShapeUtil.Error("Copy_", $"a source of shape {ShapeUtil.Format(Dims)}", ShapeUtil.Format(source.Dims));
        source.Data.CopyTo(Data, 0);
        return this;
    }
}
