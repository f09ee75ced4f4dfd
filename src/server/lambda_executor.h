// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Lambda tasks through the Lambda Invoke API of a local endpoint (`--lambda-endpoint URL`, what
// `sam local start-lambda` serves): `arn:aws:states:::lambda:invoke` (the optimized
// integration: FunctionName, Payload, Qualifier; the answer's shape with StatusCode, Payload and
// ExecutedVersion) and `arn:aws:lambda:REGION:ACCOUNT:function:NAME` (the legacy resource: the
// function's result as the task's). A function error (X-Amz-Function-Error) fails the task with
// the function's errorType (Lambda.Unknown without one) and its error document as the cause.
// Invocations run on a few threads of the executor's own, never on the engine's.
#ifndef STEPWISE_SERVER_LAMBDA_EXECUTOR_H_
#define STEPWISE_SERVER_LAMBDA_EXECUTOR_H_

#include <memory>
#include <string>

#include "stepwise/task_executor.h"

namespace stepwise::internal {

// True for the resources the Lambda executor serves.
bool is_lambda_resource(std::string_view resource);

// An executor that invokes functions at `endpoint` ("http://127.0.0.1:3001"), `threads` at once.
std::shared_ptr<TaskExecutor> make_lambda_executor(const std::string& endpoint, int threads);

}  // namespace stepwise::internal

#endif  // STEPWISE_SERVER_LAMBDA_EXECUTOR_H_
