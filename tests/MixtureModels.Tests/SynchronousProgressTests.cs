namespace MixtureModels.Tests;

public sealed class SynchronousProgressTests
{
    [Fact]
    public void Every_report_is_handled_in_order_before_the_fit_returns()
    {
        var reports = new List<FitProgress>();
        int thread = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, InitializationCount = 2 })
            .Fit(TestData.Faithful(), progress: new SynchronousProgress<FitProgress>(p =>
            {
                reports.Add(p);
                threads.Add(Environment.CurrentManagedThreadId);
            }));

        threads.Should().Equal(thread);
        reports.Should().NotBeEmpty();
        reports.Select(r => (r.Initialization, r.Iteration)).Should().BeInAscendingOrder(Comparer<(int, int)>.Default);
        reports.Count(r => r.Initialization == model.Report.BestInitialization).Should().Be(model.Report.IterationCount);
    }

    [Fact]
    public void A_null_handler_is_rejected()
    {
        ((Action)(() => _ = new SynchronousProgress<int>(null!))).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("handler");
    }
}
