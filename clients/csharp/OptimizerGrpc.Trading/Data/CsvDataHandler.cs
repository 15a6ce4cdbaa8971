using System.Globalization;

namespace OptimizerGrpc.Trading;

/// <summary>
/// Loads a price series from a CSV file with a header row. Every problem is reported with its file, line
/// and column; nothing is silently skipped or repaired, because a quietly "cleaned" series makes every
/// backtest on it wrong in ways nobody sees. Unparseable or missing values are errors; out-of-order times
/// are errors or reported issues, see <see cref="CsvOptions.RequireIncreasingTimes"/>.
/// </summary>
public sealed class CsvDataHandler
{
    private static readonly string[] TimeColumnNames = ["Date", "Timestamp", "Time", "DateTime"];

    // ISO 8601 forms found in the sample data and common exports; anything else is an error, not a guess.
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm",
        "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ssZ",
    ];

    private readonly CsvOptions _options;

    /// <summary>Creates a handler with the given options (defaults when null).</summary>
    public CsvDataHandler(CsvOptions? options = null) => _options = options ?? new CsvOptions();

    /// <summary>Loads <paramref name="path"/>; throws <see cref="CsvFormatException"/> on bad data.</summary>
    public PriceSeries Load(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    /// <summary>Parses CSV text; <paramref name="sourceName"/> is used in error messages and as the series name.</summary>
    public PriceSeries Parse(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = reader.ReadLine()
            ?? throw new CsvFormatException(sourceName, 1, null, "the file is empty; expected a header row.");
        var columns = header.Split(_options.Separator);
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = columns[i].Trim();
        }

        var timeIndex = FindTimeColumn(columns, sourceName);
        var valueIndex = FindColumn(columns, _options.ValueColumn);
        if (valueIndex < 0)
        {
            throw new CsvFormatException(sourceName, 1, null,
                $"no column named '{_options.ValueColumn}' in header [{string.Join(", ", columns)}].");
        }

        var times = new List<DateTime>();
        var values = new List<double>();
        var issues = new List<CsvIssue>();
        var lineNumber = 1;
        var firstBlankLine = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                // Trailing blank lines are harmless; a blank line followed by data is reported below.
                firstBlankLine = firstBlankLine == 0 ? lineNumber : firstBlankLine;
                continue;
            }

            if (firstBlankLine != 0)
            {
                throw new CsvFormatException(sourceName, firstBlankLine, null, "blank line inside the data.");
            }

            var fields = line.Split(_options.Separator);
            if (fields.Length != columns.Length)
            {
                throw new CsvFormatException(sourceName, lineNumber, null,
                    $"expected {columns.Length} fields but found {fields.Length}.");
            }

            var time = ParseTime(fields[timeIndex], sourceName, lineNumber, columns[timeIndex]);
            if (times.Count > 0 && time <= times[^1])
            {
                var message = $"time {fields[timeIndex]} is not after the previous row's time {times[^1]:yyyy-MM-ddTHH:mm:ss}";
                if (_options.RequireIncreasingTimes)
                {
                    throw new CsvFormatException(sourceName, lineNumber, columns[timeIndex], message + "; rows must be strictly increasing.");
                }

                issues.Add(new CsvIssue(lineNumber, columns[timeIndex], message + "; row kept in file order."));
            }

            times.Add(time);
            values.Add(ParseValue(fields[valueIndex], sourceName, lineNumber, columns[valueIndex]));
        }

        if (values.Count == 0)
        {
            throw new CsvFormatException(sourceName, lineNumber, null, "the file has a header but no data rows.");
        }

        return new PriceSeries(Path.GetFileName(sourceName), [.. times], [.. values]) { Issues = issues };
    }

    private int FindTimeColumn(string[] columns, string sourceName)
    {
        if (_options.TimeColumn is not null)
        {
            var index = FindColumn(columns, _options.TimeColumn);
            return index >= 0
                ? index
                : throw new CsvFormatException(sourceName, 1, null,
                    $"no column named '{_options.TimeColumn}' in header [{string.Join(", ", columns)}].");
        }

        foreach (var name in TimeColumnNames)
        {
            var index = FindColumn(columns, name);
            if (index >= 0)
            {
                return index;
            }
        }

        throw new CsvFormatException(sourceName, 1, null,
            $"no time column (one of {string.Join(", ", TimeColumnNames)}) in header [{string.Join(", ", columns)}]; set CsvOptions.TimeColumn.");
    }

    private static int FindColumn(string[] columns, string name) =>
        Array.FindIndex(columns, c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));

    private static DateTime ParseTime(string field, string source, int line, string column)
    {
        var text = field.Trim();
        return DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new CsvFormatException(source, line, column,
                $"cannot parse '{field}' as a time; expected ISO 8601 such as 2001-12-31 or 2001-12-31T23:30:00.");
    }

    private static double ParseValue(string field, string source, int line, string column)
    {
        var text = field.Trim();
        if (text.Length == 0)
        {
            throw new CsvFormatException(source, line, column, "the value is empty.");
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new CsvFormatException(source, line, column, $"cannot parse '{field}' as a number.");
        }

        // Returns are ratios of prices, so a price must be a positive finite number.
        return double.IsFinite(value) && value > 0
            ? value
            : throw new CsvFormatException(source, line, column, $"price {field} must be a positive finite number.");
    }
}
