using System.Text.Json;
using System.Text.Json.Serialization;

namespace OptimizerGrpc.Server.Api.Dashboard;

/// <summary>The dashboard's JSON settings: camelCase names (docs/dashboard-api.md) and non-finite numbers as null.</summary>
internal static class DashboardJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
        options.Converters.Add(new FiniteOrNull());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>JSON has no NaN or infinity: they are written as null.</summary>
    private sealed class FiniteOrNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
