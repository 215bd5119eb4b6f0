using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Graph;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DurableFlow.Api;

/// <summary><c>{"error": {...}}</c>.</summary>
public sealed record ErrorEnvelope(ErrorBody Error);
