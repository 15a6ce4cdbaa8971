using OptimizerGrpc.Core.Studies;

namespace OptimizerGrpc.Core.Tests.Studies;

public sealed class StageIdsTests
{
    [Theory]
    [InlineData(0, "stage-0")]
    [InlineData(12, "stage-12")]
    public void Of_Index_StageDashIndex(int index, string id)
    {
        Assert.Equal(id, StageIds.Of(index));
    }

    [Theory]
    [InlineData("stage-0", 0)]
    [InlineData("stage-12", 12)]
    [InlineData("stage-007", 7)]
    public void TryParse_StageId_TheIndex(string id, int expected)
    {
        Assert.True(StageIds.TryParse(id, out int index));
        Assert.Equal(expected, index);
    }

    [Theory]
    [InlineData("")]
    [InlineData("stage-")]
    [InlineData("stage--1")]
    [InlineData("stage-+1")]
    [InlineData("stage- 1")]
    [InlineData("stage-1a")]
    [InlineData("Stage-1")]
    [InlineData("1")]
    [InlineData("stage-99999999999")]
    public void TryParse_NotStageDashDigits_False(string id)
    {
        Assert.False(StageIds.TryParse(id, out _));
    }

    [Fact]
    public void TryParse_Null_False()
    {
        Assert.False(StageIds.TryParse(null!, out int index));
        Assert.Equal(-1, index);
    }
}
