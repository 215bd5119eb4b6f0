using DurableFlow.Graph;
using static DurableFlow.Testing.Trees;

namespace DurableFlow.Tests.Graph;

public class TreeValidatorTests
{
    private static readonly ValidationOptions Executors = new(new HashSet<string>(StringComparer.Ordinal) { "system_info_executor", "rest_executor" });

    private static IReadOnlyList<ValidationError> Validate(TaskTree tree, ValidationOptions? options = null) => TreeValidator.Validate(tree, options);

    private static ValidationError Only(TaskTree tree, string code, ValidationOptions? options = null)
    {
        var errors = Validate(tree, options);
        var error = Assert.Single(errors);
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }

    [Fact]
    public void A_valid_tree_has_no_errors() =>
        Assert.Empty(Validate(Tree(T("a"), T("b", Req("a")), T("c", Opt("a"), Req("b"))), Executors));

    [Fact]
    public void Empty_tree() => Only(Tree(), ValidationCodes.EmptyTree);

    [Fact]
    public void Too_many_tasks_uses_the_configured_limit()
    {
        var tasks = Enumerable.Range(0, 11).Select(i => T($"t{i}")).ToArray();
        var error = Only(Tree(tasks), ValidationCodes.TooManyTasks, new ValidationOptions(MaxTasks: 10));
        Assert.Contains("10", error.Message, StringComparison.Ordinal);
        Assert.Empty(Validate(Tree(tasks[..10]), new ValidationOptions(MaxTasks: 10)));
    }

    [Fact]
    public void Default_task_limit_is_20000()
    {
        var tasks = Enumerable.Range(0, 20_001).Select(i => T($"t{i}")).ToArray();
        Only(Tree(tasks), ValidationCodes.TooManyTasks);
        Assert.Empty(Validate(Tree(tasks[..20_000])));
    }

    [Fact]
    public void A_tasks_inputs_are_bounded_per_task()
    {
        var big = T("big") with { Inputs = Json("{\"blob\":\"" + new string('x', 2_000) + "\"}") };
        var error = Only(Tree(big, T("small")), ValidationCodes.InvalidField, new ValidationOptions(MaxInputBytesPerTask: 1_000));
        Assert.Equal(("big", "$.tasks[0].inputs"), (error.TaskId, error.Path));
        Assert.Contains("the limit is 1,000 bytes per task", error.Message, StringComparison.Ordinal);
        Assert.Empty(Validate(Tree(big), new ValidationOptions(MaxInputBytesPerTask: 2_100)));
    }

    [Fact]
    public void Too_many_dependencies_uses_the_configured_limit()
    {
        var deps = Enumerable.Range(0, 4).Select(i => Req($"d{i}")).ToArray();
        var tasks = deps.Select(d => T(d.Id)).Append(T("x", deps)).ToArray();
        var error = Only(Tree(tasks), ValidationCodes.TooManyDependencies, new ValidationOptions(MaxDependenciesPerTask: 3));
        Assert.Equal("x", error.TaskId);
        Assert.Empty(Validate(Tree(tasks), new ValidationOptions(MaxDependenciesPerTask: 4)));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("A1")]
    [InlineData("0")]
    [InlineData("a.b_c:d-e")]
    public void Accepts_ids_by_the_rule(string id) => Assert.True(TreeValidator.IsValidId(id));

    [Theory]
    [InlineData("")]
    [InlineData("-a")]
    [InlineData("_a")]
    [InlineData(".a")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\nb")]
    [InlineData("a\u0000")]
    [InlineData("\u0430")] // Cyrillic a, a look-alike of ASCII a
    [InlineData("caf\u00e9")]
    public void Rejects_ids_outside_the_rule(string id)
    {
        Assert.False(TreeValidator.IsValidId(id));
        var error = Only(Tree(T(id)), ValidationCodes.InvalidId);
        Assert.Equal("$.tasks[0].id", error.Path);
    }

    [Fact]
    public void Id_length_limit_is_128()
    {
        Assert.True(TreeValidator.IsValidId(new string('a', 128)));
        Assert.False(TreeValidator.IsValidId(new string('a', 129)));
    }

    [Fact]
    public void Tree_id_follows_the_id_rule()
    {
        var error = Only(Tree(T("a")) with { TreeId = "../etc" }, ValidationCodes.InvalidId);
        Assert.Equal("$.tree_id", error.Path);
        Assert.Empty(Validate(Tree(T("a")) with { TreeId = "tree-1" }));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b")]
    [InlineData("")]
    [InlineData("x\u0001")]
    public void User_id_must_be_usable_as_a_storage_key(string userId) =>
        Assert.Equal("$.user_id", Only(Tree(T("a")) with { UserId = userId }, ValidationCodes.InvalidField).Path);

    [Fact]
    public void Lone_surrogates_are_not_a_user_id()
    {
        // Built in code: attribute arguments cannot carry lone surrogates (they arrive as U+FFFD).
        Assert.False(TreeValidator.IsValidUserId("x" + '\ud800'));
        Assert.False(TreeValidator.IsValidUserId('\udc00' + "x"));
        Assert.False(TreeValidator.IsValidUserId("a" + '\udc00' + '\ud800'));
        Assert.Equal("$.user_id", Only(Tree(T("a")) with { UserId = "x" + '\ud800' }, ValidationCodes.InvalidField).Path);
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("Zoë Smith")]
    [InlineData("sid:\ud83d\ude00")]
    public void User_ids_from_identity_providers_are_accepted(string userId) => Assert.True(TreeValidator.IsValidUserId(userId));

    [Fact]
    public void Duplicate_task_id_names_both_places()
    {
        var error = Only(Tree(T("a"), T("b"), T("a")), ValidationCodes.DuplicateTaskId);
        Assert.Equal("$.tasks[2].id", error.Path);
        Assert.Contains("$.tasks[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_dependency_names_task_and_missing_id()
    {
        var error = Only(Tree(T("a", Req("ghost"))), ValidationCodes.MissingDependency);
        Assert.Equal(("a", "ghost", "$.tasks[0].dependencies[0]"), (error.TaskId, error.RelatedId, error.Path));
        Assert.Contains("ghost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Self_dependency() => Assert.Equal("a", Only(Tree(T("a", Opt("a"))), ValidationCodes.SelfDependency).TaskId);

    [Fact]
    public void Repeated_dependency_is_an_invalid_field() =>
        Assert.Equal("$.tasks[1].dependencies[1]", Only(Tree(T("a"), T("b", Req("a"), Opt("a"))), ValidationCodes.InvalidField).Path);

    [Fact]
    public void Cycle_is_reported_as_an_ordered_closed_list()
    {
        // a -> b -> c -> a, plus an unrelated task.
        var error = Only(Tree(T("z"), T("a", Req("b")), T("b", Req("c")), T("c", Opt("a"))), ValidationCodes.CycleDetected);
        var cycle = error.Cycle!;
        Assert.Equal(4, cycle.Count);
        Assert.Equal(cycle[0], cycle[^1]);
        Assert.Equal(["a", "b", "c"], cycle.Take(3).Order());
        // Each id depends on the next one.
        var dependsOn = new Dictionary<string, string> { ["a"] = "b", ["b"] = "c", ["c"] = "a" };
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(dependsOn[cycle[i]], cycle[i + 1]);
        }
    }

    [Fact]
    public void Two_node_cycle()
    {
        var error = Only(Tree(T("a", Req("b")), T("b", Req("a"))), ValidationCodes.CycleDetected);
        Assert.Equal(3, error.Cycle!.Count);
    }

    [Fact]
    public void A_diamond_is_not_a_cycle() =>
        Assert.Empty(Validate(Tree(T("a"), T("b", Req("a")), T("c", Req("a")), T("d", Req("b"), Req("c")))));

    [Fact]
    public void Unknown_parent() =>
        Assert.Equal("nobody", Only(Tree(T("a") with { ParentId = "nobody" }), ValidationCodes.UnknownParent).RelatedId);

    [Fact]
    public void Parent_cycles_are_each_reported()
    {
        var errors = Validate(Tree(
            T("a") with { ParentId = "b" }, T("b") with { ParentId = "a" },
            T("c") with { ParentId = "c" },
            T("d") with { ParentId = "a" }));
        Assert.All(errors, e => Assert.Equal(ValidationCodes.ParentCycle, e.Code));
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Cycle!.SequenceEqual(["c", "c"]));
        Assert.Contains(errors, e => e.Cycle!.Count == 3 && e.Cycle[0] == e.Cycle[2]);
    }

    [Fact]
    public void Parents_may_form_a_forest_with_several_roots() =>
        Assert.Empty(Validate(Tree(T("a"), T("b") with { ParentId = "a" }, T("c"), T("d") with { ParentId = "c" })));

    [Fact]
    public void Unknown_executor_is_checked_against_the_registry()
    {
        var error = Only(Tree(T("a") with { Name = "ssh_executor" }), ValidationCodes.UnknownExecutor, Executors);
        Assert.Contains("rest_executor", error.Message, StringComparison.Ordinal);
        Assert.Empty(Validate(Tree(T("a") with { Name = "ssh_executor" })));
    }

    [Theory]
    [InlineData(-1, null, 3, 1.0, 1.0, null, "priority")]
    [InlineData(1, 0.0, 3, 1.0, 1.0, null, "timeout_seconds")]
    [InlineData(1, -5.0, 3, 1.0, 1.0, null, "timeout_seconds")]
    [InlineData(1, 700000.0, 3, 1.0, 1.0, null, "timeout_seconds")]
    [InlineData(1, null, 0, 1.0, 1.0, null, "retry.max_attempts")]
    [InlineData(1, null, 101, 1.0, 1.0, null, "retry.max_attempts")]
    [InlineData(1, null, 3, 0.0, 1.0, null, "retry.first_retry_interval_seconds")]
    [InlineData(1, null, 3, 1e-8, 1.0, null, "retry.first_retry_interval_seconds")] // rounds to 0 ticks: RetryPolicy throws
    [InlineData(1, null, 3, 0.0009, 1.0, null, "retry.first_retry_interval_seconds")]
    [InlineData(1, 0.5, 3, 1.0, 1.0, null, "timeout_seconds")] // under the durable timer's whole second
    [InlineData(1, 1e-8, 3, 1.0, 1.0, null, "timeout_seconds")]
    [InlineData(1, null, 3, 1.0, 0.5, null, "retry.backoff_coefficient")]
    [InlineData(1, null, 3, 10.0, 2.0, 5.0, "retry.max_retry_interval_seconds")]
    public void Field_rules_are_invalid_field_with_a_path(int priority, double? timeout, int attempts, double first, double backoff, double? max, string field)
    {
        var task = T("a") with { Priority = priority, TimeoutSeconds = timeout, Retry = new RetrySettings(attempts, first, backoff, max) };
        Assert.Equal($"$.tasks[0].{field}", Only(Tree(task), ValidationCodes.InvalidField).Path);
    }

    [Fact]
    public void The_smallest_retry_interval_and_timeout_are_accepted_and_make_a_retry_policy() =>
        Assert.Empty(Validate(Tree(T("a") with { TimeoutSeconds = TreeValidator.MinTimeoutSeconds, Retry = new RetrySettings(3, TreeValidator.MinRetryIntervalSeconds, 1, TreeValidator.MinRetryIntervalSeconds) })));

    [Fact]
    public void Negative_max_parallelism_is_an_invalid_field() =>
        Assert.Equal("$.max_parallelism", Only(Capped(-1, T("a")), ValidationCodes.InvalidField).Path);

    [Fact]
    public void Priority_zero_is_valid() => Assert.Empty(Validate(Tree(T("a", priority: 0))));

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var errors = Validate(Tree(
            T("a", Req("ghost")),
            T("a"),
            T("b", priority: -2, Req("b")),
            T("c bad"),
            T("d") with { Name = "nope", ParentId = "x" }), Executors);
        Assert.Equal(
            [ValidationCodes.DuplicateTaskId, ValidationCodes.InvalidId, ValidationCodes.MissingDependency, ValidationCodes.InvalidField, ValidationCodes.SelfDependency, ValidationCodes.UnknownExecutor, ValidationCodes.UnknownParent],
            errors.Select(e => e.Code));
    }

    [Fact]
    public void A_100000_task_chain_validates_without_recursion()
    {
        var tasks = new TaskDefinition[100_000];
        tasks[0] = T("t0");
        for (var i = 1; i < tasks.Length; i++)
        {
            tasks[i] = T($"t{i}", Req($"t{i - 1}")) with { ParentId = $"t{i - 1}" };
        }

        Assert.Empty(Validate(Tree(tasks), new ValidationOptions(MaxTasks: 100_000)));
    }

    [Fact]
    public void A_10000_node_cycle_is_found()
    {
        var tasks = Enumerable.Range(0, 10_000).Select(i => T($"t{i}", Req($"t{(i + 1) % 10_000}"))).ToArray();
        var error = Only(Tree(tasks), ValidationCodes.CycleDetected, new ValidationOptions(MaxTasks: 10_000));
        Assert.Equal(10_001, error.Cycle!.Count);
    }
}
