using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Regularizers;

namespace Nerva.Models;

/// <summary>
/// Turns a layer into JSON {"class_name", "config"} from its GetConfig, and back by calling its
/// public constructor with the config's values (snake_case keys match camelCase parameters).
/// </summary>
internal static class LayerConfig
{
    public static JsonObject ToJson(Layer layer) => new()
    {
        ["class_name"] = layer.GetType().Name,
        ["config"] = ToNode(layer.GetConfig()),
    };

    public static Layer FromJson(JsonNode node, string source)
    {
        string className = node["class_name"]?.GetValue<string>() ?? throw new InvalidDataException($"{source}: a layer has no class_name.");
        var type = typeof(Layer).Assembly.GetType("Nerva.Layers." + className);
        if (type is null || !typeof(Layer).IsAssignableFrom(type) || type.IsAbstract)
            throw new InvalidDataException($"{source}: unknown layer class '{className}'.");
        var config = node["config"] as JsonObject ?? new JsonObject();
        return (Layer)Construct(type, config, source);
    }

    /// <summary>Calls the first public constructor (most parameters first) whose parameters the config can fill.</summary>
    internal static object Construct(Type type, JsonObject config, string source)
    {
        InvalidDataException? last = null;
        foreach (var constructor in type.GetConstructors().OrderByDescending(c => c.GetParameters().Length))
        {
            object?[] arguments;
            try { arguments = Arguments(constructor, config, type, source); }
            catch (InvalidDataException e) { last = e; continue; }
            try { return constructor.Invoke(arguments); }
            catch (TargetInvocationException e) { throw new InvalidDataException($"{source}: {type.Name} rejected its config: {e.InnerException?.Message}", e); }
        }
        throw last ?? new InvalidDataException($"{source}: {type.Name} has no public constructor.");
    }

    private static object?[] Arguments(ConstructorInfo constructor, JsonObject config, Type type, string source)
    {
        var parameters = constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var value = config[SnakeCase(p.Name!)];
            if (value is null)
            {
                if (!p.HasDefaultValue) throw new InvalidDataException($"{source}: {type.Name} config lacks '{SnakeCase(p.Name!)}'.");
                arguments[i] = p.DefaultValue;
                continue;
            }
            try { arguments[i] = Convert(value, p.ParameterType, source); }
            catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or JsonException)
            {
                throw new InvalidDataException($"{source}: {type.Name}'s '{SnakeCase(p.Name!)}' is invalid: {e.Message}", e);
            }
        }
        return arguments;
    }

    private static object? Convert(JsonNode node, Type type, string source)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(ActivationFunction)) return Activations.Get(node.GetValue<string>());
        if (type == typeof(Initializer)) return Initializer.Get(node.GetValue<string>());
        if (type == typeof(Regularizer))
        {
            var kind = node["class_name"]!.GetValue<string>() switch
            {
                "l1" => typeof(L1), "l2" => typeof(L2), "l1_l2" => typeof(L1L2),
                var other => throw new InvalidDataException($"{source}: unknown regularizer '{other}'."),
            };
            return Construct(kind, node["config"] as JsonObject ?? [], source);
        }
        if (type == typeof(int[])) return node.AsArray().Select(n => n!.GetValue<int>()).ToArray();
        if (type == typeof((int, int)))
        {
            var pair = node.AsArray().Select(n => n!.GetValue<int>()).ToArray();
            return pair.Length == 2 ? (pair[0], pair[1]) : throw new FormatException($"expected two numbers, got {pair.Length}");
        }
        if (type == typeof(FactorRange))
        {
            // Keras writes an augmentation factor as one number or a [lower, upper] pair.
            if (node is not JsonArray bounds) return new FactorRange((float)node.GetValue<double>());
            return bounds.Count == 2 ? new FactorRange((float)bounds[0]!.GetValue<double>(), (float)bounds[1]!.GetValue<double>()) : throw new FormatException($"expected two numbers, got {bounds.Count}");
        }
        if (type == typeof(int)) return node.GetValue<int>();
        if (type == typeof(float)) return (float)node.GetValue<double>();
        if (type == typeof(bool)) return node.GetValue<bool>();
        if (type == typeof(string)) return node.GetValue<string>();
        throw new InvalidDataException($"{source}: cannot read a constructor argument of type {type.Name}.");
    }

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToNode(p.Value)))),
        Regularizer r => new JsonObject { ["class_name"] = r.Name, ["config"] = ToNode(r.GetConfig()) },
        Initializer i => JsonValue.Create(i.Name),
        ActivationFunction a => JsonValue.Create(a.Name),
        int[] ints => new JsonArray([.. ints.Select(v => (JsonNode?)JsonValue.Create(v))]),
        _ => JsonSerializer.SerializeToNode(value),
    };

    internal static string SnakeCase(string camel) =>
        string.Concat(camel.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
