using Xunit;

namespace ActorTasks.Hocon.Tests;

public class RenderingTests
{
    [Fact]
    public void Rendered_hocon_parses_back_to_the_same_tree()
    {
        foreach (var name in new[] { "test01.conf", "test02.conf", "test04.conf", "test11.conf", "test12.conf", "equiv05/triple-quotes.conf" })
        {
            var original = ConfigFactory.ParseFile(Corpus.PathOf(name)).Resolve(new ConfigResolveOptions { UseEnvironment = false });
            var reparsed = ConfigFactory.ParseString(original.ToHocon(ConfigRenderOptions.WithOrigins));
            TreeAssert.Equal(original.ToJson(), reparsed);
        }
    }

    [Fact]
    public void Json_rendering_is_valid_json_of_the_same_tree()
    {
        var c = ConfigFactory.ParseString("a { b = [1, 2.5, \"x\\ny\", true, null], c = {} }, n = 007, q = \"\\u0001\"");
        var json = c.ToJson();
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        TreeAssert.Equal(doc.RootElement, c.Root);
        Assert.Equal("""{"a":{"b":[1,2.5,"x\ny",true,null],"c":{}},"n":7,"q":"\u0001"}""", c.ToJson(indented: false));
    }

    [Fact]
    public void Origin_comments_name_file_and_line_of_each_value()
    {
        var c = ConfigFactory.ParseString("a {\n  b = 1\n}\nl = [1]", "app.conf");
        var text = c.ToHocon(ConfigRenderOptions.WithOrigins);
        Assert.Equal("a {\n    # app.conf:2\n    b = 1\n}\n# app.conf:4\nl = [1]\n", text);
    }

    [Fact]
    public void Strings_are_quoted_only_when_needed_to_read_back_the_same()
    {
        var c = ConfigFactory.ParseString("""
            a = local, b = "10s", c = "10", d = "true", e = "null", f = "a b", g = "", h = "1e5", i = "x.y/z", j = "-x", k = "a//b", l = "1.5.3"
            """);
        Assert.Equal("a = local\nb = 10s\nc = \"10\"\nd = \"true\"\ne = \"null\"\nf = \"a b\"\ng = \"\"\nh = \"1e5\"\ni = x.y/z\nj = \"-x\"\nk = \"a//b\"\nl = 1.5.3\n", c.ToHocon());
        TreeAssert.Equal(c.ToJson(), ConfigFactory.ParseString(c.ToHocon()));
    }

    [Fact]
    public void Keys_that_need_quotes_are_quoted()
    {
        var c = ConfigFactory.ParseString("\"a.b\" = 1, \"include\" = 2, \"\" = 3, \"10\" = 4, plain-key_1 = 5");
        Assert.Equal("\"a.b\" = 1\n\"include\" = 2\n\"\" = 3\n\"10\" = 4\nplain-key_1 = 5\n", c.ToHocon());
    }

    [Fact]
    public void Values_render_alone_as_hocon_and_json()
    {
        var c = ConfigFactory.ParseString("o { x = [a, b] }");
        Assert.Equal("{\n    x = [a, b]\n}", c.GetValue("o").Render());
        Assert.Equal("""{"x":["a","b"]}""", c.GetValue("o").RenderJson(indented: false));
    }
}
