using DurableFlow.Api;
using DurableFlow.Executors;
using DurableFlow.Orchestration;
using DurableFlow.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

builder.Services.AddTaskExecutors(builder.Configuration);
builder.Services.AddTreeIndex(builder.Configuration);
builder.Services.Configure<TaskRunnerOptions>(builder.Configuration.GetSection("Tasks"));
builder.Services.AddSingleton<TaskRunner>();
builder.Services.AddSingleton<ITreeOutcomeRecorder, TreeIndexOutcomeRecorder>();
builder.Services.AddTreeApi(builder.Configuration);

builder.Build().Run();
