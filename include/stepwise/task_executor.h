// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Task executors: the plug-in point where host code does a Task state's work (docs/guide.md
// section 3). The engine hands each Task attempt to an executor with a `TaskRequest` and a
// `TaskCompletion`; the executor completes it synchronously inside `start` (the fast path) or
// later from any thread.
#ifndef STEPWISE_TASK_EXECUTOR_H_
#define STEPWISE_TASK_EXECUTOR_H_

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/export.h"

namespace stepwise {

namespace internal {
struct CompletionSlot;
struct TaskSource;
}  // namespace internal

// What one Task attempt asks of an executor. Valid only during `TaskExecutor::start`; copy what
// must outlive the call.
struct TaskRequest {
  std::string_view resource;  // the Task's `Resource`, e.g. "arn:aws:states:::lambda:invoke"
  const nlohmann::json* input = nullptr;  // the effective input (after InputPath/Parameters)
  std::string_view state_name;
  std::string_view execution_name;
  int attempt = 0;              // 0 on the first attempt, +1 per retry
  std::string_view task_token;  // unique per attempt; `$$.Task.Token`
  std::int64_t deadline = 0;    // TimeoutSeconds expiry (ns since epoch), 0 when none

  // The effective input by value, for an executor that keeps or returns it (an echo, a
  // forwarder): moved out when the engine will not need it again, copied otherwise. The engine
  // needs it again for a Retry, a JSONata state, a checkpointed (durable) execution, or a
  // ResultPath (of the state or of a Catch) that merges into the input. After a move, `input`
  // points at null. Call it at most once per request.
  nlohmann::json take_input() const;

  // The context object (`$$`) as the Task's paths see it. Built on first call, since most
  // executors never read it; an empty object in a request built by hand (an executor's own
  // tests), which has no engine behind it.
  const nlohmann::json& context() const;

 private:
  friend struct internal::TaskSource;
  // Where `context()` and `take_input()` read from: set by the engine for the duration of
  // `start`, null in a request built by hand.
  const internal::TaskSource* source_ = nullptr;
};

// The one-shot answer to a `TaskRequest`. Copyable; all copies share one completion, and only
// the first call among `succeed`/`fail` counts (later ones, and calls after a timeout or
// cancellation, are ignored). Thread-safe: all methods may be called concurrently, from any
// thread, also after the engine is destroyed (then they do nothing).
class STEPWISE_EXPORT TaskCompletion {
 public:
  explicit TaskCompletion(std::shared_ptr<internal::CompletionSlot> slot)
      : slot_(std::move(slot)) {}

  // The task succeeded with `output` as its raw result.
  void succeed(nlohmann::json output) const;
  // The task failed with ASL error `error` (e.g. "Lambda.Unknown") and `cause`.
  void fail(std::string error, std::string cause) const;
  // Resets the HeartbeatSeconds timer.
  void heartbeat() const;
  // Declares that the task's work runs in real time (a process, a worker thread), not in the
  // engine's time. Under a virtual clock (`Clock::is_virtual`, e.g. `ManualClock`),
  // `Engine::run` and `Engine::run_all` then let time pass as on the wall clock while such a
  // task is in flight, so its TimeoutSeconds and HeartbeatSeconds are enforced in real
  // seconds, and jump the clock again once none is. Tasks not marked (a callback answered
  // through `Engine::send_task_*`, a test double that never completes) let the clock jump to
  // their deadlines at once. Call it inside `TaskExecutor::start`, before completing; it has
  // no effect on a real clock or on a task completed inside `start`.
  void mark_real_time() const;
  // The task token this completion answers.
  const std::string& task_token() const;

 private:
  std::shared_ptr<internal::CompletionSlot> slot_;
};

// Does the work of Task states.
//
// Host interface. The engine calls `start` on the thread that calls `step()`, never
// concurrently for one engine; the `completion` may be invoked once, from any thread, before or
// after `start` returns. An exception thrown from `start` fails the task with
// States.TaskFailed and `what()` as cause. `cancel` is called on the stepping thread when the
// engine gives up on a task (timeout, a sibling branch failed, the execution stopped); a later
// completion is ignored.
class STEPWISE_EXPORT TaskExecutor {
 public:
  virtual ~TaskExecutor() = default;
  TaskExecutor() = default;
  TaskExecutor(const TaskExecutor&) = delete;  // an interface: share executors by pointer
  TaskExecutor& operator=(const TaskExecutor&) = delete;
  virtual void start(const TaskRequest& request, TaskCompletion completion) = 0;
  virtual void cancel(std::string_view task_token) { (void)task_token; }
};

// Adapts a plain function `json(const json& input)` that runs on the stepping thread.
// A thrown exception becomes States.TaskFailed; a thrown `TaskError` becomes its error/cause.
// Thread-safe if the function is.
class STEPWISE_EXPORT FunctionExecutor final : public TaskExecutor {
 public:
  using Function = std::function<nlohmann::json(const nlohmann::json& input)>;
  explicit FunctionExecutor(Function fn) : fn_(std::move(fn)) {}
  void start(const TaskRequest& request, TaskCompletion completion) override;

 private:
  Function fn_;
};

// An exception host functions may throw to fail a task with a specific ASL error name.
class STEPWISE_EXPORT TaskError : public std::runtime_error {
 public:
  TaskError(std::string error, std::string cause)
      : std::runtime_error(cause), error_(std::move(error)), cause_(std::move(cause)) {}
  const std::string& error() const { return error_; }
  const std::string& cause() const { return cause_; }

 private:
  std::string error_;
  std::string cause_;
};

// Adapts a function that returns a `std::future<json>`; a helper thread waits for each future
// and completes the task. Thread-safe.
class STEPWISE_EXPORT FutureExecutor final : public TaskExecutor {
 public:
  using Function = std::function<std::future<nlohmann::json>(const nlohmann::json& input)>;
  explicit FutureExecutor(Function fn) : fn_(std::move(fn)) {}
  void start(const TaskRequest& request, TaskCompletion completion) override;

 private:
  Function fn_;
};

// Runs a blocking handler on a pool of N worker threads; completions come from the workers.
// Thread-safe: all methods may be called concurrently.
class STEPWISE_EXPORT ThreadPoolExecutor final : public TaskExecutor {
 public:
  using Handler = std::function<nlohmann::json(const nlohmann::json& input)>;
  ThreadPoolExecutor(std::size_t threads, Handler handler);
  ~ThreadPoolExecutor() override;  // finishes queued work, then joins the workers
  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;  // owns its worker threads
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;
  void start(const TaskRequest& request, TaskCompletion completion) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Routes each request to an executor by exact resource, then by the longest matching prefix,
// then to a fallback. A resource with no route fails with States.TaskFailed naming it.
// Configure before use; afterwards immutable and safe to use from any number of threads.
class STEPWISE_EXPORT ExecutorRouter final : public TaskExecutor {
 public:
  ExecutorRouter& route(std::string resource, std::shared_ptr<TaskExecutor> executor);
  ExecutorRouter& route_prefix(std::string prefix, std::shared_ptr<TaskExecutor> executor);
  ExecutorRouter& fallback(std::shared_ptr<TaskExecutor> executor);
  void start(const TaskRequest& request, TaskCompletion completion) override;
  void cancel(std::string_view task_token) override;

 private:
  TaskExecutor* find(std::string_view resource) const;
  std::vector<std::pair<std::string, std::shared_ptr<TaskExecutor>>> exact_;
  std::vector<std::pair<std::string, std::shared_ptr<TaskExecutor>>> prefixes_;
  std::shared_ptr<TaskExecutor> fallback_;
};

}  // namespace stepwise

#endif  // STEPWISE_TASK_EXECUTOR_H_
