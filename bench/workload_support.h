// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// What interpreter_bench and count_bench share so that they measure the same thing: the
// workloads' text (bench/workloads/) and the in-process executor they run against, which
// fails a task's first attempts with FlakyError (retry_catch) and otherwise echoes its input.
#ifndef STEPWISE_BENCH_WORKLOAD_SUPPORT_H_
#define STEPWISE_BENCH_WORKLOAD_SUPPORT_H_

#include <fstream>
#include <sstream>
#include <string>

#include "stepwise/task_executor.h"

namespace stepwise::bench {

// The text of bench/workloads/<name>; empty when it cannot be read.
inline std::string read_workload(const std::string& name) {
  std::ifstream in(std::string(STEPWISE_SOURCE_DIR) + "/bench/workloads/" + name);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Fails the first `fail_first` attempts of each task with FlakyError, then echoes its input.
class EchoExecutor final : public TaskExecutor {
 public:
  explicit EchoExecutor(int fail_first) : fail_first_(fail_first) {}
  void start(const TaskRequest& req, TaskCompletion done) override {
    if (req.attempt < fail_first_) {
      done.fail("FlakyError", "flaky");
      return;
    }
    done.succeed(req.take_input());  // moved when the engine no longer needs it
  }

 private:
  int fail_first_;
};

}  // namespace stepwise::bench

#endif  // STEPWISE_BENCH_WORKLOAD_SUPPORT_H_
