// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `Engine`: runs executions of compiled state machines inside the host's process
// (DESIGN.md section 4). The host starts executions, then steps them: `step(budget)` advances
// every runnable part until it blocks (on a task, a timer or its children) or the budget is
// spent; `run()` steps to completion, sleeping on a real clock or jumping a virtual one.
#ifndef STEPWISE_ENGINE_H_
#define STEPWISE_ENGINE_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/clock.h"
#include "stepwise/errors.h"
#include "stepwise/export.h"
#include "stepwise/history.h"
#include "stepwise/state_machine.h"
#include "stepwise/status.h"
#include "stepwise/task_executor.h"

namespace stepwise {

// Execution statuses, as AWS's DescribeExecution names them. Values are persisted; do not
// renumber.
enum class ExecutionStatus : std::uint8_t {
  kRunning = 0,
  kSucceeded = 1,
  kFailed = 2,
  kTimedOut = 3,
  kAborted = 4,
};

// "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT" or "ABORTED".
STEPWISE_EXPORT std::string_view execution_status_name(ExecutionStatus status);

struct EngineOptions {
  // --- Behaviour ---
  // Does the work of Task states. Default: none (every Task fails with States.TaskFailed,
  // cause "no task executor is configured").
  std::shared_ptr<TaskExecutor> task_executor;
  // Time source. Default: a `SystemClock`.
  std::shared_ptr<Clock> clock;
  // Receive every history event as it is recorded. Default: none.
  std::vector<std::shared_ptr<HistoryListener>> history_listeners;
  // Seed of each execution's random source (jitter, States.MathRandom without a seed,
  // States.UUID, task tokens); execution k uses seed + k. Default: 0.
  std::uint64_t random_seed = 0;
  // Used to build ARNs in the context object and history.
  // Default: "aws", "us-east-1", "111111111111".
  std::string partition = "aws";
  std::string region = "us-east-1";
  std::string account = "111111111111";
  // `$$.Execution.RoleArn`. Default: "arn:aws:iam::111111111111:role/stepwise".
  std::string role_arn = "arn:aws:iam::111111111111:role/stepwise";

  // --- Limits (AWS's defaults) ---
  // Largest state input/output and task result, in bytes of compact JSON
  // (States.DataLimitExceeded). Default: 262,144 (256 KiB).
  std::size_t max_payload_bytes = 256 * 1024;
  // Most history events per Standard execution; reaching it fails the execution with
  // States.Runtime, as on AWS. Express executions have no limit (an infinite loop there is
  // bounded by the machine's TimeoutSeconds or the host's `stop`).
  // Default: 25,000.
  std::size_t max_history_events = 25000;
  // Upper bound on concurrent Map iterations when MaxConcurrency is 0 (unbounded).
  // Default: 0 (no bound).
  std::size_t max_map_concurrency = 0;
};

// Options of one execution.
struct StartOptions {
  // Execution name (`$$.Execution.Name`). Default: generated, "execution-<n>".
  std::string name;
  // The machine's name (`$$.StateMachine.Name`). Default: "stepwise".
  std::string state_machine_name = "stepwise";
  // EXPRESS semantics (5-minute maximum Wait). Default: false (STANDARD).
  bool express = false;
  // A synchronous Express execution (AWS's StartSyncExecution): its context object has no
  // `Execution.RedriveCount`, since it can never be redriven. Implies `express`.
  // Default: false.
  bool synchronous = false;
  // Record history events (listeners still get them when false? no: nothing is recorded).
  // Default: true.
  bool record_history = true;
};

// How much one `step` may do.
struct StepBudget {
  // Most state transitions (states entered, retries included). Default: unbounded.
  std::size_t max_transitions = std::numeric_limits<std::size_t>::max();
  // Clock time after which `step` returns at the next transition boundary; 0 = none.
  std::int64_t deadline = 0;
};

// What one `step` did.
struct StepReport {
  std::size_t transitions = 0;
  // Executions still running after the step.
  std::size_t running = 0;
  // True when runnable work remains (the budget ran out before everything blocked).
  bool runnable = false;
  // Earliest timer deadline among blocked executions (Wait, backoff, timeouts), if any.
  std::optional<std::int64_t> next_deadline;
};

using ExecutionId = std::uint64_t;

// The end state of an execution.
struct ExecutionResult {
  ExecutionStatus status = ExecutionStatus::kRunning;
  nlohmann::json output;  // SUCCEEDED only
  std::optional<std::string> error;
  std::optional<std::string> cause;

  // {"status":"SUCCEEDED","output":...} or {"status":"FAILED","error":...,"cause":...}.
  nlohmann::json to_json() const;
};

// Runs executions. Many executions per engine, many engines per process; no global state.
//
// Not thread-safe: use from one thread at a time, except `send_task_*` and completions handed
// to executors, which may be called from any thread.
//
//   EngineOptions options;
//   options.task_executor = std::make_shared<FunctionExecutor>([](const json& in) { return in; });
//   Engine engine(std::move(options));
//   ExecutionResult r = engine.run(machine, nlohmann::json::object());
class STEPWISE_EXPORT Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Creates an execution; nothing runs until `step` or `run`. Fails with kInvalidArgument when
  // `machine` is null or an execution with that name is running.
  Result<ExecutionId> start(std::shared_ptr<const StateMachine> machine, nlohmann::json input,
                            StartOptions options = {});

  // Advances every runnable execution within `budget`.
  StepReport step(StepBudget budget = {});

  // Steps until execution `id` ends, waiting on the clock when everything is blocked. Returns
  // its result; a non-OK status for an unknown id.
  Result<ExecutionResult> run(ExecutionId id);
  // Starts and runs one execution to its end.
  ExecutionResult run(std::shared_ptr<const StateMachine> machine, nlohmann::json input,
                      StartOptions options = {});
  // Steps until no execution is running.
  void run_all();

  // Aborts a running execution (ExecutionAborted with `error`/`cause`), cancelling its tasks.
  Status stop(ExecutionId id, std::string error = "", std::string cause = "");

  // Accessors. Fail with kNotFound for an unknown id.
  Result<ExecutionStatus> status(ExecutionId id) const;
  Result<ExecutionResult> result(ExecutionId id) const;
  // The history so far; valid until the next call that steps the engine.
  Result<const std::vector<HistoryEvent>*> history(ExecutionId id) const;

  // Forgets a finished execution and its history. kFailedPrecondition while it runs.
  Status release(ExecutionId id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepwise

#endif  // STEPWISE_ENGINE_H_
