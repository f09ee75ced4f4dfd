// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `Engine`: runs executions of compiled state machines inside the host's process (docs/guide.md
// sections 4 and 5). The host starts executions, then steps them: `step(budget)` advances every
// runnable part until it blocks (on a task, a timer or its children) or the budget is spent;
// `run()` steps to completion, sleeping on a real clock or jumping a virtual one.
#ifndef STEPWISE_ENGINE_H_
#define STEPWISE_ENGINE_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/checkpoint.h"
#include "stepwise/clock.h"
#include "stepwise/errors.h"
#include "stepwise/export.h"
#include "stepwise/history.h"
#include "stepwise/object_store.h"
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
  // Not an AWS status: this engine stopped advancing the execution because its checkpoint
  // could not be written (the result's cause says why). The store still holds the last
  // commit; `Engine::resume` on a healthy store continues from there.
  kSuspended = 5,
};

// "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED" or "SUSPENDED".
STEPWISE_EXPORT std::string_view execution_status_name(ExecutionStatus status);

struct EngineOptions {
  // --- Behaviour ---
  // Does the work of Task states. Default: none (every Task fails with States.TaskFailed,
  // cause "no task executor is configured").
  std::shared_ptr<TaskExecutor> task_executor;
  // Time source. Default: a `SystemClock`.
  std::shared_ptr<Clock> clock;
  // Where Standard executions are checkpointed (docs/checkpoints.md). With a store, every
  // Standard execution commits its progress at each step and can be resumed after a crash
  // (`resume`) or redriven (`redrive`); Express executions never touch it. Default: none
  // (nothing is persisted).
  std::shared_ptr<CheckpointStore> checkpoint_store;
  // Where a Distributed Map's ItemReader and ResultWriter find the S3 buckets they name
  // (`arn:aws:states:::s3:getObject`, `...:s3:listObjectsV2`, `...:s3:putObject`); see
  // `LocalObjectStore` (stepwise/local_object_store.h, stepwise::tools) for buckets that are
  // local directories. Default: none (such a Map fails with States.ItemReaderFailed or
  // States.ResultWriterFailed, cause "no object store is configured").
  std::shared_ptr<ObjectStore> object_store;
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
  // Deepest nesting of arrays and objects in a payload: the execution input (a deeper one fails
  // `start` with kInvalidArgument), task results and `send_task_success` outputs (the task
  // fails with States.DataLimitExceeded, cause "The task result is nested deeper than the
  // maximum of 1000 levels."), state results (States.DataLimitExceeded, "The state/task 'X'
  // returned a result with a nesting depth exceeding the maximum of 1000 levels."), JSON built
  // by JSONata's `$parse`, and checkpoint records read back (kDataLoss). AWS publishes no such
  // limit; copying, comparing and serializing JSON recurse once per level, so this bounds the
  // stack they use (about 1.3 KiB per level in an ASan build). 0 means no limit.
  // Default: 1,000 (Jackson's default, which AWS's Java services parse with).
  std::size_t max_payload_depth = 1000;
  // Limits of each JSONata evaluation in JSONata states (`jsonata::EvaluateOptions`): nesting
  // depth and evaluation steps. A runaway expression fails the state with
  // States.QueryEvaluationError, cause "... threw an error during evaluation. U1001: Stack
  // overflow error: ..." or "... U1001: Expression evaluation timeout: Check for infinite
  // loop". Default: 1,000 (also the most allowed) and 10,000,000 (`jsonata::EvaluateOptions`'s
  // defaults).
  int jsonata_max_depth = 1000;
  std::uint64_t jsonata_max_steps = 10'000'000;
  // Most history events per Standard execution; reaching it fails the execution with
  // States.Runtime, as on AWS. Express executions have no limit (an infinite loop there is
  // bounded by the machine's TimeoutSeconds or the host's `stop`).
  // Default: 25,000.
  std::size_t max_history_events = 25000;
  // Upper bound on concurrent Map iterations when MaxConcurrency is 0 (unbounded).
  // Default: 0 (no bound; a Distributed Map then runs up to 10,000 children at once, as AWS).
  std::size_t max_map_concurrency = 0;
  // Child executions of Distributed Maps whose histories are kept per Map Run (see
  // `MapRunDescription::children`); later children are counted but not kept, so a Map of
  // millions of items stays bounded in memory. Default: 1,000.
  std::size_t max_recorded_child_executions = 1000;
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
  // Keep the execution's history events in the engine. When false, `Engine::history` returns
  // no events for it, while the `EngineOptions::history_listeners` still receive every event
  // of its own history as it happens (same ids and details as when kept); the child
  // executions of its Distributed Maps record no events and their listeners get none of them.
  // When true, listeners receive those child events too (named by the child's execution ARN,
  // for the children `max_recorded_child_executions` keeps). Default: true.
  bool record_history = true;
};

// Item or child-execution counts of a Map Run, as AWS's DescribeMapRun reports them.
struct MapRunCounts {
  std::int64_t pending = 0;
  std::int64_t running = 0;
  std::int64_t succeeded = 0;
  std::int64_t failed = 0;
  std::int64_t timed_out = 0;
  std::int64_t aborted = 0;
  std::int64_t total = 0;
  std::int64_t results_written = 0;
};

// One Map Run of a Distributed Map (AWS's DescribeMapRun): every time a Distributed Map state
// starts its children (a retry starts a new run).
struct MapRunDescription {
  std::string
      map_run_arn;  // arn:<partition>:states:<region>:<account>:mapRun:<machine>/<label>:<id>
  std::string execution_arn;       // the parent execution
  std::string status = "RUNNING";  // RUNNING, SUCCEEDED, FAILED or ABORTED
  std::int64_t start_date = 0;     // nanoseconds since the epoch (engine clock)
  std::int64_t stop_date = 0;      // 0 while running
  std::int64_t max_concurrency = 0;
  double tolerated_failure_percentage = 0;
  std::int64_t tolerated_failure_count = 0;
  MapRunCounts item_counts;
  MapRunCounts execution_counts;
  // Child executions: ARN and status, in start order (kept only while the parent records
  // history, and at most `EngineOptions::max_recorded_child_executions` of them).
  struct Child {
    std::string execution_arn;
    std::string status;
    History history;  // the child execution's own history
  };
  std::vector<Child> children;

  // DescribeMapRun's JSON shape (mapRunArn, executionArn, status, startDate, stopDate,
  // maxConcurrency, toleratedFailurePercentage, toleratedFailureCount, itemCounts,
  // executionCounts).
  nlohmann::json to_json() const;
};

// One activity task handed to a worker by `Engine::get_activity_task` (AWS's
// GetActivityTask).
struct ActivityTask {
  std::string task_token;
  nlohmann::json input;
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
//   Result<ExecutionResult> r = engine.run(machine, nlohmann::json::object());
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
  // Starts one execution, runs it to its end and releases it: the engine keeps nothing of it
  // afterwards (not its result, not its history), so a host that calls this in a loop holds
  // constant memory. A durable execution stays in the checkpoint store. Host mistakes come
  // back as a status, never as a workflow failure: kInvalidArgument for a null `machine`, an
  // input that cannot be written as JSON or exceeds the limits, or the name of a running
  // execution; kInternal when the execution blocks with nothing to wait for (it is stopped and
  // released). To read the history of a run, use `start`, `run(id)` and `history(id)`.
  Result<ExecutionResult> run(std::shared_ptr<const StateMachine> machine, nlohmann::json input,
                              StartOptions options = {});
  // Steps until no execution is running.
  void run_all();

  // The executions this engine holds: running ones, and finished ones not yet taken
  // (`take`) or released (`release`).
  std::size_t execution_count() const;

  // Continues execution `name` from its last checkpoint in `EngineOptions::checkpoint_store`
  // (after a crash or in another process). `machine` must be the definition the execution
  // started with (same fingerprint; kFailedPrecondition otherwise); null loads the definition
  // stored with the checkpoint. Tasks dispatched but not completed are dispatched again with
  // their original task token and attempt; timers keep their original deadlines. A finished
  // execution is loaded as it ended (status, result and history available). kNotFound when
  // the store has no such execution, kFailedPrecondition without a store or when the
  // execution is already loaded in this engine and running.
  Result<ExecutionId> resume(std::string_view name,
                             std::shared_ptr<const StateMachine> machine = nullptr);

  // AWS's RedriveExecution: restarts a FAILED, ABORTED or TIMED_OUT Standard execution from
  // the states that did not succeed (succeeded Parallel branches and Map iterations are not
  // run again). Increments `$$.Execution.RedriveCount` and appends ExecutionRedriven. Works on
  // an execution held by this engine or, with a store, on a stored one (loaded first).
  // kFailedPrecondition when the execution succeeded, is running, or is Express.
  Result<ExecutionId> redrive(std::string_view name,
                              std::shared_ptr<const StateMachine> machine = nullptr);

  // AWS's SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat: complete or keep alive the
  // task (callback `.waitForTaskToken` task, activity, or any task in flight) whose token is
  // `task_token`. Thread-safe: may be called from any thread, also while another thread
  // steps. kNotFound ("Task Token is invalid or the task is no longer running") when no task
  // in flight has that token.
  Status send_task_success(std::string_view task_token, nlohmann::json output);
  Status send_task_failure(std::string_view task_token, std::string error = "",
                           std::string cause = "");
  Status send_task_heartbeat(std::string_view task_token);

  // AWS's GetActivityTask: the oldest scheduled task of activity `activity_arn`
  // (`arn:aws:states:REGION:ACCOUNT:activity:NAME`), or nullopt when none is waiting (this
  // call does not block). The worker answers with `send_task_*`. Thread-safe.
  std::optional<ActivityTask> get_activity_task(std::string_view activity_arn,
                                                std::string_view worker_name = "");

  // The id of the execution named `name` held by this engine, if any.
  std::optional<ExecutionId> find(std::string_view name) const;

  // Aborts a running execution (ExecutionAborted with `error`/`cause`), cancelling its tasks.
  Status stop(ExecutionId id, std::string error = "", std::string cause = "");

  // Accessors. Fail with kNotFound for an unknown id.
  Result<ExecutionStatus> status(ExecutionId id) const;
  Result<ExecutionResult> result(ExecutionId id) const;
  // The history so far; valid until the next call that steps the engine.
  Result<const History*> history(ExecutionId id) const;

  // AWS's ListMapRuns / DescribeMapRun: the Map Runs started by execution `id` (in start
  // order), or the one whose ARN is `map_run_arn` in any execution held by this engine.
  // kNotFound for an unknown id or ARN.
  Result<std::vector<MapRunDescription>> list_map_runs(ExecutionId id) const;
  Result<MapRunDescription> describe_map_run(std::string_view map_run_arn) const;

  // Forgets a finished execution and its history. kFailedPrecondition while it runs.
  Status release(ExecutionId id);
  // `result(id)` then `release(id)`, with the output moved out rather than copied (a Map's
  // output can be megabytes). kFailedPrecondition while the execution runs.
  Result<ExecutionResult> take(ExecutionId id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepwise

#endif  // STEPWISE_ENGINE_H_
