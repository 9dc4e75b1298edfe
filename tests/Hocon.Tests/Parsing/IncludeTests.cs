using Xunit;

namespace ActorTasks.Hocon.Tests.Parsing;

public sealed class IncludeTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("hocon-include");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private Config Parse(string mainText) => ConfigFactory.ParseFile(Write("main.conf", mainText));

    [Fact]
    public void Include_merges_the_included_keys_in_place_of_the_statement()
    {
        Write("inc.conf", "a = 1, b = 2, o { x = 1 }");
        var c = Parse("a = 0\ninclude \"inc.conf\"\nb = 3\no { y = 2 }");
        Assert.Equal(1, c.GetInt("a"));
        Assert.Equal(3, c.GetInt("b"));
        Assert.Equal(1, c.GetInt("o.x"));
        Assert.Equal(2, c.GetInt("o.y"));
    }

    [Fact]
    public void Includes_are_relative_to_the_including_file_not_the_working_directory()
    {
        Write("sub/inner.conf", "include \"deeper/leaf.conf\"\ninner = 1");
        Write("sub/deeper/leaf.conf", "leaf = 2");
        var c = Parse("include \"sub/inner.conf\"");
        Assert.Equal(1, c.GetInt("inner"));
        Assert.Equal(2, c.GetInt("leaf"));
    }

    [Fact]
    public void File_and_required_forms_are_supported()
    {
        Write("a.conf", "a = 1");
        Write("b.conf", "b = 2");
        Write("c.conf", "c = 3");
        var c = Parse("include file(\"a.conf\")\ninclude required(\"b.conf\")\ninclude required(file( \"c.conf\" ))");
        Assert.Equal([1, 2, 3], new[] { c.GetInt("a"), c.GetInt("b"), c.GetInt("c") });
    }

    [Fact]
    public void Missing_includes_are_ignored_unless_required()
    {
        var c = Parse("include \"nothere\"\ninclude \"nothere.conf\"\nx = 1");
        Assert.Equal(1, c.GetInt("x"));
        var e = Assert.Throws<ConfigException>(() => Parse("x = 1\ninclude required(\"nothere\")"));
        Assert.Contains("required include 'nothere'", e.Message);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void A_name_without_extension_loads_and_merges_conf_json_and_properties_with_conf_winning()
    {
        Write("multi.properties", "p = fromProps\nshared = props\nnum = 7");
        Write("multi.json", """{ "j": "fromJson", "shared": "json" }""");
        Write("multi.conf", "c = fromConf\nshared = conf");
        var c = Parse("include \"multi\"");
        Assert.Equal("fromProps", c.GetString("p"));
        Assert.Equal("fromJson", c.GetString("j"));
        Assert.Equal("fromConf", c.GetString("c"));
        Assert.Equal("conf", c.GetString("shared"));
        Assert.Equal(7, c.GetInt("num"));
    }

    [Fact]
    public void Properties_values_are_strings_split_on_dots_and_objects_win_over_strings()
    {
        Write("p.properties", "# comment\n! also comment\na.b = x\na = lost\nc.d : 1\ne f\nlong = one \\\n  two\nuni = \\u0041\n");
        var c = Parse("include \"p.properties\"");
        Assert.Equal("x", c.GetString("a.b"));
        Assert.IsType<ConfigString>(c.GetValue("c.d"));
        Assert.Equal("f", c.GetString("e"));
        Assert.Equal("one two", c.GetString("long"));
        Assert.Equal("A", c.GetString("uni"));
    }

    [Fact]
    public void Included_substitutions_are_relative_to_the_include_point_then_fall_back_to_the_root()
    {
        Write("foo.conf", "x = 10, y = ${x}, z = ${top}");
        var c = Parse("top = T\na { include \"foo.conf\" }\na { x = 42 }");
        Assert.Equal(42, c.GetInt("a.y"));
        Assert.Equal("T", c.GetString("a.z"));
    }

    [Fact]
    public void Include_cycles_fail_with_the_chain()
    {
        Write("one.conf", "include \"two.conf\"");
        Write("two.conf", "include \"one.conf\"");
        var e = Assert.Throws<ConfigException>(() => ConfigFactory.ParseFile(Path.Combine(_dir.FullName, "one.conf")));
        Assert.Contains("cycle", e.Message);
        Assert.Contains("one.conf -> ", e.Message);
        Assert.Contains("two.conf", e.Message);
    }

    [Fact]
    public void Including_the_same_file_twice_without_a_cycle_is_fine()
    {
        Write("shared.conf", "s = 1");
        var c = Parse("include \"shared.conf\"\nx { include \"shared.conf\" }");
        Assert.Equal(1, c.GetInt("s"));
        Assert.Equal(1, c.GetInt("x.s"));
    }

    [Fact]
    public void An_included_file_must_hold_an_object()
    {
        Write("arr.json", "[1, 2]");
        Assert.Contains("found an array", Assert.Throws<ConfigException>(() => Parse("include \"arr.json\"")).Message);
    }

    [Fact]
    public void Url_includes_are_rejected_clearly()
    {
        var e = Assert.Throws<ConfigException>(() => Parse("include url(\"http://example.com/x.conf\")"));
        Assert.Contains("url", e.Message);
    }

    [Fact]
    public void Include_is_only_special_at_the_start_of_a_key()
    {
        var c = ConfigFactory.ParseString("a = include, b = [include], c include = 1");
        Assert.Equal("include", c.GetString("a"));
        Assert.Equal(["include"], c.GetStringList("b"));
        Assert.Equal(1, c.GetInt("\"c include\""));
    }

    [Fact]
    public void Strings_include_relative_to_a_given_base_directory()
    {
        Write("base.conf", "fromBase = yes");
        var c = ConfigFactory.ParseString("include \"base.conf\"", new ConfigParseOptions { BaseDirectory = _dir.FullName });
        Assert.True(c.GetBoolean("fromBase"));
    }

    [Fact]
    public void Embedded_resources_include_neighbouring_resources()
    {
        var c = ConfigFactory.ParseResource(typeof(IncludeTests).Assembly, "ActorTasks.Hocon.Tests.Resources.app.conf");
        Assert.Equal("app", c.GetString("name"));
        Assert.Equal("lib", c.GetString("lib.name"));
        Assert.Equal("lib", c.GetString("lib.user"));
    }
}
