using ActorTasks.Messages;
using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.Images;
using ActorTasks.Tasks.Tests.Support;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Tasks.Tests.JobKinds.Images;

/// <summary>An images job through the task system with its default settings: the disk resource is there without configuring it.</summary>
public sealed class ImagesTaskSystemTests(ITestOutputHelper output) : TestKit(TaskSystemFixture.Config(), output: output)
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void A_job_writes_every_image_holding_disk_permits_sized_to_the_workers_and_records_a_bad_file_once()
    {
        for (var i = 0; i < 12; i++) _temp.Write($"src/{i % 3}/img{i:D2}.jpg", TestImages.Jpeg(160 + i, 90));
        _temp.Write("src/1/broken.jpg", "not a jpeg");
        var src = Path.Combine(_temp.Path, "src");
        var outDir = Path.Combine(_temp.Path, "out");
        var actors = TaskSystemFixture.Start(Sys, TaskSystemFixture.Settings(consumers: 2), new ImagesJobKind());

        actors.JobManager.Tell(new SubmitJob("images", [src, outDir, "--resize", "80x45", "--brightness", "1.2"], new JobOptions(false, 3)), TestActor);
        ExpectMsg<JobAccepted>();
        var finished = ExpectMsg<JobFinished>(TimeSpan.FromSeconds(30));

        Assert.Equal(JobState.CompletedWithFailures, finished.State);
        Assert.Equal((12L, 1L), (finished.Done, finished.Failed));
        var failure = Assert.Single(finished.Failures);
        Assert.Equal((1, TaskInputException.ErrorType), (failure.Attempts, failure.ErrorType));
        Assert.StartsWith(Path.Combine(src, "1", "broken.jpg") + ": not an image", failure.Message);
        Assert.Equal("12", finished.Summary.Single(kv => kv.Key == "images written").Value);
        var written = Directory.GetFiles(outDir, "*", SearchOption.AllDirectories);
        Assert.Equal(12, written.Length);
        Assert.All(written, f => Assert.Equal((SKEncodedImageFormat.Png, 80, 45), TestImages.Describe(f)));

        actors.ResourceManager.Tell(GetResources.Instance, TestActor);
        // One node with consumers: one disk permit, given back.
        var disk = ExpectMsg<ResourcesReport>().Resources.Single(r => r.Name == "disk");
        Assert.Equal((1, 1), (disk.Permits, disk.Available));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _temp.Dispose();
        base.Dispose(disposing);
    }
}
