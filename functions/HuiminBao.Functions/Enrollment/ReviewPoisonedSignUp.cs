using HuiminBao.Queues;
using HuiminBao.Reviews;
using HuiminBao.SignUps;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions.Enrollment;

public sealed class ReviewPoisonedSignUp(SignUpPoisonReview review)
{
    [Function(nameof(ReviewPoisonedSignUp))]
    public Task Run([QueueTrigger(QueueNames.SignUpsPoison)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        review.HandleAsync(QueueMessages.Read(message, SignUpJson.Default.SignUpBatch), QueueDeliveries.From(context), cancellationToken);
}
