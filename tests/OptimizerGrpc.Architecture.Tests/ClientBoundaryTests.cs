using System.Reflection;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace OptimizerGrpc.Architecture.Tests;

public sealed class ClientBoundaryTests
{
    private const string TradingAssembly = "OptimizerGrpc.Trading";

    [Fact]
    public void Client_AnyType_ReferencesNoTradingToolkitType()
    {
        LayerRule.Check(
            Types().That().ResideInAssembly(ProductAssemblies.Client),
            "Types in the OptimizerGrpc.Client assembly",
            [Layers.Trading],
            "the typed client serves any objective; the trading toolkit builds on the client, not the reverse");

        // A type rule passes when no type names the toolkit; the assembly reference is the last word.
        var references = ProductAssemblies.Client.GetReferencedAssemblies().Select(name => name.Name).ToList();
        Assert.False(
            references.Contains(TradingAssembly, StringComparer.Ordinal),
            $"{ProductAssemblies.Client.GetName().Name} references the assembly {TradingAssembly}. References: {string.Join(", ", references)}");
    }

    [Theory]
    [InlineData("StudyBuilder")]
    [InlineData("TargetBuilder")]
    public void Builder_PublicSurface_ExposesNoContractType(string builderName)
    {
        var builder = ProductAssemblies.Client.GetTypes().Single(type => type.Name == builderName);

        var violations = PublicSurface.Of(builder)
            .SelectMany(entry => PublicSurface.Flatten(entry.Type)
                .Where(type => Layers.IsIn(type.Namespace, Layers.Contracts))
                .Select(type => $"{entry.Member} -> {type.FullName}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(
            violations.Count == 0,
            $"{builder.FullName} exposes {Layers.Contracts}* types in {violations.Count} public/protected signature(s):"
            + Environment.NewLine + string.Join(Environment.NewLine, violations.Select(v => "  " + v)));
    }
}

/// <summary>The types a type shows to callers and subclasses: base types and public/protected member signatures.</summary>
internal static class PublicSurface
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static IEnumerable<(string Member, Type Type)> Of(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return ("base type", baseType);
        }

        foreach (var implemented in type.GetInterfaces())
        {
            yield return ("interface", implemented);
        }

        foreach (var constructor in type.GetConstructors(Declared).Where(IsVisible))
        {
            foreach (var parameter in constructor.GetParameters())
            {
                yield return ($"{type.Name}({parameter.Name})", parameter.ParameterType);
            }
        }

        foreach (var method in type.GetMethods(Declared).Where(method => IsVisible(method) && !method.IsSpecialName))
        {
            yield return ($"{method.Name}() return", method.ReturnType);
            foreach (var parameter in method.GetParameters())
            {
                yield return ($"{method.Name}({parameter.Name})", parameter.ParameterType);
            }
        }

        foreach (var property in type.GetProperties(Declared)
                     .Where(property => property.GetAccessors(nonPublic: true).Any(IsVisible)))
        {
            yield return ($"property {property.Name}", property.PropertyType);
            foreach (var index in property.GetIndexParameters())
            {
                yield return ($"indexer {property.Name}({index.Name})", index.ParameterType);
            }
        }

        foreach (var field in type.GetFields(Declared).Where(field => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly))
        {
            yield return ($"field {field.Name}", field.FieldType);
        }

        foreach (var @event in type.GetEvents(Declared).Where(@event => @event.AddMethod is { } add && IsVisible(add)))
        {
            yield return ($"event {@event.Name}", @event.EventHandlerType!);
        }
    }

    /// <summary>The type with its element types and generic arguments, e.g. Action&lt;StudySpec&gt;[] gives three.</summary>
    public static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Flatten))
            {
                yield return inner;
            }
        }
    }

    private static bool IsVisible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;
}
