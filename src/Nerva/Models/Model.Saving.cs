using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nerva.Models;

// One-file model saving: a zip holding config.json (architecture and compile settings),
// model.safetensors (weights) and optionally optimizer.safetensors (its moments).
public partial class Model
{
    private const string FormatName = "nerva.model";

    /// <summary>
    /// Writes the architecture, the weights and (when compiled) the optimizer's state to one file,
    /// atomically: a reader never sees a half-written file.
    /// </summary>
    public void Save(string path, bool includeOptimizer = true)
    {
        if (!Built && !IsFunctional) throw new InvalidOperationException($"{Name}.Save: the model has no weights yet; build it or train it first.");
        var config = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = 1,
            ["class_name"] = GetType().Name,
            ["name"] = Name,
            ["input_shape"] = InputShape is { } shape ? new JsonArray([.. shape.Select(d => (JsonNode?)d)]) : null,
            ["layers"] = this is Sequential s ? new JsonArray([.. s.Layers.Select(l => (JsonNode?)LayerConfig.ToJson(l))]) : null,
        };
        if (IsFunctional) WriteGraph(config);
        if (Loss is not null && Optimizer is not null)
            config["compile"] = new JsonObject
            {
                ["optimizer"] = Optimizer.Name,
                ["learning_rate"] = Optimizer.LearningRate,
                ["optimizer_config"] = JsonSerializer.SerializeToNode(Optimizer.GetConfig().Where(p => p.Key != "learning_rate_schedule").ToDictionary()),
                ["loss"] = Loss.Name,
                ["loss_config"] = JsonSerializer.SerializeToNode(Loss.GetConfig()),
                ["metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode?)m.Name)]),
            };
        AtomicWrite(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            using (var entry = zip.CreateEntry("config.json").Open())
                JsonSerializer.Serialize(entry, config, new JsonSerializerOptions { WriteIndented = true });
            using (var entry = zip.CreateEntry("model.safetensors").Open())
                Safetensors.Write(entry, [.. NamedWeights().Select(w => (w.Path, w.Value))]);
            if (includeOptimizer && optimizerBound && Optimizer is not null)
                using (var entry = zip.CreateEntry("optimizer.safetensors").Open())
                    Safetensors.Write(entry, [.. Optimizer.GetState().Select(p => (p.Key, p.Value))]);
        });
    }

    /// <summary>
    /// Rebuilds a saved Sequential or functional model with its weights, compile settings and
    /// optimizer state, so that it predicts exactly as when saved. A subclassed model is code:
    /// create it and call <see cref="LoadWeights"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupted or not a Nerva model; nothing is half-loaded.</exception>
    public static Model Load(string path)
    {
        using var zip = OpenZip(path);
        JsonNode config;
        try
        {
            using var stream = Entry(zip, "config.json", path).Open();
            config = JsonNode.Parse(stream) ?? throw new InvalidDataException($"{path}: config.json is empty.");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: config.json is corrupted: {e.Message}", e); }
        if (config["format"]?.GetValue<string>() != FormatName) throw new InvalidDataException($"{path}: not a Nerva model file (format is not {FormatName}).");
        string className = config["class_name"]?.GetValue<string>() ?? "";
        bool functional = config["graph"] is JsonObject;
        if (className != nameof(Sequential) && !functional)
            throw new NotSupportedException($"{path}: a {className} is defined by code; construct it and call LoadWeights(path) instead.");
        var layers = (config["layers"] as JsonArray ?? throw new InvalidDataException($"{path}: config.json has no layers."))
            .Select(node => LayerConfig.FromJson(node!, path)).ToList();
        Model model;
        if (functional)
        {
            model = ReadGraph((JsonObject)config["graph"]!, layers, config["name"]?.GetValue<string>(), path);
        }
        else
        {
            model = new Sequential(layers, config["name"]?.GetValue<string>());
            var inputShape = (config["input_shape"] as JsonArray)?.Select(n => n!.GetValue<int>()).ToArray()
                ?? throw new InvalidDataException($"{path}: config.json has no input_shape.");
            model.Build(inputShape);
        }
        model.ReadWeights(zip, path);
        if (config["compile"] is JsonObject compile)
        {
            var optimizer = OptimizerFromConfig(compile["optimizer"]!.GetValue<string>(), compile["optimizer_config"] as JsonObject ?? []);
            optimizer.LearningRate = (float)compile["learning_rate"]!.GetValue<double>();
            var metricNames = (compile["metrics"] as JsonArray ?? []).Select(n => (object)n!.GetValue<string>()).ToArray();
            // The loss is rebuilt with its arguments (from_logits, delta, ...), not only its name.
            var lossType = Losses.LossRegistry.Get(compile["loss"]!.GetValue<string>()).GetType();
            var loss = (Losses.Loss)LayerConfig.Construct(lossType, compile["loss_config"] as JsonObject ?? [], path);
            model.Compile(optimizer, loss, metricNames);
            if (zip.GetEntry("optimizer.safetensors") is { } state)
            {
                model.Optimizer!.Bind(model.Parameters);
                model.optimizerBound = true;
                using var stream = state.Open();
                model.Optimizer.SetState(Safetensors.Read(stream, path).ToDictionary(t => t.Name, t => t.Value));
            }
        }
        return model;
    }

    /// <summary>
    /// A functional model's graph: its layers (each once, shared ones too) and, for every node in
    /// run order, either the model input it is or the layer applied and the nodes it was applied to.
    /// </summary>
    private void WriteGraph(JsonObject config)
    {
        var nodeIndex = new Dictionary<Layers.SymbolicTensor, int>(ReferenceEqualityComparer.Instance);
        var nodes = new JsonArray();
        foreach (var node in graphOrder)
        {
            nodeIndex[node] = nodes.Count;
            nodes.Add(node.Layer is null
                ? new JsonObject { ["input"] = Array.IndexOf(graphInputs, node), ["shape"] = new JsonArray([.. node.Dims.Select(d => (JsonNode?)d)]) }
                : new JsonObject { ["layer"] = graphLayers.IndexOf(node.Layer), ["parents"] = new JsonArray([.. node.Parents.Select(p => (JsonNode?)nodeIndex[p])]) });
        }
        config["layers"] = new JsonArray([.. graphLayers.Select(l => (JsonNode?)LayerConfig.ToJson(l))]);
        config["graph"] = new JsonObject
        {
            ["nodes"] = nodes,
            ["outputs"] = new JsonArray([.. graphOutputs.Select(o => (JsonNode?)nodeIndex[o])]),
        };
    }

    /// <summary>Replays a saved graph: the same layers applied to the same nodes in the same order.</summary>
    private static Model ReadGraph(JsonObject graph, List<Layers.Layer> layers, string? name, string path)
    {
        try
        {
            var nodes = new List<Layers.SymbolicTensor>();
            var inputs = new SortedDictionary<int, Layers.Input>();
            foreach (var node in graph["nodes"]!.AsArray())
            {
                if (node!["input"] is JsonNode input)
                {
                    var symbolic = new Layers.Input([.. node["shape"]!.AsArray().Select(d => d!.GetValue<int>())]);
                    inputs[input.GetValue<int>()] = symbolic;
                    nodes.Add(symbolic);
                }
                else
                {
                    var parents = node["parents"]!.AsArray().Select(p => nodes[p!.GetValue<int>()]).ToArray();
                    nodes.Add(layers[node["layer"]!.GetValue<int>()].Apply(parents));
                }
            }
            var outputs = graph["outputs"]!.AsArray().Select(o => nodes[o!.GetValue<int>()]).ToArray();
            return new Model([.. inputs.Values], outputs, name);
        }
        catch (Exception e) when (e is NullReferenceException or ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: the model graph is corrupted: {e.Message}", e);
        }
    }

    /// <summary>
    /// An optimizer of the saved kind with its saved hyperparameters: constructor arguments matched
    /// to config keys by name ("beta_1" ↔ beta1), then the shared settings (decay, clipping).
    /// </summary>
    private static Optimizers.Optimizer OptimizerFromConfig(string name, JsonObject config)
    {
        static string Key(string s) => s.Replace("_", "").ToLowerInvariant();
        var values = config.Where(p => p.Value is JsonValue).ToDictionary(p => Key(p.Key), p => p.Value!);
        var type = Optimizers.OptimizerRegistry.Get(name).GetType();
        var constructor = type.GetConstructors().First(c => c.GetParameters().All(p => p.ParameterType != typeof(IEnumerable<Tensor>)));
        var arguments = constructor.GetParameters().Select(p =>
            !values.TryGetValue(Key(p.Name!), out var v) ? p.DefaultValue
            : p.ParameterType == typeof(bool) ? v.GetValue<bool>()
            : p.ParameterType == typeof(int) ? (object)v.GetValue<int>()
            : (float)v.GetValue<double>()).ToArray();
        var optimizer = (Optimizers.Optimizer)constructor.Invoke(arguments);
        float? Optional(string key) => values.TryGetValue(key, out var v) ? (float)v.GetValue<double>() : null;
        if (Optional("weightdecay") is float decay) optimizer.WeightDecay = decay;
        optimizer.ClipNorm = Optional("clipnorm");
        optimizer.GlobalClipNorm = Optional("globalclipnorm");
        optimizer.ClipValue = Optional("clipvalue");
        return optimizer;
    }

    /// <summary>Writes only the weights, as a safetensors file other tools can read ("layer/weight" names).</summary>
    public void SaveWeights(string path) =>
        AtomicWrite(path, stream => Safetensors.Write(stream, [.. NamedWeights().Select(w => (w.Path, w.Value))]));

    /// <summary>Reads weights written by <see cref="SaveWeights"/> (or a model file) into this model, matched in order and checked by shape.</summary>
    public void LoadWeights(string path)
    {
        if (IsZip(path))
        {
            using var zip = OpenZip(path);
            ReadWeights(zip, path);
            return;
        }
        using var file = File.OpenRead(path);
        AssignWeights(Safetensors.Read(file, path), path);
    }

    private void ReadWeights(ZipArchive zip, string path)
    {
        using var stream = Entry(zip, "model.safetensors", path).Open();
        AssignWeights(Safetensors.Read(stream, path), path);
    }

    /// <summary>Checks every name and shape first, then copies, so a mismatch leaves the model untouched.</summary>
    private void AssignWeights(List<(string Name, Tensor Value)> saved, string path)
    {
        var own = NamedWeights();
        if (own.Count == 0 && !Built) throw new InvalidOperationException($"{Name}.LoadWeights: build the model (or run it once) before loading weights.");
        if (saved.Count != own.Count)
            throw new InvalidDataException($"{path}: holds {saved.Count} weights, the model has {own.Count}.");
        for (int i = 0; i < own.Count; i++)
            if (!saved[i].Value.Dims.AsSpan().SequenceEqual(own[i].Value.Dims))
                throw new InvalidDataException($"{path}: weight {i} ('{saved[i].Name}') has shape {ShapeUtil.Format(saved[i].Value.Dims)}, the model's '{own[i].Path}' has {ShapeUtil.Format(own[i].Value.Dims)}.");
        for (int i = 0; i < own.Count; i++) saved[i].Value.Data.CopyTo(own[i].Value.Data, 0);
    }

    private static void AtomicWrite(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + $".{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = File.Create(temporary)) write(stream);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static bool IsZip(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return file.Read(magic) == 4 && magic[0] == 'P' && magic[1] == 'K';
    }

    private static ZipArchive OpenZip(string path)
    {
        try { return new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: not a Nerva model file, or truncated: {e.Message}", e); }
    }

    private static ZipArchiveEntry Entry(ZipArchive zip, string name, string path) =>
        zip.GetEntry(name) ?? throw new InvalidDataException($"{path}: {name} is missing from the model file.");
}
