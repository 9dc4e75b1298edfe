using Xunit;

namespace ActorTasks.Hocon.Tests.Resolution;

public class SubstitutionTests
{
    private static readonly ConfigResolveOptions NoEnvironment = new() { UseEnvironment = false };

    private static Config Resolve(string hocon, ConfigResolveOptions? options = null) =>
        ConfigFactory.ParseString(hocon).Resolve(options ?? NoEnvironment);

    [Fact]
    public void Substitution_keeps_the_type_of_a_whole_value_and_may_look_forward()
    {
        var c = Resolve("a = ${b}, b = 42, l = ${list}, list = [1, 2], o = ${obj}, obj { x = true }");
        Assert.IsType<ConfigNumber>(c.GetValue("a"));
        Assert.Equal([1, 2], c.GetIntList("l"));
        Assert.True(c.GetBoolean("o.x"));
    }

    [Fact]
    public void Substitution_inside_a_concatenation_becomes_text_and_null_becomes_empty()
    {
        var c = Resolve("name = world, n = null, a = hello ${name}., b = \"x\"${n}\"y\", c = ${name} is ${num}, num = 5");
        Assert.Equal("hello world.", c.GetString("a"));
        Assert.Equal("xy", c.GetString("b"));
        Assert.Equal("world is 5", c.GetString("c"));
    }

    [Fact]
    public void Substitution_sees_the_last_assigned_value_of_a_path()
    {
        var c = Resolve("bar { foo = 42, baz = ${bar.foo} }\nbar { foo = 43 }");
        Assert.Equal(43, c.GetInt("bar.baz"));
    }

    [Fact]
    public void An_object_may_refer_to_its_own_fields()
    {
        var c = Resolve("bar : { foo : 42, baz : ${bar.foo} }");
        Assert.Equal(42, c.GetInt("bar.baz"));
    }

    [Fact]
    public void Optional_substitution_of_a_missing_path_leaves_the_field_unset()
    {
        var c = Resolve("a = ${?missing}, b = 1, b = ${?missing}, l = [${?missing}, 2]");
        Assert.False(c.HasPath("a"));
        Assert.Equal(1, c.GetInt("b"));
        Assert.Equal([2], c.GetIntList("l"));
    }

    [Fact]
    public void Required_substitution_of_a_missing_path_is_an_error_naming_it()
    {
        var e = Assert.Throws<ConfigException>(() => Resolve("a = ${missing.key}"));
        Assert.Equal("missing.key", e.Path);
        Assert.Contains("${missing.key}", e.Message);
    }

    [Fact]
    public void Missing_substitutions_fall_back_to_environment_variables()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/home/me", ["EMPTY"] = "" };
        var options = new ConfigResolveOptions { Environment = env.GetValueOrDefault };
        var c = Resolve("home = ${HOME}, dir = ${HOME}/work, e = ${?EMPTY}", options);
        Assert.Equal("/home/me", c.GetString("home"));
        Assert.Equal("/home/me/work", c.GetString("dir"));
        Assert.False(c.HasPath("e"));
    }

    [Fact]
    public void A_value_set_in_the_tree_even_to_null_hides_the_environment()
    {
        var env = new Dictionary<string, string> { ["HOME"] = "/home/me" };
        var c = Resolve("HOME = /elsewhere, a = ${HOME}", new ConfigResolveOptions { Environment = env.GetValueOrDefault });
        Assert.Equal("/elsewhere", c.GetString("a"));
        var n = Resolve("HOME = null, a = x${HOME}y", new ConfigResolveOptions { Environment = env.GetValueOrDefault });
        Assert.Equal("xy", n.GetString("a"));
    }

    [Fact]
    public void Self_referential_substitution_appends_to_earlier_value()
    {
        var c = Resolve("path = [/bin], path = ${path} [/usr/bin], s = a, s = ${s}b, s = ${s}c");
        Assert.Equal(["/bin", "/usr/bin"], c.GetStringList("path"));
        Assert.Equal("abc", c.GetString("s"));
    }

    [Fact]
    public void Self_referential_substitution_merges_objects_with_the_earlier_value()
    {
        var c = Resolve("foo { a = 1 }, foo = ${foo} { b = 2 }, bar { x = 1 }, bar { x = ${bar.x}0 }");
        Assert.Equal(1, c.GetInt("foo.a"));
        Assert.Equal(2, c.GetInt("foo.b"));
        Assert.Equal(10, c.GetInt("bar.x"));
    }

    [Fact]
    public void Self_reference_without_an_earlier_value_uses_the_environment_or_fails()
    {
        var env = new Dictionary<string, string> { ["PATH"] = "/bin" };
        Assert.Equal("/bin:/opt", Resolve("PATH = ${PATH}\":/opt\"", new ConfigResolveOptions { Environment = env.GetValueOrDefault }).GetString("PATH"));
        Assert.False(Resolve("x = ${?x}").HasPath("x"));
        Assert.Contains("before this definition", Assert.Throws<ConfigException>(() => Resolve("x = ${x}")).Message);
    }

    [Fact]
    public void Plus_equals_appends_to_an_array_and_creates_it_when_missing()
    {
        var c = Resolve("a = [1], a += 2, a += 3, b += x, o { l += 1 }, o.l += 2");
        Assert.Equal([1, 2, 3], c.GetIntList("a"));
        Assert.Equal(["x"], c.GetStringList("b"));
        Assert.Equal([1, 2], c.GetIntList("o.l"));
    }

    [Fact]
    public void Plus_equals_on_a_non_array_is_an_error()
    {
        var e = Assert.Throws<ConfigException>(() => Resolve("a = 1, a += 2"));
        Assert.Contains("concatenation", e.Message);
    }

    [Theory]
    [InlineData("a = ${b}, b = ${a}", "a -> b -> a")]
    [InlineData("a = ${b}, b = ${c}, c = ${a}", "a -> b -> c -> a")]
    [InlineData("foo { a = ${foo} }", "foo -> foo.a -> foo")]
    [InlineData("a = 1, b = 2, a = ${b}, b = ${a}", "a -> b -> a")]
    public void Substitution_cycles_fail_with_the_chain(string hocon, string chain)
    {
        var e = Assert.Throws<ConfigException>(() => Resolve(hocon));
        Assert.Contains("cycle", e.Message);
        Assert.Contains(chain, e.Message);
    }

    [Fact]
    public void Substitutions_see_values_from_fallback_layers()
    {
        var reference = ConfigFactory.ParseString("base = 10, derived = ${base}");
        var app = ConfigFactory.ParseString("base = 20, list = ${extra} [3], extra = [1, 2]");
        var c = app.WithFallback(reference).Resolve(NoEnvironment);
        Assert.Equal(20, c.GetInt("derived"));
        Assert.Equal([1, 2, 3], c.GetIntList("list"));
    }

    [Fact]
    public void Substitution_paths_may_be_quoted_and_padded()
    {
        var c = Resolve("\"a.b\" = 1, x { \"\" = 2 }, p = ${ \"a.b\" }, q = ${x.\"\"}");
        Assert.Equal(1, c.GetInt("p"));
        Assert.Equal(2, c.GetInt("q"));
    }

    [Fact]
    public void Substitutions_are_not_expanded_inside_quotes()
    {
        Assert.Equal("${a}", Resolve("a = 1, b = \"${a}\"").GetString("b"));
    }

    [Fact]
    public void Long_chains_resolve_without_recursion_trouble()
    {
        var lines = Enumerable.Range(0, 300).Select(i => $"k{i} = ${{k{i + 1}}}").Append("k300 = end");
        Assert.Equal("end", Resolve(string.Join('\n', lines)).GetString("k0"));
    }
}
