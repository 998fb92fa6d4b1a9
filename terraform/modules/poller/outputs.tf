output "function_name" {
  description = "Name of the poller function."
  value       = aws_lambda_function.poller.function_name
}

output "function_arn" {
  description = "ARN of the poller function."
  value       = aws_lambda_function.poller.arn
}

output "failure_queue_name" {
  description = "SQS queue receiving failed invocations and undeliverable schedule events."
  value       = aws_sqs_queue.failures.name
}

output "schedule_name" {
  description = "EventBridge Scheduler schedule name."
  value       = aws_scheduler_schedule.poller.name
}
