using Nerva.Kernels;

namespace Nerva;

// Max and average pooling over NHWC images; the backward passes reuse the forward's argmax.
public sealed partial class Tensor
{
    /// <summary>Max pooling of images [N, H, W, C]; strides default to the pool size, padding "valid" or "same" (Keras).</summary>
    public Tensor MaxPool2D(int poolHeight, int poolWidth, int strideH = 0, int strideW = 0, string padding = "valid")
    {
        var g = PoolGeometry("MaxPool2D", poolHeight, poolWidth, strideH, strideW, padding);
        var output = BufferPool.Floats(g.OutputLength);
        var argMax = BufferPool.Ints(g.OutputLength);
        Pooling.MaxForward(Data, output, argMax, g);
        var x = this;
        // d/dx = g routed to the position that held each maximum (the first one among ties)
        return Record(new Tensor(output, [Dims[0], g.OutHeight, g.OutWidth, Dims[3]]), "MaxPool2D", [x], grad =>
        {
            var dx = BufferPool.Floats(x.Size);
            Pooling.MaxBackward(grad.Data, argMax, dx, g);
            return [new Tensor(dx, x.Dims)];
        }).Saving(argMax);
    }

    /// <summary>Average pooling of images [N, H, W, C]; "same" padding averages only the pixels inside the image, as Keras.</summary>
    public Tensor AvgPool2D(int poolHeight, int poolWidth, int strideH = 0, int strideW = 0, string padding = "valid")
    {
        var g = PoolGeometry("AvgPool2D", poolHeight, poolWidth, strideH, strideW, padding);
        var output = BufferPool.Floats(g.OutputLength);
        Pooling.AverageForward(Data, output, g);
        var x = this;
        // d/dx = g spread evenly over each window's pixels
        return Record(new Tensor(output, [Dims[0], g.OutHeight, g.OutWidth, Dims[3]]), "AvgPool2D", [x], grad =>
        {
            var dx = BufferPool.Floats(x.Size);
            Pooling.AverageBackward(grad.Data, dx, g);
            return [new Tensor(dx, x.Dims)];
        });
    }

    private Pool2DGeometry PoolGeometry(string op, int poolHeight, int poolWidth, int strideH, int strideW, string padding)
    {
        if (Rank != 4) throw ShapeUtil.Error(op, "images [N, H, W, C]", ShapeUtil.Format(Dims));
        try
        {
            return Pool2DGeometry.Create(Dims[0], Dims[1], Dims[2], Dims[3], poolHeight, poolWidth, strideH, strideW, padding);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{op}: {e.Message} (images {ShapeUtil.Format(Dims)})", e);
        }
    }
}
