using Xunit;

namespace ActorTasks.Hocon.Tests.Parsing;

/// <summary>Syntax errors name the file, line and column, what was expected and what was found.</summary>
public class ErrorPositionTests
{
    private static ConfigException Fail(string hocon) =>
        Assert.Throws<ConfigException>(() => ConfigFactory.ParseString(hocon, "hocon/worker.conf").Resolve());

    [Fact]
    public void Unclosed_object_reports_where_it_was_opened_and_end_of_file()
    {
        var e = Fail("a {\n  b = 1\n");
        Assert.Equal("hocon/worker.conf", e.File);
        Assert.Equal(3, e.Line);
        Assert.Equal(1, e.Column);
        Assert.StartsWith("hocon/worker.conf:3:1: expected '}' to close the object opened at line 1, column 3 but found end of file", e.Message);
    }

    [Fact]
    public void Wrong_closing_bracket_names_expected_and_found()
    {
        var e = Fail("a {\n  b = [1, 2}\n}");
        Assert.Equal("hocon/worker.conf:2:12: expected ',' or ']' after an array element but found '}'", e.Message);
    }

    [Fact]
    public void Stray_close_brace_at_root_is_reported()
    {
        var e = Fail("a = 1\n}");
        Assert.Equal((2, 1), (e.Line, e.Column));
        Assert.Contains("found '}'", e.Message);
    }

    [Fact]
    public void Missing_separator_after_key_is_reported_at_the_found_token()
    {
        var e = Fail("ok = 1\nkey 42 ]");
        Assert.Equal((2, 8), (e.Line, e.Column));
        Assert.Contains("expected ':', '=', '+=' or '{' after the key '\"key 42\"' but found ']'", e.Message);
    }

    [Fact]
    public void Missing_value_is_reported()
    {
        var e = Fail("a = 1\nb =\n");
        Assert.Equal((3, 1), (e.Line, e.Column));
        Assert.Contains("expected a value but found end of file", e.Message);
    }

    [Fact]
    public void Garbage_after_a_value_is_reported()
    {
        var e = Fail("a = 1 : 2");
        Assert.Equal((1, 7), (e.Line, e.Column));
        Assert.Contains("expected ',' or a newline after 'a' but found ':'", e.Message);
    }

    [Fact]
    public void Unterminated_string_points_at_its_start()
    {
        var e = Fail("a = 1\nb = \"open");
        Assert.Equal((2, 5), (e.Line, e.Column));
        Assert.Contains("closing '\"'", e.Message);
    }

    [Fact]
    public void Substitution_errors_point_at_the_substitution()
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigFactory.ParseString("a = 1\nb = x ${missing.path}", "app.conf").Resolve(new ConfigResolveOptions { UseEnvironment = false }));
        Assert.Equal((2, 7), (e.Line, e.Column));
        Assert.Equal("missing.path", e.Path);
        Assert.Contains("${missing.path}", e.Message);
    }

    [Fact]
    public void Bad_include_syntax_is_reported()
    {
        var e = Fail("include foo");
        Assert.Equal((1, 9), (e.Line, e.Column));
        Assert.Contains("expected a quoted file name", e.Message);
    }

    [Fact]
    public void Errors_in_included_files_name_the_included_file()
    {
        var dir = Directory.CreateTempSubdirectory("hocon-err");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "inner.conf"), "x = 1\ny = [\n");
            File.WriteAllText(Path.Combine(dir.FullName, "outer.conf"), "include \"inner.conf\"\n");
            var e = Assert.Throws<ConfigException>(() => ConfigFactory.ParseFile(Path.Combine(dir.FullName, "outer.conf")));
            Assert.EndsWith("inner.conf", e.File);
            Assert.Equal(3, e.Line);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_the_file_name()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigFactory.ParseBytes([(byte)'a', (byte)'=', 0xC3, 0x28], new ConfigParseOptions { OriginName = "bad.conf" }));
        Assert.Equal("bad.conf", e.File);
        Assert.Contains("UTF-8", e.Message);
    }
}
