using Xunit;

namespace ActorTasks.Hocon.Tests;

public class ConfigGetterTests
{
    private static readonly Config C = ConfigFactory.ParseString("""
        s = hello
        i = 42
        big = 3000000000
        d = 2.5
        b = on
        nstr = "17"
        t = 10s
        list = [a, b, 3]
        ints = [1, 2, 3]
        mixed = [1, x]
        obj { inner = 1 }
        nul = null
        """, "app.conf");

    [Fact]
    public void Typed_getters_convert_as_the_spec_recommends()
    {
        Assert.Equal("hello", C.GetString("s"));
        Assert.Equal("42", C.GetString("i"));
        Assert.Equal("true", ConfigFactory.ParseString("x = true").GetString("x"));
        Assert.Equal(42, C.GetInt("i"));
        Assert.Equal(17, C.GetInt("nstr"));
        Assert.Equal(3000000000L, C.GetLong("big"));
        Assert.Equal(2.5, C.GetDouble("d"));
        Assert.Equal(42.0, C.GetDouble("i"));
        Assert.True(C.GetBoolean("b"));
        Assert.Equal(["a", "b", "3"], C.GetStringList("list"));
        Assert.Equal([1, 2, 3], C.GetIntList("ints"));
        Assert.Equal([1L, 2L, 3L], C.GetLongList("ints"));
        Assert.Equal(1, C.GetConfig("obj").GetInt("inner"));
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("on", true)]
    [InlineData("true", true)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("false", false)]
    public void Booleans_accept_the_six_words(string word, bool expected) =>
        Assert.Equal(expected, ConfigFactory.ParseString($"x = {word}").GetBoolean("x"));

    [Fact]
    public void Wrong_type_names_path_expected_found_and_origin()
    {
        var e = Assert.Throws<ConfigException>(() => C.GetInt("s"));
        Assert.Equal("app.conf:1:5: s: expected an int but found string \"hello\"", e.Message);
        Assert.Equal("s", e.Path);
        Assert.Equal(1, e.Line);

        Assert.Contains("expected an int but found number 3000000000 (out of range for an int)", Assert.Throws<ConfigException>(() => C.GetInt("big")).Message);
        Assert.Contains("expected an int but found number 2.5", Assert.Throws<ConfigException>(() => C.GetInt("d")).Message);
        Assert.Contains("app.conf:11:5: obj: expected a string but found an object", Assert.Throws<ConfigException>(() => C.GetString("obj")).Message);
        Assert.Contains("expected a boolean", Assert.Throws<ConfigException>(() => C.GetBoolean("s")).Message);
        Assert.Contains("mixed[1]: expected an int but found string \"x\"", Assert.Throws<ConfigException>(() => C.GetIntList("mixed")).Message);
        Assert.Contains("expected a list of strings but found string", Assert.Throws<ConfigException>(() => C.GetStringList("s")).Message);
        Assert.Contains("expected an object", Assert.Throws<ConfigException>(() => C.GetConfig("s")).Message);
    }

    [Fact]
    public void Missing_path_throws_unless_a_default_is_given()
    {
        var e = Assert.Throws<ConfigException>(() => C.GetString("no.such"));
        Assert.Equal("no.such: expected a string but the setting is missing", e.Message);
        Assert.Equal("dflt", C.GetString("no.such", "dflt"));
        Assert.Equal(7, C.GetInt("no.such", 7));
        Assert.Equal(7L, C.GetLong("no.such", 7L));
        Assert.Equal(1.5, C.GetDouble("no.such", 1.5));
        Assert.True(C.GetBoolean("no.such", true));
        Assert.Equal(TimeSpan.FromSeconds(3), C.GetTimeSpan("no.such", TimeSpan.FromSeconds(3)));
        Assert.Equal(5L, C.GetByteSize("no.such", 5L));
        Assert.Equal("dflt", C.GetString("nul", "dflt"));
        Assert.Throws<ConfigException>(() => C.GetConfig("no.such"));
    }

    [Fact]
    public void Default_is_not_used_when_the_value_has_the_wrong_type() =>
        Assert.Throws<ConfigException>(() => C.GetInt("s", 5));

    [Fact]
    public void Null_counts_as_missing_for_has_path_and_is_an_error_for_getters()
    {
        Assert.False(C.HasPath("nul"));
        Assert.Contains("found null", Assert.Throws<ConfigException>(() => C.GetString("nul")).Message);
        Assert.True(C.HasPath("obj.inner"));
        Assert.False(C.HasPath("obj.inner.deeper"));
    }

    [Fact]
    public void Empty_root_and_with_fallback_layering()
    {
        Assert.True(ConfigFactory.Empty.IsEmpty);
        Assert.True(ConfigFactory.ParseString("# nothing").IsEmpty);
        Assert.False(C.IsEmpty);

        var top = ConfigFactory.ParseString("a = 1, o { x = 1 }");
        var bottom = ConfigFactory.ParseString("a = 2, b = 2, o { y = 2 }");
        var merged = top.WithFallback(bottom);
        Assert.Equal(1, merged.GetInt("a"));
        Assert.Equal(2, merged.GetInt("b"));
        Assert.Equal(1, merged.GetInt("o.x"));
        Assert.Equal(2, merged.GetInt("o.y"));
        Assert.Equal(1, top.GetInt("a"));
        Assert.False(top.HasPath("b"));
    }

    [Fact]
    public void At_path_and_at_key_wrap_the_configuration()
    {
        var c = ConfigFactory.ParseString("x = 1");
        Assert.Equal(1, c.AtPath("a.b").GetInt("a.b.x"));
        Assert.Equal(1, c.AtKey("a.b").GetInt("\"a.b\".x"));
        Assert.Equal(1, c.AtPath("a.b").GetConfig("a").GetInt("b.x"));
    }

    [Fact]
    public void Root_exposes_the_resolved_tree()
    {
        var c = ConfigFactory.ParseString("a = ${b}, b = 3");
        Assert.False(c.IsResolved);
        Assert.Equal(ConfigValueType.Number, c.Root["a"].Type);
        Assert.True(c.IsResolved);
        Assert.Equal(["a", "b"], c.Root.Keys);
    }

    [Fact]
    public void Getter_paths_may_quote_elements()
    {
        var c = ConfigFactory.ParseString("\"a.b\" { \"c d\" = 1 }");
        Assert.Equal(1, c.GetInt("\"a.b\".\"c d\""));
        Assert.Throws<ConfigException>(() => c.GetInt("a..b"));
    }
}
