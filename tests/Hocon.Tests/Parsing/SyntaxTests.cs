using Xunit;

namespace ActorTasks.Hocon.Tests.Parsing;

public class SyntaxTests
{
    private static string Json(string hocon) =>
        ConfigFactory.ParseString(hocon).Resolve(new ConfigResolveOptions { UseEnvironment = false }).ToJson(indented: false);

    [Theory]
    [InlineData("# comment\na = 1 # trailing\n// slashes\nb = 2 // trailing", """{"a":1,"b":2}""")]
    [InlineData("a = \"# not a comment\", b = \"// nor this\"", """{"a":"# not a comment","b":"// nor this"}""")]
    [InlineData("a = x//y", """{"a":"x"}""")]
    public void Comments_start_with_hash_or_double_slash_outside_quotes(string hocon, string json) =>
        Assert.Equal(json, Json(hocon));

    [Fact]
    public void A_colon_cannot_appear_unquoted_so_urls_are_quoted()
    {
        Assert.Throws<ConfigException>(() => Json("url = http://example.com"));
        Assert.Equal("""{"url":"http://example.com"}""", Json("url = \"http://example.com\""));
    }

    [Fact]
    public void Root_braces_may_be_omitted_or_written()
    {
        Assert.Equal("""{"a":1}""", Json("a = 1"));
        Assert.Equal("""{"a":1}""", Json("{ a = 1 }"));
        Assert.Equal("{}", Json(""));
        Assert.Equal("{}", Json("  \n # only a comment\n"));
    }

    [Theory]
    [InlineData("a = 1")]
    [InlineData("a : 1")]
    [InlineData("a=1")]
    [InlineData("\"a\" : 1")]
    [InlineData("a\n  = 1")]
    public void Equals_or_colon_separates_key_and_value(string hocon) => Assert.Equal("""{"a":1}""", Json(hocon));

    [Fact]
    public void Separator_may_be_omitted_before_an_object() =>
        Assert.Equal("""{"a":{"b":1}}""", Json("a { b = 1 }"));

    [Theory]
    [InlineData("a = 1, b = 2")]
    [InlineData("a = 1\nb = 2")]
    [InlineData("a = 1,\nb = 2,")]
    [InlineData("a = 1\n,b = 2")]
    [InlineData("{ a = 1, b = 2, }")]
    public void Fields_are_separated_by_commas_or_newlines_with_one_trailing_comma_allowed(string hocon) =>
        Assert.Equal("""{"a":1,"b":2}""", Json(hocon));

    [Theory]
    [InlineData("a = [1, 2, 3]")]
    [InlineData("a = [1, 2, 3,]")]
    [InlineData("a = [\n1\n2\n3\n]")]
    [InlineData("a = [1\n, 2, 3]")]
    public void Array_elements_are_separated_by_commas_or_newlines(string hocon) =>
        Assert.Equal("""{"a":[1,2,3]}""", Json(hocon));

    [Theory]
    [InlineData("a = [1,2,3,,]")]
    [InlineData("a = [,1,2,3]")]
    [InlineData("a = [1,,2,3]")]
    [InlineData("a = 1,, b = 2")]
    [InlineData(", a = 1")]
    public void Doubled_or_leading_commas_are_errors(string hocon) =>
        Assert.Throws<ConfigException>(() => Json(hocon));

    [Fact]
    public void Dotted_keys_are_paths_and_quoted_parts_are_single_keys()
    {
        Assert.Equal("""{"a":{"b":{"c":1}}}""", Json("a.b.c = 1"));
        Assert.Equal("""{"a":{"b.c":1}}""", Json("a.\"b.c\" = 1"));
        Assert.Equal("""{"a b c":42}""", Json("a b c = 42"));
        Assert.Equal("""{"10":{"0foo":1}}""", Json("10.0foo = 1"));
        Assert.Equal("""{"foo10":{"0":1}}""", Json("foo10.0 = 1"));
        Assert.Equal("""{"foo10.0":1}""", Json("foo\"10.0\" = 1"));
        Assert.Equal("""{"true":42,"3":{"14":1}}""", Json("true : 42, 3.14 : 1"));
        Assert.Equal("""{"a":{"":{"b":1}}}""", Json("a.\"\".b = 1"));
        Assert.Equal("""{"foo include":42}""", Json("foo include : 42"));
        Assert.Equal("""{"include":42}""", Json("\"include\" : 42"));
    }

    [Theory]
    [InlineData("a..b = 1")]
    [InlineData(".a = 1")]
    [InlineData("a. = 1")]
    public void Empty_unquoted_path_elements_are_errors(string hocon) =>
        Assert.Contains("empty", Assert.Throws<ConfigException>(() => Json(hocon)).Message);

    [Fact]
    public void Duplicate_objects_merge_and_other_duplicates_override()
    {
        Assert.Equal("""{"foo":{"a":42,"b":43}}""", Json("foo { a = 42 }, foo { b = 43 }"));
        Assert.Equal("""{"foo":{"b":43}}""", Json("foo { a = 42 }, foo = null, foo { b = 43 }"));
        Assert.Equal("""{"foo":2}""", Json("foo = 1, foo = 2"));
        Assert.Equal("""{"foo":{"b":1}}""", Json("foo = 1, foo { b = 1 }"));
        Assert.Equal("""{"foo":1}""", Json("foo { b = 1 }, foo = 1"));
        Assert.Equal("""{"a":{"x":1,"y":2}}""", Json("a.x = 1, a.y = 2"));
    }

    [Fact]
    public void Unquoted_strings_keep_inner_whitespace_and_lose_outer_whitespace()
    {
        Assert.Equal("""{"a":"foo bar  baz"}""", Json("a =   foo bar  baz   "));
        Assert.Equal("""{"a":"null bar 42 baz true 3.14 hi"}""", Json("a = null bar 42 baz true 3.14 hi"));
        Assert.Equal("""{"a":"truefoo","b":"footrue","c":"10.0bar","d":"bar10.0"}""", Json("a = truefoo, b = footrue, c = 10.0bar, d = bar10.0"));
        Assert.Equal("""{"a":"a/b.c-d_e"}""", Json("a = a/b.c-d_e"));
        Assert.Equal("""{"a":"foobar"}""", Json("a = foo\"bar\""));
    }

    [Fact]
    public void A_single_value_keeps_its_type()
    {
        var c = ConfigFactory.ParseString("t = true, f = false, n = null, i = 42, d = -1.5e3, s = \"42\"");
        Assert.IsType<ConfigBoolean>(c.GetValueOrNull("t"));
        Assert.IsType<ConfigBoolean>(c.GetValueOrNull("f"));
        Assert.IsType<ConfigNull>(c.GetValueOrNull("n"));
        Assert.Equal(42L, Assert.IsType<ConfigNumber>(c.GetValueOrNull("i")).LongValue);
        Assert.Equal(-1500.0, Assert.IsType<ConfigNumber>(c.GetValueOrNull("d")).DoubleValue);
        Assert.IsType<ConfigString>(c.GetValueOrNull("s"));
    }

    [Fact]
    public void Numbers_keep_their_spelling()
    {
        var c = ConfigFactory.ParseString("a = 1e5, b = 0.50, c = 12345678901234567890");
        Assert.Equal("1e5", c.GetString("a"));
        Assert.Equal(100000, c.GetInt("a"));
        Assert.Equal("0.50", c.GetString("b"));
        Assert.Equal("12345678901234567890", c.GetString("c"));
        Assert.Equal(1.2345678901234567e19, c.GetDouble("c"));
    }

    [Fact]
    public void Quoted_strings_support_json_escapes()
    {
        var c = ConfigFactory.ParseString("""a = "q\"b\\s\/n\nt\tu\u00e9\b\f\r" """);
        Assert.Equal("q\"b\\s/n\nt\tu\u00e9\b\f\r", c.GetString("a"));
    }

    [Theory]
    [InlineData("a = \"\\x\"")]
    [InlineData("a = \"\\u12\"")]
    [InlineData("a = \"line\nbreak\"")]
    public void Invalid_escapes_and_raw_newlines_in_quoted_strings_are_errors(string hocon) =>
        Assert.Throws<ConfigException>(() => Json(hocon));

    [Fact]
    public void Triple_quoted_strings_span_lines_without_escapes()
    {
        var c = ConfigFactory.ParseString("a = \"\"\"line one\n  \\n \"quoted\" line two\"\"\"\nb = \"\"\"x\"\"\"\"\"");
        Assert.Equal("line one\n  \\n \"quoted\" line two", c.GetString("a"));
        Assert.Equal("x\"\"", c.GetString("b"));
    }

    [Fact]
    public void Value_concatenation_joins_strings_arrays_and_objects()
    {
        Assert.Equal("""{"a":"foo   bar"}""", Json("a = foo \" \" bar"));
        Assert.Equal("""{"a":[1,2,3]}""", Json("a = [1] [2, 3]"));
        Assert.Equal("""{"a":{"x":1,"y":3}}""", Json("a = { x = 1, y = 2 } { y = 3 }"));
        Assert.Equal("""{"a":{"x":1,"y":2}}""", Json("a { x = 1 } { y = 2 }"));
    }

    [Theory]
    [InlineData("a = [1] foo")]
    [InlineData("a = { x = 1 } [1]")]
    [InlineData("a = foo { x = 1 }")]
    public void Concatenating_different_kinds_is_an_error(string hocon) =>
        Assert.Contains("concatenation", Assert.Throws<ConfigException>(() => Json(hocon)).Message);

    [Theory]
    [InlineData('`')]
    [InlineData('^')]
    [InlineData('?')]
    [InlineData('!')]
    [InlineData('@')]
    [InlineData('*')]
    [InlineData('&')]
    [InlineData('\\')]
    public void Reserved_characters_outside_quotes_are_errors(char c)
    {
        var e = Assert.Throws<ConfigException>(() => Json($"a = x{c}y"));
        Assert.Contains("reserved", e.Message);
        var quoted = c == '\\' ? "\\\\" : c.ToString();
        Assert.Equal("x" + c + "y", ConfigFactory.ParseString($"a = \"x{quoted}y\"").GetString("a"));
    }

    [Fact]
    public void Unicode_space_separators_are_whitespace()
    {
        Assert.Equal("""{"a":1,"b":"x\u00A0y"}""".Replace("\\u00A0", "\u00A0"), Json("\u2003a\u00A0=\u00A01\nb = \"x\u00A0y\""));
    }

    [Fact]
    public void Json_documents_parse_to_the_same_tree()
    {
        const string json = """{"a": {"b": [1, 2.5, "x", true, null, {"c": []}]}, "d": -0.5e-3}""";
        TreeAssert.Equal(json, ConfigFactory.ParseString(json));
    }
}
