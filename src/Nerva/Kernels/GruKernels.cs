using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Nerva.Kernels;

/// <summary>
/// The elementwise half of one GRU time step (Keras's reset_after form, PyTorch's GRU), on spans; the
/// products (x·W, h·U) are GEMMs. Gate rows hold 3·units: update z, reset r, candidate h (Keras's order).
/// Activations are sigmoid for z and r and tanh for the candidate, the only pair this fused form handles.
/// </summary>
public static class GruKernels
{
    /// <summary>
    /// From the input part <paramref name="gates"/> [rows, 3u] (x·W + input bias, replaced by the activated
    /// z, r, candidate) and the recurrent part <paramref name="recurrent"/> [rows, 3u] (h·U + recurrent bias):
    /// z = σ(x_z + r_z), r = σ(x_r + r_r), candidate = tanh(x_h + r·r_h), h = z·hPrev + (1 − z)·candidate.
    /// </summary>
    public static void CellForward(Span<float> gates, ReadOnlySpan<float> recurrent, ReadOnlySpan<float> hPrev, Span<float> h, int rows, int units)
    {
        int u = units;
        for (int r = 0; r < rows; r++)
        {
            var row = gates.Slice(r * 3 * u, 3 * u);
            var rec = recurrent.Slice(r * 3 * u, 3 * u);
            var hRow = h.Slice(r * u, u);
            var pRow = hPrev.Slice(r * u, u);
            int j = 0;
            // One pass over the row: the three activations and the update stay in registers.
            if (Vector512.IsHardwareAccelerated)
                for (; j <= u - Vector512<float>.Count; j += Vector512<float>.Count)
                    CellForward512(row, rec, pRow, hRow, j, u);
            if (j == u) continue;
            int n = u - j;
            var z = row.Slice(j, n);
            var reset = row.Slice(u + j, n);
            var candidate = row.Slice(2 * u + j, n);
            TensorPrimitives.Add(z, rec.Slice(j, n), z);
            TensorPrimitives.Sigmoid(z, z);
            TensorPrimitives.Add(reset, rec.Slice(u + j, n), reset);
            TensorPrimitives.Sigmoid(reset, reset);
            TensorPrimitives.MultiplyAdd(reset, rec.Slice(2 * u + j, n), candidate, candidate);
            TensorPrimitives.Tanh(candidate, candidate);
            // h = candidate + z·(hPrev − candidate)
            var hTail = hRow[j..];
            TensorPrimitives.Subtract(pRow[j..], candidate, hTail);
            TensorPrimitives.MultiplyAdd(z, hTail, candidate, hTail);
        }
    }

    private static void CellForward512(Span<float> row, ReadOnlySpan<float> rec, ReadOnlySpan<float> hPrev, Span<float> h, int j, int u)
    {
        var z = ActivationKernels.Sigmoid(Vector512.Create(row.Slice(j)) + Vector512.Create(rec.Slice(j)));
        var reset = ActivationKernels.Sigmoid(Vector512.Create(row.Slice(u + j)) + Vector512.Create(rec.Slice(u + j)));
        var candidate = ActivationKernels.Tanh(Vector512.FusedMultiplyAdd(reset, Vector512.Create(rec.Slice(2 * u + j)), Vector512.Create(row.Slice(2 * u + j))));
        z.CopyTo(row.Slice(j));
        reset.CopyTo(row.Slice(u + j));
        candidate.CopyTo(row.Slice(2 * u + j));
        Vector512.FusedMultiplyAdd(z, Vector512.Create(hPrev.Slice(j)) - candidate, candidate).CopyTo(h.Slice(j));
    }

    /// <summary>
    /// One step back through the cell. From the activated gates <paramref name="gates"/> [rows, 3u], the
    /// recurrent part <paramref name="recurrent"/> [rows, 3u] of the forward step, the previous h and the
    /// gradient reaching h (<paramref name="dh"/>, replaced by the part of the previous h's gradient that
    /// bypasses the recurrent product, dh·z), writes the gradients of the input part <paramref name="dInput"/>
    /// and of the recurrent part <paramref name="dRecurrent"/> (each [rows, 3u]):
    /// da = dh·(1 − z)·(1 − candidate²); dz = dh·(hPrev − candidate)·z(1 − z); dr = da·r_h·r(1 − r);
    /// dInput = (dz, dr, da); dRecurrent = (dz, dr, da·r).
    /// </summary>
    public static void CellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> recurrent, ReadOnlySpan<float> hPrev,
        Span<float> dh, Span<float> dInput, Span<float> dRecurrent, int rows, int units)
    {
        int u = units;
        for (int r = 0; r < rows; r++)
        {
            int g0 = r * 3 * u, s0 = r * u, j = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; j <= u - Vector512<float>.Count; j += Vector512<float>.Count)
                    CellBackward512(gates, recurrent, hPrev, dh, dInput, dRecurrent, g0 + j, u, s0 + j);
            for (; j < u; j++)
            {
                float z = gates[g0 + j], reset = gates[g0 + u + j], c = gates[g0 + 2 * u + j];
                float dhj = dh[s0 + j];
                float da = dhj * (1f - z) * (1f - c * c);
                float dz = dhj * (hPrev[s0 + j] - c) * z * (1f - z);
                float dr = da * recurrent[g0 + 2 * u + j] * reset * (1f - reset);
                dInput[g0 + j] = dRecurrent[g0 + j] = dz;
                dInput[g0 + u + j] = dRecurrent[g0 + u + j] = dr;
                dInput[g0 + 2 * u + j] = da;
                dRecurrent[g0 + 2 * u + j] = da * reset;
                dh[s0 + j] = dhj * z;
            }
        }
    }

    private static void CellBackward512(ReadOnlySpan<float> gates, ReadOnlySpan<float> recurrent, ReadOnlySpan<float> hPrev,
        Span<float> dh, Span<float> dInput, Span<float> dRecurrent, int gate, int u, int state)
    {
        var one = Vector512<float>.One;
        var z = Vector512.Create(gates.Slice(gate));
        var reset = Vector512.Create(gates.Slice(gate + u));
        var c = Vector512.Create(gates.Slice(gate + 2 * u));
        var dhv = Vector512.Create(dh.Slice(state));
        var da = dhv * (one - z) * (one - c * c);
        var dz = dhv * (Vector512.Create(hPrev.Slice(state)) - c) * z * (one - z);
        var dr = da * Vector512.Create(recurrent.Slice(gate + 2 * u)) * reset * (one - reset);
        dz.CopyTo(dInput.Slice(gate));
        dz.CopyTo(dRecurrent.Slice(gate));
        dr.CopyTo(dInput.Slice(gate + u));
        dr.CopyTo(dRecurrent.Slice(gate + u));
        da.CopyTo(dInput.Slice(gate + 2 * u));
        (da * reset).CopyTo(dRecurrent.Slice(gate + 2 * u));
        (dhv * z).CopyTo(dh.Slice(state));
    }
}
