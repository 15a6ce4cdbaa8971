using OptimizerGrpc.Server.Security;

namespace OptimizerGrpc.Server.Tests.Security;

public sealed class ApiKeyFileTests
{
    [Fact]
    public void Parse_HashedAndPlainKeysWithCommentsAndScope()
    {
        // sha256("abc") is the FIPS 180-2 example digest ba7816bf...15ad.
        const string text = """
            # id       role        secret
            alice      researcher  sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
            ci-workers worker      a-plain-secret-of-24-chars   studies=nightly-*,prod-1  # trailing comment

            viewer@team viewer     another-plain-secret-0001
            """;
        var keys = ApiKeyFile.Parse(text, "keys.txt");
        Assert.Equal(3, keys.Count);
        Assert.Equal(("alice", Roles.Researcher), (keys[0].Id, keys[0].Role));
        Assert.Equal(ApiKey.Hash("abc").ToArray(), keys[0].SecretHash.ToArray());
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(keys[0].SecretHash.AsSpan()));
        Assert.True(keys[0].Scope.IsAll);
        Assert.Equal(ApiKey.Hash("a-plain-secret-of-24-chars").ToArray(), keys[1].SecretHash.ToArray());
        Assert.True(keys[1].Scope.Allows("nightly-2026-11-30"));
        Assert.True(keys[1].Scope.Allows("prod-1"));
        Assert.False(keys[1].Scope.Allows("prod-10"));
        Assert.False(keys[1].Scope.Allows("research"));
        Assert.Equal("viewer@team", keys[2].Id);
    }

    [Fact]
    public void Parse_SemicolonsSeparateKeysGivenInOneVariable()
    {
        var keys = ApiKeyFile.Parse("a admin secret-number-one-000; b viewer secret-number-two-000", "OPTIMIZER_API_KEYS");
        Assert.Equal(["a", "b"], keys.Select(k => k.Id));
    }

    [Theory]
    [InlineData("alice researcher", "expected 'ID ROLE SECRET [studies=LIST]', got 2 fields")]
    [InlineData("alice superuser sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "role 'superuser' is not one of admin, researcher, worker, viewer")]
    [InlineData("al/ice admin long-enough-secret-000", "key id 'al/ice' must be 1 to 64 letters")]
    [InlineData("alice admin short", "shorter than 16 characters")]
    [InlineData("alice admin sha256:1234", "a hashed secret is 'sha256:' and 64 hex digits")]
    [InlineData("alice worker long-enough-secret-000 scope=x", "the fourth field must be 'studies=ID,PREFIX*,...'")]
    [InlineData("alice worker long-enough-secret-000 studies=a*b", "'*' may only end a prefix")]
    public void Parse_MistakesNameTheLineAndNeverEchoTheSecret(string line, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ApiKeyFile.Parse("# header\n\n" + line, "keys.txt"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("keys.txt, line 3: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("long-enough-secret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NewSecret_IsLongRandomAndHashesToItsKeysFileForm()
    {
        string a = ApiKey.NewSecret(), b = ApiKey.NewSecret();
        Assert.NotEqual(a, b);
        Assert.StartsWith(ApiKey.SecretPrefix, a, StringComparison.Ordinal);
        Assert.Equal(4 + 43, a.Length); // "opt_" + 32 bytes in unpadded base64url
        var key = Assert.Single(ApiKeyFile.Parse($"k worker {ApiKey.HashText(a)}", "t"));
        Assert.Equal(ApiKey.Hash(a).ToArray(), key.SecretHash.ToArray());
    }
}
