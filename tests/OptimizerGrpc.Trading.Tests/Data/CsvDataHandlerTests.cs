namespace OptimizerGrpc.Trading.Tests.Data;

public sealed class CsvDataHandlerTests
{
    private static PriceSeries ParseText(string text, CsvOptions? options = null) =>
        new CsvDataHandler(options).Parse(new StringReader(text), "test.csv");

    [Fact]
    public void Load_NyseDaily_ReadsAllRows()
    {
        var series = new CsvDataHandler().Load(SampleData.PathOf("nyse_composite_daily_1966_2002.csv"));

        Assert.Equal(9311, series.Count);
        Assert.Equal(9311, series.Times.Length);
        Assert.Equal(new DateTime(1966, 1, 4, 0, 0, 0, DateTimeKind.Utc), series.Times[0]);
        Assert.Equal(DateTimeKind.Utc, series.Times[0].Kind);
        Assert.Equal(49.92, series.Close[0]);
        Assert.Equal(new DateTime(2002, 12, 31), series.Times[^1]);
        Assert.Equal(472.87, series.Close[^1]);
    }

    [Fact]
    public void Load_NyseDaily_ReportsOutOfOrderRowsWithoutDroppingThem()
    {
        var series = new CsvDataHandler().Load(SampleData.PathOf("nyse_composite_daily_1966_2002.csv"));

        Assert.Equal([289, 964], series.Issues.Select(i => i.LineNumber));
        Assert.Equal("line 289, column 'Date': time 1966-02-23 is not after the previous row's time 1967-02-21T00:00:00; row kept in file order.",
            series.Issues[0].ToString());
        Assert.Equal(47.89, series.Close[289 - 2]);
    }

    [Fact]
    public void Load_NyseDailyStrict_ThrowsAtFirstOutOfOrderRow()
    {
        var strict = new CsvDataHandler(new CsvOptions { RequireIncreasingTimes = true });

        var error = Assert.Throws<CsvFormatException>(() => strict.Load(SampleData.PathOf("nyse_composite_daily_1966_2002.csv")));

        Assert.Equal((289, "Date"), (error.LineNumber, error.Column));
    }

    [Fact]
    public void Load_UsdChfThirtyMinutes_ReadsAllRowsWithTimes()
    {
        var series = new CsvDataHandler().Load(SampleData.PathOf("usdchf_30min_1996_2001.csv"));

        Assert.Equal(62496, series.Count);
        Assert.Equal(new DateTime(1996, 4, 1, 0, 30, 0), series.Times[1]);
        Assert.Equal(1.1941, series.Close[1]);
        Assert.Equal(30 * 60 * 1000L, series.TimesUnixMilliseconds()[1] - series.TimesUnixMilliseconds()[0]);
    }

    [Fact]
    public void Load_MsftWithValueColumnOption_PicksThatColumn()
    {
        var path = SampleData.PathOf("msft_daily_ohlcv_2000_2001.csv");

        var close = new CsvDataHandler().Load(path);
        var open = new CsvDataHandler(new CsvOptions { ValueColumn = "open" }).Load(path);

        Assert.Equal(60.625, close.Close[0]);
        Assert.Equal(63.4375, open.Close[0]);
        Assert.Equal(close.Count, open.Count);
    }

    [Fact]
    public void TimesUnixMilliseconds_Epoch_IsZero()
    {
        var series = ParseText("Date,Close\n1970-01-01,1\n1970-01-02,2\n");

        Assert.Equal([0L, 86_400_000L], series.TimesUnixMilliseconds());
    }

    [Fact]
    public void Parse_BadNumber_ReportsFileLineAndColumn()
    {
        var error = Assert.Throws<CsvFormatException>(() => ParseText("Date,Close\n2001-01-01,1.5\n2001-01-02,abc\n"));

        Assert.Equal("test.csv", error.FilePath);
        Assert.Equal(3, error.LineNumber);
        Assert.Equal("Close", error.Column);
        Assert.Equal("test.csv, line 3, column 'Close': cannot parse 'abc' as a number.", error.Message);
    }

    [Theory]
    [InlineData("Date,Close\n2001-01-01,1\n2001-01-02\n", 3, "expected 2 fields but found 1")]
    [InlineData("Date,Close\n01/02/2001,1\n", 2, "cannot parse '01/02/2001' as a time")]
    [InlineData("Date,Close\n2001-01-01,\n", 2, "the value is empty")]
    [InlineData("Date,Close\n2001-01-01,-3\n", 2, "must be a positive finite number")]
    [InlineData("Date,Close\n2001-01-01,NaN\n", 2, "must be a positive finite number")]
    [InlineData("Date,Close\n2001-01-01,1\n\n2001-01-03,2\n", 3, "blank line inside the data")]
    [InlineData("Date,Price\n2001-01-01,1\n", 1, "no column named 'Close'")]
    [InlineData("Day,Close\n2001-01-01,1\n", 1, "no time column")]
    [InlineData("Date,Close\n", 1, "no data rows")]
    [InlineData("", 1, "the file is empty")]
    [InlineData("Date,Close\n2001-01-02,1\n2001-01-01,2\n", 3, "strictly increasing")]
    [InlineData("Date,Close\n2001-01-01,1\n2001-01-01,2\n", 3, "strictly increasing")]
    public void Parse_BadData_ThrowsWithLocation(string text, int line, string reason)
    {
        var error = Assert.Throws<CsvFormatException>(() => ParseText(text, new CsvOptions { RequireIncreasingTimes = true }));

        Assert.Equal(line, error.LineNumber);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.csv, line " + line, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TrailingBlankLinesAndCaseInsensitiveHeader_AreAccepted()
    {
        var series = ParseText("TIMESTAMP,close\n2001-01-01T09:30:00,1\n2001-01-01T10:00:00,2\n\n\n");

        Assert.Equal(2, series.Count);
        Assert.Equal([1.0, 2.0], series.Close);
    }

    [Fact]
    public void Slice_HalfOpenRange_CopiesThoseBars()
    {
        var series = ParseText("Date,Close\n2001-01-01,1\n2001-01-02,2\n2001-01-03,3\n2001-01-04,4\n");

        var slice = series.Slice(1, 3);

        Assert.Equal([2.0, 3.0], slice.Close);
        Assert.Equal(new DateTime(2001, 1, 2), slice.Times[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => series.Slice(2, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => series.Slice(3, 2));
    }
}
