using HuiminBao.Enrollment;
using HuiminBao.Queues;
using HuiminBao.SignUps;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Enrollment;

public sealed class ValidateSignUp(SignUpValidation validation)
{
    [Function(nameof(ValidateSignUp))]
    public Task Run([QueueTrigger(QueueNames.SignUps)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        validation.HandleAsync(QueueMessages.Read(message, SignUpJson.Default.SignUpBatch), QueueDeliveries.From(context), cancellationToken);
}
