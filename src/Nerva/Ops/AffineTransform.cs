using Resampler = Nerva.Kernels.AffineTransform;

namespace Nerva;

// Resampling images through per-image transforms (Keras's ops.image.affine_transform); the
// backward pass is the transpose of the same sampling weights.
public sealed partial class Tensor
{
    /// <summary>
    /// Resamples images [N, H, W, C] as Keras's <c>ops.image.affine_transform</c>: output pixel (x, y)
    /// of image n reads the input at ((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k), k = c0·x + c1·y + 1,
    /// where row n of <paramref name="transforms"/> ([N, 8], or [8] for every image) is
    /// [a0, a1, a2, b0, b1, b2, c0, c1] — the map from output to input. <paramref name="interpolation"/>
    /// is "bilinear" or "nearest"; <paramref name="fillMode"/> is "constant" (with
    /// <paramref name="fillValue"/>), "reflect", "wrap" or "nearest". Differentiable with respect to
    /// the images, not the transforms (as Keras).
    /// </summary>
    public Tensor AffineTransform(Tensor transforms, string interpolation = "bilinear", string fillMode = "constant", float fillValue = 0f)
    {
        const string op = "AffineTransform";
        if (Rank != 4) throw ShapeUtil.Error(op, "images [N, H, W, C]", ShapeUtil.Format(Dims));
        var mode = Resampler.ParseFillMode(fillMode, op);
        var sampling = Resampler.ParseInterpolation(interpolation, op);
        int n = Dims[0], width = Resampler.TransformLength;
        float[] rows;
        if (transforms.Rank == 2 && transforms.Dims[0] == n && transforms.Dims[1] == width)
        {
            // A copy: the backward pass must see the transforms of this call even if the caller reuses the array.
            rows = transforms.ToArray();
        }
        else if (transforms.Rank == 1 && transforms.Dims[0] == width)
        {
            rows = new float[n * width];
            for (int i = 0; i < n; i++) transforms.Data.CopyTo(rows, i * width);
        }
        else
        {
            throw ShapeUtil.Error(op, $"transforms [{n}, {width}] or [{width}] for images {ShapeUtil.Format(Dims)}", ShapeUtil.Format(transforms.Dims));
        }

        var (h, w, c) = (Dims[1], Dims[2], Dims[3]);
        var output = BufferPool.Floats(Size);
        Resampler.Forward(Data, output, n, h, w, c, rows, sampling, mode, fillValue);
        var x = this;
        // d/dx = the sampling weights transposed: each output gradient goes back to the pixels it read
        return Record(new Tensor(output, Dims), op, [x], grad =>
        {
            var dx = BufferPool.Floats(x.Size);
            Resampler.Backward(grad.Data, dx, n, h, w, c, rows, sampling, mode);
            return [new Tensor(dx, x.Dims)];
        });
    }
}
