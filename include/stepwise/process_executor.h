// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `ProcessExecutor` (stepwise::tools, POSIX): runs a program per Task attempt without blocking
// the engine, many at once up to a limit. The task input arrives on the program's stdin as
// JSON, its result is the JSON it writes to stdout; a non-zero exit fails the task, named by an
// `{"Error","Cause"}` object on stderr; a line `{"Heartbeat":true}` on stderr is a heartbeat.
// docs/process.md describes the protocol, the kill sequence and the limits.
#ifndef STEPWISE_PROCESS_EXECUTOR_H_
#define STEPWISE_PROCESS_EXECUTOR_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stepwise/export.h"
#include "stepwise/task_executor.h"

namespace stepwise {

// How one route runs its program. A plain value.
struct ProcessRoute {
  // The program and its arguments, run without a shell; `argv[0]` without a '/' is looked up
  // in the host's PATH. Must not be empty.
  std::vector<std::string> argv;
  // kInherit: the host's environment plus `environment` (which wins on a name both have);
  // kReplace: exactly `environment`.
  enum class EnvironmentMode { kInherit, kReplace };
  EnvironmentMode environment_mode = EnvironmentMode::kInherit;
  std::vector<std::pair<std::string, std::string>> environment;  // name, value
  // The program's working directory. Default: empty, the host's.
  std::string working_directory;

  // A route that runs `argv` directly, with the host's environment and directory.
  static ProcessRoute program(std::vector<std::string> argv) {
    ProcessRoute r;
    r.argv = std::move(argv);
    return r;
  }
  // A route that runs `command` with `/bin/sh -c`: the only way a shell is involved.
  static ProcessRoute shell(std::string command) {
    ProcessRoute r;
    r.argv = {"/bin/sh", "-c", std::move(command)};
    return r;
  }
};

struct ProcessExecutorOptions {
  // Behaviour.
  // At most this many programs run at once; further tasks wait, first come first served.
  // Default: 8.
  std::size_t max_concurrency = 8;
  // After `cancel` (the engine's TimeoutSeconds or HeartbeatSeconds expired, the execution
  // stopped, a sibling failed) the program's process group gets SIGTERM, and SIGKILL this much
  // later if it has not exited. Default: 2 s.
  std::chrono::milliseconds kill_grace{2000};
  // Largest stdout accepted, in bytes; a program writing more is killed and its task fails
  // with States.DataLimitExceeded. Default: 262,144 (the engine's payload limit).
  std::size_t max_output_bytes = 262144;
  // How much of the end of stderr is kept (for the `{"Error","Cause"}` object and the cause of
  // a failure), in bytes. Default: 65,536.
  std::size_t stderr_tail_bytes = 65536;
};

// Runs programs as Task executors.
//
// Each Task attempt is matched to a route, by its resource, then its state name, then the
// route "*"; no match fails the task with States.TaskFailed. The program runs in a process
// group of its own, spawned with `posix_spawn`, with no descriptor but its stdin, stdout and
// stderr (pipes) and no temporary file. One I/O thread per executor writes inputs, reads
// outputs and reaps children with poll(); each task completes from that thread, and is marked
// real-time (`TaskCompletion::mark_real_time`), so under a virtual clock its timeouts are real
// seconds. When the program exits, whatever it left running in its process group is killed.
// Destruction kills (SIGKILL) and reaps every program still running; their tasks are not
// completed. Configure routes before the first `start`; afterwards thread-safe: all methods
// may be called concurrently.
//
// Example:
//   auto processes = std::make_shared<stepwise::ProcessExecutor>();
//   processes->route("Resize", stepwise::ProcessRoute::program({"convert-tool", "--json"}))
//       .route("*", stepwise::ProcessRoute::shell("jq '.items | length'"));
//   options.task_executor = processes;
class STEPWISE_EXPORT ProcessExecutor final : public TaskExecutor {
 public:
  explicit ProcessExecutor(ProcessExecutorOptions options = {});
  ~ProcessExecutor() override;
  ProcessExecutor(const ProcessExecutor&) = delete;  // owns its I/O thread and children
  ProcessExecutor& operator=(const ProcessExecutor&) = delete;

  // Serves tasks whose resource or state name is `key` ("*": every task) with `route`. The
  // first route added for a key wins.
  ProcessExecutor& route(std::string key, ProcessRoute route);

  // Queues the task; its program starts when fewer than `max_concurrency` run.
  void start(const TaskRequest& request, TaskCompletion completion) override;
  // Drops a queued task, or sends SIGTERM (then SIGKILL after `kill_grace`) to a running
  // program's process group. The task is not completed. Unknown tokens are ignored.
  void cancel(std::string_view task_token) override;

  // Programs running now, and tasks waiting for a turn (for tests and monitoring).
  std::size_t running() const;
  std::size_t queued() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepwise

#endif  // STEPWISE_PROCESS_EXECUTOR_H_
