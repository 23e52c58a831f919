namespace Nerva.Data.Selection;

/// <summary>Class labels (a float tensor of whole numbers, one per sample) as sorted classes and per-sample codes.</summary>
internal static class LabelClasses
{
    /// <summary>The sorted distinct labels and, for each sample, the position of its label among them.</summary>
    public static (float[] Classes, int[] Codes) Encode(Tensor labels, string op)
    {
        ArgumentNullException.ThrowIfNull(labels);
        // One label per sample: [n], or [n, 1] as Keras-style column labels come.
        if (labels.Rank == 0 || labels.Rank > 2 || (labels.Rank == 2 && labels.Dims[1] != 1))
            throw ShapeUtil.Error(op, "labels of shape [n] or [n, 1]", $"shape {ShapeUtil.Format(labels.Dims)}");
        var data = labels.Data;
        var set = new HashSet<float>();
        for (int i = 0; i < data.Length; i++)
        {
            if (float.IsNaN(data[i])) throw new ArgumentException($"{op}: expected class labels, got NaN at position {i}.");
            set.Add(data[i]);
        }
        var classes = set.ToArray();
        Array.Sort(classes);
        var position = new Dictionary<float, int>(classes.Length);
        for (int k = 0; k < classes.Length; k++) position[classes[k]] = k;
        var codes = new int[data.Length];
        for (int i = 0; i < codes.Length; i++) codes[i] = position[data[i]];
        return (classes, codes);
    }

    /// <summary>How many samples each class code has.</summary>
    public static int[] Counts(int[] codes, int classCount)
    {
        var counts = new int[classCount];
        foreach (int c in codes) counts[c]++;
        return counts;
    }

    /// <summary>The sample indices of each class code, ascending within a class.</summary>
    public static int[][] Members(int[] codes, int classCount)
    {
        var counts = Counts(codes, classCount);
        var members = new int[classCount][];
        for (int k = 0; k < classCount; k++) members[k] = new int[counts[k]];
        var filled = new int[classCount];
        for (int i = 0; i < codes.Length; i++) members[codes[i]][filled[codes[i]]++] = i;
        return members;
    }
}
