namespace OptimizerGrpc.Client.Tests.Model;

public sealed class ParamValueTests
{
    [Fact]
    public void Of_EachKind_RoundTripsThroughTypedAccessor()
    {
        Assert.Equal(42L, ParamValue.Of(42L).AsInt64());
        Assert.Equal(42, ((ParamValue)42).AsInt32());
        Assert.Equal(0.25, ParamValue.Of(0.25).AsDouble());
        Assert.Equal("ema", ParamValue.Of("ema").AsString());
        Assert.True(ParamValue.Of(true).AsBool());
    }

    [Fact]
    public void AsDouble_OnInt_Widens()
    {
        Assert.Equal(7.0, ParamValue.Of(7L).AsDouble());
    }

    [Fact]
    public void AsInt64_OnFloat_ThrowsNamingBothKinds()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ParamValue.Of(1.5).AsInt64());

        Assert.Equal("Parameter value 1.5 is Float, not Int.", error.Message);
    }

    [Fact]
    public void Equality_IsByKindAndValue()
    {
        Assert.Equal(ParamValue.Of(3L), (ParamValue)3);
        Assert.NotEqual(ParamValue.Of(3L), ParamValue.Of(3.0));
        Assert.Equal("x", ParamValue.Of("x").ToString());
    }
}
