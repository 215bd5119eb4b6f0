using System.Globalization;
using System.Text;
using DurableFlow.Api;
using DurableFlow.Graph;
using DurableFlow.Storage;
using DurableFlow.Tests.Api;
using DurableFlow.Tests.Storage;

namespace DurableFlow.Tests.Reliability;

/// <summary>
/// Hostile submissions through the HTTP function (<see cref="TreeApiFunctions.SubmitTreeAsync"/>) with fake
/// requests: every case gets its 4xx with the specific code, never a 5xx, answers quickly, stores nothing
/// (each case gets a private table, which must stay absent or empty) and starts nothing.
/// </summary>
public sealed class HostileSubmissionTests(TableStorageFixture storage) : IClassFixture<TableStorageFixture>
{
    private const string Json = "application/json";

    /// <summary>One hostile request: what it sends and the answer it must get.</summary>
    public sealed record HostileCase(string Name, string? ContentType, byte[] Body, int Status, string Code, TreeApiOptions? Options = null);

    private static readonly List<HostileCase> All = Build();

    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var c in All)
            {
                names.Add(c.Name);
            }

            return names;
        }
    }

    private static byte[] U(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A one-task tree with <paramref name="extra"/> appended to the task object.</summary>
    private static string One(string extra = "", string id = "\"a\"") => $"{{\"tasks\":[{{\"id\":{id},\"name\":\"echo_executor\"{extra}}}]}}";

    /// <summary>A valid one-task tree with <paramref name="extra"/> appended to the tree object.</summary>
    private static string Top(string extra) => $"{{\"tasks\":[{{\"id\":\"a\",\"name\":\"echo_executor\"}}]{extra}}}";

    private static string Chain(int count, bool closeCycle)
    {
        var text = new StringBuilder("{\"tasks\":[");
        for (var i = 0; i < count; i++)
        {
            var next = i + 1 < count ? $"t{i + 1}" : closeCycle ? "t0" : null;
            text.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"id\":\"t{i}\",\"name\":\"echo_executor\"");
            text.Append(next is null ? "}" : $",\"dependencies\":[\"{next}\"]}}");
        }

        return text.Append("]}").ToString();
    }

    private static string ManyDependencies(int count)
    {
        var others = Enumerable.Range(0, count).Select(i => $"{{\"id\":\"d{i}\",\"name\":\"echo_executor\"}}");
        var deps = string.Join(',', Enumerable.Range(0, count).Select(i => $"\"d{i}\""));
        return $"{{\"tasks\":[{string.Join(',', others)},{{\"id\":\"hub\",\"name\":\"echo_executor\",\"dependencies\":[{deps}]}}]}}";
    }

    private static List<HostileCase> Build()
    {
        const string badJson = ValidationCodes.InvalidJson, badRequest = ValidationCodes.InvalidRequest;
        const string badId = ValidationCodes.InvalidId, badField = ValidationCodes.InvalidField;
        const string unsupported = ApiErrorCodes.UnsupportedMediaType;
        var bigId = new string('x', 200 * 1024);
        var cases = new List<HostileCase>
        {
            // ---- malformed JSON ----
            new("truncated", Json, U("{\"tasks\": ["), 400, badJson),
            new("not JSON at all", Json, U("hello"), 400, badJson),
            new("single quotes", Json, U("{'tasks': []}"), 400, badJson),
            new("trailing comma in array", Json, U("{\"tasks\":[{\"id\":\"a\",\"name\":\"echo_executor\"},]}"), 400, badJson),
            new("trailing comma in object", Json, U(One(",")), 400, badJson),
            new("line comment", Json, U("// a tree\n" + One()), 400, badJson),
            new("block comment", Json, U(One("/* c */")), 400, badJson),
            new("duplicate top-level key", Json, U("{\"tasks\":[],\"tasks\":[{\"id\":\"a\",\"name\":\"echo_executor\"}]}"), 400, badJson),
            new("duplicate task key", Json, U(One(",\"id\":\"b\"")), 400, badJson),
            new("two JSON values", Json, U(One() + " " + One()), 400, badJson),
            new("NaN literal", Json, U(One(",\"timeout_seconds\":NaN")), 400, badJson),
            new("raw NUL byte in a string", Json, U(One(id: "\"a\0b\"")), 400, badJson),
            new("invalid UTF-8 in a string value", Json, Concat(U("{\"tasks\":[{\"id\":\"a"), [0xC3, 0x28], U("\",\"name\":\"echo_executor\"}]}")), 400, badJson),
            new("invalid UTF-8 in a property name", Json, Concat(U("{\"tasks\":[{\"id\":\"a\",\"name\":\"echo_executor\",\""), [0xFF, 0xFE], U("\":1}]}")), 400, badJson),
            new("invalid UTF-8 in inputs", Json, Concat(U("{\"tasks\":[{\"id\":\"a\",\"name\":\"echo_executor\",\"inputs\":{\"text\":\""), [0xED, 0xA0, 0x80], U("\"}}]}")), 400, badJson),
            new("invalid UTF-8 in user_id", Json, Concat(U("{\"user_id\":\"u"), [0x80], U("\",\"tasks\":[{\"id\":\"a\",\"name\":\"echo_executor\"}]}")), 400, badJson),

            // ---- empty and non-object bodies ----
            new("no body", Json, [], 400, badJson),
            new("whitespace body", Json, U(" \r\n\t "), 400, badJson),
            new("null", Json, U("null"), 400, badRequest),
            new("empty array", Json, U("[]"), 400, badRequest),
            new("a string", Json, U("\"string\""), 400, badRequest),
            new("a number", Json, U("42"), 400, badRequest),

            // ---- content types ----
            new("no content type", null, U(One()), 415, unsupported),
            new("text/plain", "text/plain", U(One()), 415, unsupported),
            new("multipart form", "multipart/form-data; boundary=x", U(One()), 415, unsupported),
            new("application/xml", "application/xml", U(One()), 415, unsupported),
            new("UTF-16 charset", "application/json; charset=utf-16", U(One()), 415, unsupported),
            new("json-like subtype", "application/jsonx", U(One()), 415, unsupported),

            // ---- wrong types ----
            new("tasks is an object", Json, U("{\"tasks\":{\"id\":\"a\"}}"), 400, badRequest),
            new("tasks is a string", Json, U("{\"tasks\":\"a\"}"), 400, badRequest),
            new("a task is a string", Json, U("{\"tasks\":[\"a\"]}"), 400, badRequest),
            new("id is a number", Json, U(One(id: "1")), 400, badRequest),
            new("name is an array", Json, U("{\"tasks\":[{\"id\":\"a\",\"name\":[\"echo_executor\"]}]}"), 400, badRequest),
            new("inputs is an array", Json, U(One(",\"inputs\":[1]")), 400, badRequest),
            new("dependencies is a string", Json, U(One(",\"dependencies\":\"b\"")), 400, badRequest),
            new("a dependency is a number", Json, U(One(",\"dependencies\":[1]")), 400, badRequest),
            new("required is a string", Json, U("{\"tasks\":[{\"id\":\"a\",\"name\":\"echo_executor\"},{\"id\":\"b\",\"name\":\"echo_executor\",\"dependencies\":[{\"id\":\"a\",\"required\":\"yes\"}]}]}"), 400, badRequest),
            new("use_demo is a string", Json, U(Top(",\"use_demo\":\"true\"")), 400, badRequest),
            new("retry is a number", Json, U(One(",\"retry\":3")), 400, badRequest),

            // ---- missing and unknown fields ----
            new("no tasks field", Json, U("{\"tree_id\":\"t1\"}"), 400, badRequest),
            new("task without id", Json, U("{\"tasks\":[{\"name\":\"echo_executor\"}]}"), 400, badRequest),
            new("task without name", Json, U("{\"tasks\":[{\"id\":\"a\"}]}"), 400, badRequest),
            new("dependency object without id", Json, U(One(",\"dependencies\":[{\"required\":true}]")), 400, badRequest),
            new("retry without max_attempts", Json, U(One(",\"retry\":{\"backoff_coefficient\":2}")), 400, badRequest),
            new("misspelled field", Json, U(One(",\"dependecies\":[]")), 400, badRequest),
            new("no tasks", Json, U("{\"tasks\":[]}"), 400, ValidationCodes.EmptyTree),

            // ---- extreme sizes ----
            new("inputs nested past depth 64", Json, U(One(",\"inputs\":" + Nest(64))), 400, badJson),
            new("100,000 nested arrays", Json, U(new string('[', 100_000) + new string(']', 100_000)), 400, badJson),
            new("200 KB task id", Json, U(One(id: $"\"{bigId}\"")), 400, badId),
            new("200 KB tree_id", Json, U(Top($",\"tree_id\":\"{bigId}\"")), 400, badId),
            new("200 KB user_id", Json, U(Top($",\"user_id\":\"{bigId}\"")), 400, badField),
            new("100,000-task chain", Json, U(Chain(100_000, closeCycle: false)), 400, ValidationCodes.TooManyTasks),
            new("20,001 tasks", Json, U("{\"tasks\":[" + string.Join(',', Enumerable.Range(0, 20_001).Select(i => $"{{\"id\":\"t{i}\",\"name\":\"echo_executor\"}}")) + "]}"), 400, ValidationCodes.TooManyTasks),
            new("10,000-node cycle", Json, U(Chain(10_000, closeCycle: true)), 400, ValidationCodes.CycleDetected, new TreeApiOptions { MaxTasks = 20_000 }),
            new("1,001 dependencies", Json, U(ManyDependencies(1_001)), 400, ValidationCodes.TooManyDependencies),
            new("valid tree padded past 8 MiB", Json, U(One() + new string(' ', 8 * 1024 * 1024)), 413, ApiErrorCodes.PayloadTooLarge),

            // ---- odd ids ----
            new("task id with a slash", Json, U(One(id: "\"a/b\"")), 400, badId),
            new("tree_id with a slash", Json, U(Top(",\"tree_id\":\"a/b\"")), 400, badId),
            new("task id ..", Json, U(One(id: "\"..\"")), 400, badId),
            new("tree_id with a backslash", Json, U(Top(",\"tree_id\":\"a\\\\b\"")), 400, badId),
            new("task id with a control character", Json, U(One(id: "\"a\\u0001b\"")), 400, badId),
            new("tree_id with a newline", Json, U(Top(",\"tree_id\":\"a\\nb\"")), 400, badId),
            new("task id with Cyrillic a", Json, U(One(id: "\"t\u0430sk\"")), 400, badId),
            new("tree_id with a zero-width space", Json, U(Top(",\"tree_id\":\"tree\u200B1\"")), 400, badId),
            new("task id with an RTL override", Json, U(One(id: "\"abc\u202Etxt.exe\"")), 400, badId),
            new("task id emoji", Json, U(One(id: "\"\U0001F680\"")), 400, badId),
            new("task id of 129 characters", Json, U(One(id: $"\"{new string('a', 129)}\"")), 400, badId),
            new("empty task id", Json, U(One(id: "\"\"")), 400, badId),
            new("task id with a lone surrogate escape", Json, U(One(id: "\"a\\ud800\"")), 400, badJson),
            new("lone surrogate escape in an inputs value", Json, U(One(",\"inputs\":{\"text\":\"\\udfff\"}")), 400, badJson),
            new("lone surrogate escape in an inputs key", Json, U(One(",\"inputs\":{\"\\ud83d\":1}")), 400, badJson),
            new("lone high surrogate escape ending a task id", Json, U(One(id: "\"a\\ud83d\"")), 400, badJson),
            new("user_id with a slash", Json, U(Top(",\"user_id\":\"a/b\"")), 400, badField),
            new("user_id with a lone surrogate escape", Json, U(Top(",\"user_id\":\"u\\udc00\"")), 400, badJson),
            new("user_id with an escaped surrogate pair", Json, U(Top(",\"user_id\":\"\\ud83d\\ude80/x\"")), 400, badField),
            new("dependency on a path-like id", Json, U(One(",\"dependencies\":[\"../a\"]")), 400, ValidationCodes.MissingDependency),

            // ---- numbers ----
            new("priority 1e400", Json, U(One(",\"priority\":1e400")), 400, badRequest),
            new("priority 2147483648", Json, U(One(",\"priority\":2147483648")), 400, badRequest),
            new("priority NaN as a string", Json, U(One(",\"priority\":\"NaN\"")), 400, badRequest),
            new("priority 1.5", Json, U(One(",\"priority\":1.5")), 400, badRequest),
            new("priority -1", Json, U(One(",\"priority\":-1")), 400, badField),
            new("max_parallelism 1e20", Json, U(Top(",\"max_parallelism\":100000000000000000000")), 400, badRequest),
            new("max_parallelism -1", Json, U(Top(",\"max_parallelism\":-1")), 400, badField),
            new("timeout 0", Json, U(One(",\"timeout_seconds\":0")), 400, badField),
            new("timeout -1", Json, U(One(",\"timeout_seconds\":-1")), 400, badField),
            new("timeout 1e308", Json, U(One(",\"timeout_seconds\":1e308")), 400, badField),
            new("timeout 1e400", Json, U(One(",\"timeout_seconds\":1e400")), 400, badRequest),
            new("timeout Infinity as a string", Json, U(One(",\"timeout_seconds\":\"Infinity\"")), 400, badRequest),
            new("retry max_attempts 0", Json, U(One(",\"retry\":{\"max_attempts\":0}")), 400, badField),
            new("retry max_attempts 101", Json, U(One(",\"retry\":{\"max_attempts\":101}")), 400, badField),
            new("retry backoff 1e308", Json, U(One(",\"retry\":{\"max_attempts\":2,\"backoff_coefficient\":1e308}")), 400, badField),
        };

        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
        return cases;
    }

    /// <summary><paramref name="depth"/> nested arrays inside an object: with the tree's own object, task
    /// array, task object and inputs object it is deeper than <see cref="TreeJson.MaxDepth"/>.</summary>
    private static string Nest(int depth) => "{\"x\":" + new string('[', depth) + new string(']', depth) + "}";

    [Theory]
    [MemberData(nameof(Names))]
    public async Task A_hostile_submission_gets_its_4xx_code_and_stores_and_starts_nothing(string name)
    {
        var c = All.Single(x => x.Name == name);
        var table = "t" + Guid.NewGuid().ToString("N");
        var h = new ApiHarness(new TableTreeIndex(storage.Service ?? throw new InvalidOperationException($"{TableStorageFixture.Variable} is not set: run ./test.sh"), table), c.Options);
        var functions = new TreeApiFunctions(h.Api);
        var request = ApiHarness.Request("POST", contentType: c.ContentType, bodyStream: new MemoryStream(c.Body));
        request.ContentLength = c.Body.Length;

        var response = await ApiHarness.RunAsync(functions.SubmitTreeAsync(request, h.Client.Object, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.InRange(response.Status, 400, 499);
        Assert.Equal((c.Status, c.Code), (response.Status, response.ErrorCode));
        Assert.False(string.IsNullOrWhiteSpace(response.Body.GetProperty("error").GetProperty("message").GetString()));
        Assert.DoesNotContain("   at ", response.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, h.ScheduleCalls);
        Assert.Empty(h.Started);
        var tables = storage.Service!.Query(filter: $"TableName eq '{table}'").ToList();
        if (tables.Count > 0)
        {
            Assert.Empty(storage.Service.GetTableClient(table).Query<Azure.Data.Tables.TableEntity>().ToList());
            await storage.Service.DeleteTableAsync(table);
        }
    }

    [Fact]
    public void The_case_table_covers_at_least_forty_distinct_cases()
    {
        Assert.True(All.Count >= 40, $"{All.Count} cases");
        Assert.Equal(All.Count, All.Select(c => Convert.ToBase64String(c.Body) + "|" + c.ContentType).Distinct().Count());
    }

    /// <summary>Edge inputs that are not hostile and are accepted: a UTF-8 BOM (RFC 8259 lets a parser
    /// ignore it), <c>-0</c> (the number 0) and the largest <c>max_parallelism</c>.</summary>
    [Theory]
    [InlineData("BOM-prefixed JSON")]
    [InlineData("priority -0")]
    [InlineData("max_parallelism int.MaxValue")]
    public async Task Edge_inputs_that_are_fine_are_accepted_once(string name)
    {
        var id = Entries.NewTreeId();
        var body = name switch
        {
            "BOM-prefixed JSON" => Concat([0xEF, 0xBB, 0xBF], U(ApiHarness.Tree(id))),
            "priority -0" => U($"{{\"tree_id\":\"{id}\",\"tasks\":[{{\"id\":\"a\",\"name\":\"echo_executor\",\"priority\":-0}}]}}"),
            _ => U($"{{\"tree_id\":\"{id}\",\"max_parallelism\":2147483647,\"tasks\":[{{\"id\":\"a\",\"name\":\"echo_executor\"}}]}}"),
        };
        var h = new ApiHarness(storage.CreateIndex());
        var request = ApiHarness.Request("POST", bodyStream: new MemoryStream(body));
        var response = await ApiHarness.RunAsync(new TreeApiFunctions(h.Api).SubmitTreeAsync(request, h.Client.Object, CancellationToken.None));

        Assert.Equal(202, response.Status);
        Assert.Equal(1, h.ScheduleCalls);
        Assert.NotNull(await h.Index.GetAsync(id));
        if (name == "priority -0")
        {
            Assert.Equal(0, h.Started[id].Tree.Tasks[0].Priority);
        }
    }
}
