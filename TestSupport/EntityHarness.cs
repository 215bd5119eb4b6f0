using DurableFlow.Status;
using Microsoft.DurableTask.Entities;
using Moq;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Status;

/// <summary>
/// Runs operations on a real entity (<see cref="TreeStatusEntity"/> unless told otherwise) through <c>RunAsync</c> with a mocked
/// <see cref="TaskEntityOperation"/>, keeping the entity's state between operations as Durable would.
/// </summary>
internal sealed class EntityHarness(Func<ITaskEntity>? create = null)
{
    public object? State { get; private set; }

    public TreeStatusStateV1? Tree => State as TreeStatusStateV1;

    public async Task<object?> RunAsync(string operation, object? input = null)
    {
        var state = new Mock<TaskEntityState>();
        state.SetupGet(s => s.HasState).Returns(() => State is not null);
        state.Setup(s => s.GetState(It.IsAny<Type>())).Returns(() => State);
        state.Setup(s => s.SetState(It.IsAny<object?>())).Callback<object?>(value => State = value);

        var op = new Mock<TaskEntityOperation>();
        op.SetupGet(o => o.Name).Returns(operation);
        op.SetupGet(o => o.HasInput).Returns(input is not null);
        op.Setup(o => o.GetInput(It.IsAny<Type>())).Returns(input);
        op.SetupGet(o => o.State).Returns(state.Object);
        op.SetupGet(o => o.Context).Returns(Mock.Of<TaskEntityContext>());

        return await (create?.Invoke() ?? new TreeStatusEntity()).RunAsync(op.Object);
    }
}
