using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OptimizerGrpc.Optimization;

/// <summary>Reads YAML text or an <see cref="IConfiguration"/> section into a <see cref="ConfigNode"/> tree.</summary>
internal static class ConfigReaders
{
    public static ConfigNode FromYaml(TextReader reader, string source)
    {
        var text = reader.ReadToEnd();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new OptimizationConfigException(source, "(yaml)", (int)e.Start.Line, (int)e.Start.Column, e.InnerException?.Message ?? e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way, without a position, when the text ends inside a flow collection
            // ("{a: 1" or "[1, 2"); the position is then the end of the text.
            var lines = text.Split('\n');
            throw new OptimizationConfigException(source, "(yaml)", lines.Length, lines[^1].Length + 1,
                "the text ends inside an unclosed '{', '[' or quote", e);
        }

        return stream.Documents.Count == 0
            ? ConfigNode.Map(source, "", [], 1, 1)
            : FromYaml(stream.Documents[0].RootNode, source, "");
    }

    public static ConfigNode FromConfiguration(IConfiguration configuration, string source, string path)
    {
        var children = configuration.GetChildren().ToList();
        if (children.Count == 0)
        {
            return ConfigNode.Scalar(source, path, (configuration as IConfigurationSection)?.Value);
        }

        // IConfiguration has no lists: a YAML or JSON list arrives as children named 0, 1, 2, ...
        if (children.Select((c, i) => c.Key == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(b => b))
        {
            return ConfigNode.List(source, path, [.. children.Select((c, i) => FromConfiguration(c, source, $"{path}[{i}]"))]);
        }

        return ConfigNode.Map(source, path, [.. children.Select(c => new KeyValuePair<string, ConfigNode>(c.Key, FromConfiguration(c, source, Join(path, c.Key))))]);
    }

    private static ConfigNode FromYaml(YamlNode node, string source, string path)
    {
        int line = (int)node.Start.Line, column = (int)node.Start.Column;
        switch (node)
        {
            case YamlMappingNode map:
                var entries = new List<KeyValuePair<string, ConfigNode>>();
                foreach (var (keyNode, valueNode) in map.Children)
                {
                    var key = (keyNode as YamlScalarNode)?.Value
                        ?? throw new OptimizationConfigException(source, path, (int)keyNode.Start.Line, (int)keyNode.Start.Column, "keys must be plain names");
                    if (entries.Any(e => e.Key == key))
                    {
                        throw new OptimizationConfigException(source, Join(path, key), (int)keyNode.Start.Line, (int)keyNode.Start.Column, "duplicate key");
                    }

                    entries.Add(new(key, FromYaml(valueNode, source, Join(path, key))));
                }

                return ConfigNode.Map(source, path, entries, line, column);
            case YamlSequenceNode list:
                return ConfigNode.List(source, path, [.. list.Children.Select((c, i) => FromYaml(c, source, $"{path}[{i}]"))], line, column);
            case YamlScalarNode scalar:
                return ConfigNode.Scalar(source, path, scalar.Value, line, column);
            default:
                throw new OptimizationConfigException(source, path, line, column, "aliases and tags are not supported");
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
