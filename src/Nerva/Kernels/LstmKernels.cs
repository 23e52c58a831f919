using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Nerva.Kernels;

/// <summary>
/// The elementwise half of one LSTM time step, on spans; the products (x·W, h·U) are GEMMs.
/// Gate pre-activations come as rows of 4·units: input, forget, cell candidate, output (Keras's
/// i, f, c, o and PyTorch's i, f, g, o). Activations are sigmoid for the gates and tanh for the
/// candidate and the cell output, the only pair this fused form handles.
/// </summary>
public static class LstmKernels
{
    /// <summary>
    /// Adds <paramref name="bias"/> [4u] (empty for none) to the gates <paramref name="z"/> [rows, 4u], activates
    /// them in place and advances the cell: c = f·cPrev + i·g, tanhC = tanh(c), h = o·tanhC (each [rows, u]).
    /// Adding the bias here, in registers, saves a pass over every step's gates.
    /// </summary>
    public static void CellForward(Span<float> z, ReadOnlySpan<float> bias, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tanhC, Span<float> h, int rows, int units)
    {
        int u = units;
        for (int r = 0; r < rows; r++)
        {
            var gates = z.Slice(r * 4 * u, 4 * u);
            var cRow = c.Slice(r * u, u);
            var tRow = tanhC.Slice(r * u, u);
            var hRow = h.Slice(r * u, u);
            var pRow = cPrev.Slice(r * u, u);
            int j = 0;
            // One pass over the row: the five activations and the update stay in registers.
            if (Vector512.IsHardwareAccelerated)
                for (; j <= u - Vector512<float>.Count; j += Vector512<float>.Count)
                    CellForward512(gates, bias, pRow, cRow, tRow, hRow, j, u);
            if (j == u) continue;
            if (!bias.IsEmpty)
                for (int k = 0; k < 4; k++) TensorPrimitives.Add(gates.Slice(k * u + j, u - j), bias.Slice(k * u + j, u - j), gates.Slice(k * u + j, u - j));
            var i = gates.Slice(j, u - j);
            var f = gates.Slice(u + j, u - j);
            var g = gates.Slice(2 * u + j, u - j);
            var o = gates.Slice(3 * u + j, u - j);
            TensorPrimitives.Sigmoid(i, i);
            TensorPrimitives.Sigmoid(f, f);
            TensorPrimitives.Tanh(g, g);
            TensorPrimitives.Sigmoid(o, o);
            TensorPrimitives.Multiply(i, g, cRow[j..]);
            TensorPrimitives.MultiplyAdd(f, pRow[j..], cRow[j..], cRow[j..]);
            TensorPrimitives.Tanh(cRow[j..], tRow[j..]);
            TensorPrimitives.Multiply(o, tRow[j..], hRow[j..]);
        }
    }

    private static void CellForward512(Span<float> gates, ReadOnlySpan<float> bias, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tanhC, Span<float> h, int j, int u)
    {
        Vector512<float> Gate(ReadOnlySpan<float> gates, ReadOnlySpan<float> bias, int at) =>
            bias.IsEmpty ? Vector512.Create(gates.Slice(at)) : Vector512.Create(gates.Slice(at)) + Vector512.Create(bias.Slice(at));
        var i = ActivationKernels.Sigmoid(Gate(gates, bias, j));
        var f = ActivationKernels.Sigmoid(Gate(gates, bias, u + j));
        var g = ActivationKernels.Tanh(Gate(gates, bias, 2 * u + j));
        var o = ActivationKernels.Sigmoid(Gate(gates, bias, 3 * u + j));
        var cv = Vector512.FusedMultiplyAdd(f, Vector512.Create(cPrev.Slice(j)), i * g);
        var t = ActivationKernels.Tanh(cv);
        i.CopyTo(gates.Slice(j));
        f.CopyTo(gates.Slice(u + j));
        g.CopyTo(gates.Slice(2 * u + j));
        o.CopyTo(gates.Slice(3 * u + j));
        cv.CopyTo(c.Slice(j));
        t.CopyTo(tanhC.Slice(j));
        (o * t).CopyTo(h.Slice(j));
    }

    /// <summary>
    /// One step back through the cell. From the activated gates <paramref name="gates"/> [rows, 4u], the
    /// previous cell state, tanh of this cell state, the gradient reaching h (<paramref name="dh"/>) and c
    /// (<paramref name="dc"/>, replaced by the gradient reaching the previous cell state), writes the
    /// gradient of the gate pre-activations to <paramref name="dz"/> [rows, 4u]:
    /// dc += dh·o·(1 − tanhC²); dz_i = dc·g·i(1 − i); dz_f = dc·cPrev·f(1 − f); dz_g = dc·i·(1 − g²);
    /// dz_o = dh·tanhC·o(1 − o); dcPrev = dc·f.
    /// </summary>
    public static void CellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, Span<float> dc, Span<float> dz, int rows, int units)
    {
        int u = units;
        for (int r = 0; r < rows; r++)
        {
            int g0 = r * 4 * u, s0 = r * u, j = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; j <= u - Vector512<float>.Count; j += Vector512<float>.Count)
                    CellBackward512(gates, cPrev, tanhC, dh, dc, dz, g0 + j, u, s0 + j);
            for (; j < u; j++)
            {
                float i = gates[g0 + j], f = gates[g0 + u + j], g = gates[g0 + 2 * u + j], o = gates[g0 + 3 * u + j];
                float t = tanhC[s0 + j], dhj = dh[s0 + j];
                float dcj = dc[s0 + j] + dhj * o * (1f - t * t);
                dz[g0 + j] = dcj * g * i * (1f - i);
                dz[g0 + u + j] = dcj * cPrev[s0 + j] * f * (1f - f);
                dz[g0 + 2 * u + j] = dcj * i * (1f - g * g);
                dz[g0 + 3 * u + j] = dhj * t * o * (1f - o);
                dc[s0 + j] = dcj * f;
            }
        }
    }

    private static void CellBackward512(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, Span<float> dc, Span<float> dz, int gate, int u, int state)
    {
        var one = Vector512<float>.One;
        var i = Vector512.Create(gates.Slice(gate));
        var f = Vector512.Create(gates.Slice(gate + u));
        var g = Vector512.Create(gates.Slice(gate + 2 * u));
        var o = Vector512.Create(gates.Slice(gate + 3 * u));
        var t = Vector512.Create(tanhC.Slice(state));
        var dhv = Vector512.Create(dh.Slice(state));
        var dcv = Vector512.Create(dc.Slice(state)) + dhv * o * (one - t * t);
        (dcv * g * i * (one - i)).CopyTo(dz.Slice(gate));
        (dcv * Vector512.Create(cPrev.Slice(state)) * f * (one - f)).CopyTo(dz.Slice(gate + u));
        (dcv * i * (one - g * g)).CopyTo(dz.Slice(gate + 2 * u));
        (dhv * t * o * (one - o)).CopyTo(dz.Slice(gate + 3 * u));
        (dcv * f).CopyTo(dc.Slice(state));
    }
}
