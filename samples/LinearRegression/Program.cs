// Linear regression with Nerva's autograd, the classic y = w1*x1 + w2*x2 + b example:
// parameters are plain tensors, the loss is mean squared error, and each step is one
// Backward and a gradient-descent update. data.csv was made with y = 3*x1 - 2*x2 + 0.5 + noise.
using System.Globalization;
using Nerva;

var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "data.csv")).Skip(1)
    .Select(line => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
    .ToArray();
var x = Tensor.FromArray(rows.SelectMany(r => r[..2]).ToArray(), rows.Length, 2);
var y = Tensor.FromArray(rows.Select(r => r[2]).ToArray(), rows.Length, 1);

var w = Tensor.RandomNormal([2, 1], std: 0.1f, seed: 0).RequiresGrad_();
var b = Tensor.Zeros(1).RequiresGrad_();
const float learningRate = 0.1f;

for (int epoch = 1; epoch <= 100; epoch++)
{
    var prediction = x.MatMul(w) + b;
    var loss = (prediction - y).Square().Mean();
    loss.Backward();

    // Gradient descent: step against the gradient in place, outside the recorded graph,
    // then clear the gradients, which otherwise accumulate across Backward calls.
    using (Autograd.NoGrad())
    {
        w.Sub_(w.Grad!, alpha: learningRate);
        b.Sub_(b.Grad!, alpha: learningRate);
    }
    w.ZeroGrad();
    b.ZeroGrad();

    if (epoch == 1 || epoch % 10 == 0)
        Console.WriteLine($"epoch {epoch,3}  loss {loss.Item():F5}");
}

Console.WriteLine($"learned: y = {w[0, 0]:F3}*x1 + {w[1, 0]:F3}*x2 + {b[0]:F3}   (true: 3*x1 - 2*x2 + 0.5)");
