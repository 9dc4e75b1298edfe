using ActorTasks.Tasks.JobKinds;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds;

public sealed class JobArgumentExceptionTests
{
    [Fact]
    public void Message_names_the_argument_first()
    {
        var error = new JobArgumentException("--column", "no column named 'price'");
        Assert.Equal("--column", error.Argument);
        Assert.Equal("--column: no column named 'price'", error.Message);
    }
}
