using System.Collections;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Server.Api.Mapping;

/// <summary>
/// Checks every field of a wire message against the rules that hold whatever the field means, each violation with the
/// field's path (<c>spec.objectives[0].direction</c>): an enum value must be one the contract defines (protobuf keeps an
/// unknown number as it is), a <see cref="Duration"/> must be normalised (|nanos| &lt; 10^9, nanos and seconds of the
/// same sign, at most 10,000 years) and not negative. For study specs (<see cref="Strictness.Spec"/>) also: numbers must
/// be finite, names must not hold control characters, and no field may be unknown to this server (a oneof case or field
/// of a newer contract would otherwise be ignored, and nothing in a spec is ignored).
/// </summary>
internal static class WireChecks
{
    /// <summary>The largest |seconds| of a google.protobuf.Duration (10,000 years), from duration.proto.</summary>
    public const long MaxDurationSeconds = 315_576_000_000;

    // String fields that name something (targets, parameters, metrics, stages, constraints, regimes, choices): they are
    // printed in results, logs and reports, so a control character in one is refused.
    private static readonly HashSet<string> NameFields = new(StringComparer.Ordinal)
    {
        "name", "metric", "targets", "target", "parameter", "extra_metrics", "regime_names", "choices",
        "regime_detector_target", "display_name", "labels", "metadata",
    };

    public enum Strictness
    {
        /// <summary>Enums and durations only: requests whose doubles may be NaN on purpose (a failed trial's values).</summary>
        Request,

        /// <summary>Everything: a study spec.</summary>
        Spec,
    }

    /// <summary>Adds a violation under <paramref name="path"/> for every field of <paramref name="message"/> that breaks a rule.</summary>
    public static void Check(IMessage message, string path, Strictness strictness, SpecViolations v)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(v);
        Visit(message, path, strictness, v);
        if (strictness == Strictness.Spec && HasUnknownFields(message))
        {
            FindUnknown(message, path, v);
        }
    }

    /// <summary>Throws INVALID_ARGUMENT (as <see cref="SpecValidationException"/>) when a request breaks a rule.</summary>
    public static void ThrowIfInvalid(IMessage request)
    {
        var v = new SpecViolations();
        Check(request, "", Strictness.Request, v);
        v.ThrowIfAny("invalid request");
    }

    private static void Visit(IMessage message, string path, Strictness strictness, SpecViolations v)
    {
        if (message is Duration duration)
        {
            CheckDuration(duration, path, v);
            return;
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            string fieldPath = path.Length == 0 ? field.Name : path + "." + field.Name;
            object value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var mapValue = field.MessageType.FindFieldByNumber(2);
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                    string entryPath = $"{fieldPath}[{UserText.Quote(key)}]";
                    if (strictness == Strictness.Spec && NameFields.Contains(field.Name) && HasControl(key))
                    {
                        v.Add(entryPath, "a key must not contain control characters");
                    }

                    Element(mapValue, entry.Value, entryPath, strictness, v);
                }
            }
            else if (field.IsRepeated)
            {
                if (!NeedsElements(field, strictness))
                {
                    continue;
                }

                var list = (IList)value;
                for (int i = 0; i < list.Count; i++)
                {
                    Element(field, list[i], $"{fieldPath}[{i}]", strictness, v);
                }
            }
            else if (value is not null)
            {
                Element(field, value, fieldPath, strictness, v);
            }
        }
    }

    // Repeated scalars other than enums, doubles and names need no look (a record's equity, a data set's labels).
    private static bool NeedsElements(FieldDescriptor field, Strictness strictness) => field.FieldType switch
    {
        FieldType.Message or FieldType.Group or FieldType.Enum => true,
        FieldType.Double or FieldType.Float or FieldType.String => strictness == Strictness.Spec,
        _ => false,
    };

    private static void Element(FieldDescriptor field, object? value, string path, Strictness strictness, SpecViolations v)
    {
        switch (field.FieldType)
        {
            case FieldType.Message or FieldType.Group when value is IMessage child:
                Visit(child, path, strictness, v);
                break;
            case FieldType.Enum:
                int number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                if (field.EnumType.FindValueByNumber(number) is null)
                {
                    v.Add(path, $"{number} is not a value of {field.EnumType.Name}; use one of {string.Join(", ", field.EnumType.Values.Select(e => e.Name))}");
                }

                break;
            case FieldType.Double or FieldType.Float when strictness == Strictness.Spec:
                double x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!double.IsFinite(x))
                {
                    v.Add(path, $"must be a finite number, got {x.ToString(CultureInfo.InvariantCulture)}");
                }

                break;
            case FieldType.String when strictness == Strictness.Spec && NameFields.Contains(field.Name):
                if (HasControl((string)value!))
                {
                    v.Add(path, $"{UserText.Quote((string)value!)} contains a control character; names are printable text");
                }

                break;
        }
    }

    private static void CheckDuration(Duration d, string path, SpecViolations v)
    {
        if (d.Nanos is <= -Duration.NanosecondsPerSecond or >= Duration.NanosecondsPerSecond
            || (d.Seconds > 0 && d.Nanos < 0) || (d.Seconds < 0 && d.Nanos > 0)
            || d.Seconds is < -MaxDurationSeconds or > MaxDurationSeconds)
        {
            v.Add(path, $"is not a normalised google.protobuf.Duration (seconds {d.Seconds}, nanos {d.Nanos}): |nanos| must be < 10^9 with the sign of seconds, |seconds| <= {MaxDurationSeconds}");
        }
        else if (d.Seconds < 0 || d.Nanos < 0)
        {
            v.Add(path, $"must not be negative, got {d.ToTimeSpan()}");
        }
    }

    private static bool HasControl(string text) => text.Any(char.IsControl);

    // A message has unknown fields (its own or a descendant's) when re-reading it without them makes it smaller.
    private static bool HasUnknownFields(IMessage message) =>
        message.Descriptor.Parser.WithDiscardUnknownFields(true).ParseFrom(message.ToByteString()).CalculateSize() != message.CalculateSize();

    // Only called when something below holds unknown fields: descends to the messages that hold them.
    private static void FindUnknown(IMessage message, string path, SpecViolations v)
    {
        bool inChild = false;
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType != FieldType.Message)
            {
                continue;
            }

            string fieldPath = path.Length == 0 ? field.Name : path + "." + field.Name;
            object value = field.Accessor.GetValue(message);
            var children = field.IsMap
                ? ((IDictionary)value).Values.Cast<object?>().Select((c, i) => (c as IMessage, $"{fieldPath}[{i}]"))
                : field.IsRepeated
                    ? ((IList)value).Cast<object?>().Select((c, i) => (c as IMessage, $"{fieldPath}[{i}]"))
                    : [(value as IMessage, fieldPath)];
            foreach (var (child, childPath) in children)
            {
                if (child is not null && HasUnknownFields(child))
                {
                    inChild = true;
                    FindUnknown(child, childPath, v);
                }
            }
        }

        int own = message.CalculateSize() - message.Descriptor.Parser.WithDiscardUnknownFields(true).ParseFrom(message.ToByteString()).CalculateSize();
        if (!inChild || own > ChildUnknownBytes(message))
        {
            v.Add(path.Length == 0 ? "(message)" : path, "has fields this server does not know (a newer contract, or a oneof case or field number that does not exist); nothing in a spec is ignored");
        }
    }

    // The bytes of unknown fields held by a message's direct children, so FindUnknown can tell whether the message holds some itself.
    private static int ChildUnknownBytes(IMessage message)
    {
        int total = 0;
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType != FieldType.Message)
            {
                continue;
            }

            object value = field.Accessor.GetValue(message);
            IEnumerable<object?> children = field.IsMap ? ((IDictionary)value).Values.Cast<object?>()
                : field.IsRepeated ? ((IList)value).Cast<object?>()
                : [value];
            foreach (var child in children.OfType<IMessage>())
            {
                // A child's unknown bytes plus the growth of its length prefix, so a parent is not blamed for its child's.
                int full = child.CalculateSize();
                int known = child.Descriptor.Parser.WithDiscardUnknownFields(true).ParseFrom(child.ToByteString()).CalculateSize();
                total += full - known + CodedOutputStream.ComputeLengthSize(full) - CodedOutputStream.ComputeLengthSize(known);
            }
        }

        return total;
    }
}
