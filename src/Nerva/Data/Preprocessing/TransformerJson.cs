using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nerva.Data.Preprocessing;

/// <summary>
/// The one JSON envelope every fitted object uses: {"type", "config", "featureCount", "state"}.
/// Config and state are small records serialised by System.Text.Json; NaN is allowed
/// (written "NaN") because a category or a statistic may legitimately be missing.
/// </summary>
internal static class TransformerJson
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Write(string type, object config, int featureCount, object? state)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            w.WritePropertyName("config");
            JsonSerializer.Serialize(w, config, config.GetType(), Options);
            w.WriteNumber("featureCount", featureCount);
            w.WritePropertyName("state");
            if (state is null) w.WriteNullValue();
            else JsonSerializer.Serialize(w, state, state.GetType(), Options);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads an envelope written for <paramref name="type"/>; any defect is an <see cref="InvalidDataException"/>.</summary>
    public static (TConfig Config, int FeatureCount, TState? State) Read<TConfig, TState>(string json, string type)
        where TConfig : class where TState : class
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid(type, "a JSON object", root.ValueKind.ToString());
            string? actual = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (actual != type)
                throw Invalid(type, $"type \"{type}\"", actual is null ? "no type" : $"\"{actual}\"");
            if (!root.TryGetProperty("config", out var c) || c.ValueKind != JsonValueKind.Object)
                throw Invalid(type, "a \"config\" object", "none");
            var config = c.Deserialize<TConfig>(Options) ?? throw Invalid(type, "a \"config\" object", "null");
            if (!root.TryGetProperty("featureCount", out var f) || f.ValueKind != JsonValueKind.Number || !f.TryGetInt32(out int featureCount) || featureCount < 0)
                throw Invalid(type, "a non-negative integer \"featureCount\"", "none");
            TState? state = null;
            if (root.TryGetProperty("state", out var s) && s.ValueKind != JsonValueKind.Null)
            {
                if (featureCount == 0) throw Invalid(type, "featureCount > 0 with a fitted state", "0");
                state = s.Deserialize<TState>(Options);
            }
            return (config, featureCount, state);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{type}.FromJson: the document is not valid: {e.Message}", e);
        }
    }

    /// <summary>Builds the object from loaded config; a configuration its constructor rejects is invalid data.</summary>
    public static T Create<T>(string type, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{type}.FromJson: the configuration is not valid: {e.Message}", e);
        }
    }

    /// <summary>Checks that a loaded array is present and has one value per feature.</summary>
    public static T[] Checked<T>(T[]? values, int count, string field, string type)
    {
        if (values is null) throw Invalid(type, $"a \"{field}\" array", "none");
        if (values.Length != count) throw Invalid(type, $"{count} values in \"{field}\"", values.Length.ToString());
        return values;
    }

    public static InvalidDataException Invalid(string type, string expected, string got) =>
        new($"{type}.FromJson: expected {expected}, got {got}.");
}
