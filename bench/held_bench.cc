// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Memory held per waiting execution, and the cost of stepping an engine that holds many. One
// configuration per process (RSS is per process): starts N executions (default 100,000) of a
// small input that each run a Pass and then block, either on a callback Task
// (`.waitForTaskToken`, whose executor never answers) or on a one-hour Wait (ManualClock,
// never advanced), with or without history (`StartOptions::record_history`), and reports the
// growth of VmRSS (/proc/self/status) and of the heap in use (mallinfo2) per execution. It
// also times, with 0 and then with N executions held, an idle `Engine::step` (nothing
// runnable) and a short execution (start, a Pass, take), in thread CPU time, best of 5
// batches of 20,000; both should cost the same.
//
//   held_bench [--kind token|task|wait] [--history 0|1] [--n N]   one configuration
//   held_bench --all [--n N]                                      the six, one process each
//
// `task` is the `token` machine's Task without `.waitForTaskToken` and without reading `$$`
// (an executor that never completes): the difference between the two is the context object.
//
// Not a Google Benchmark binary: run it directly (scripts/bench_compare does not run it).
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/stepwise.h"

namespace {

using nlohmann::json;
using namespace stepwise;

constexpr const char* kTokenMachine = R"({"StartAt": "Shape", "States": {
  "Shape": {"Type": "Pass", "Parameters": {"order.$": "$.order", "kind": "held"}, "Next": "Call"},
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
           "Parameters": {"FunctionName": "approve", "Payload": {"token.$": "$$.Task.Token",
                          "order.$": "$.order"}},
           "End": true}}})";
// The same Task without a token: the executor never completes it, and nothing reads `$$`.
constexpr const char* kTaskMachine = R"({"StartAt": "Shape", "States": {
  "Shape": {"Type": "Pass", "Parameters": {"order.$": "$.order", "kind": "held"}, "Next": "Call"},
  "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:approve",
           "End": true}}})";
constexpr const char* kWaitMachine = R"({"StartAt": "Shape", "States": {
  "Shape": {"Type": "Pass", "Parameters": {"order.$": "$.order", "kind": "held"}, "Next": "Hold"},
  "Hold": {"Type": "Wait", "Seconds": 3600, "End": true}}})";
constexpr const char* kShortMachine = R"({"StartAt": "P", "States": {
  "P": {"Type": "Pass", "Result": {"ok": true}, "End": true}}})";

// Takes every task and never answers it (the host holds the token somewhere else).
class SilentExecutor final : public TaskExecutor {
 public:
  void start(const TaskRequest&, TaskCompletion) override {}
};

long vm_rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

std::size_t heap_in_use() { return mallinfo2().uordblks; }

// CPU time of this thread: on a shared machine wall time mostly measures the wait for a core.
double now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

struct StepCosts {
  double idle_step_ns = 0;  // one step() with nothing runnable
  double short_run_ns = 0;  // start + step + take of a one-Pass execution
};

// Best of 5 batches, to ride out a noisy machine.
StepCosts measure_steps(Engine& engine, const std::shared_ptr<const StateMachine>& short_run) {
  constexpr int kBatch = 20000;
  StepCosts best{1e18, 1e18};
  for (int round = 0; round < 5; ++round) {
    double t0 = now_ns();
    for (int i = 0; i < kBatch; ++i) engine.step();
    double t1 = now_ns();
    for (int i = 0; i < kBatch; ++i) {
      StartOptions start;
      start.record_history = false;
      auto id = engine.start(short_run, json::object(), start);
      engine.step();
      auto r = engine.take(*id);
      if (!r.ok() || r->status != ExecutionStatus::kSucceeded) std::abort();
    }
    double t2 = now_ns();
    best.idle_step_ns = std::min(best.idle_step_ns, (t1 - t0) / kBatch);
    best.short_run_ns = std::min(best.short_run_ns, (t2 - t1) / kBatch);
  }
  return best;
}

int run_one(const std::string& kind, bool history, long n) {
  auto parsed = parse_state_machine(kind == "token"  ? kTokenMachine
                                    : kind == "task" ? kTaskMachine
                                                     : kWaitMachine);
  auto short_parsed = parse_state_machine(kShortMachine);
  if (!parsed.ok() || !short_parsed.ok()) {
    std::fprintf(stderr, "held_bench: cannot parse the machines\n");
    return 1;
  }
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  options.task_executor = std::make_shared<SilentExecutor>();
  Engine engine(std::move(options));
  StepCosts empty = measure_steps(engine, short_parsed.machine());

  malloc_trim(0);
  const long rss0 = vm_rss_kib();
  const std::size_t heap0 = heap_in_use();
  for (long i = 0; i < n; ++i) {
    StartOptions start;
    start.record_history = history;
    auto id = engine.start(parsed.machine(), json{{"order", i}}, start);
    if (!id.ok()) {
      std::fprintf(stderr, "held_bench: start failed\n");
      return 1;
    }
  }
  std::size_t transitions = 0;
  for (;;) {
    StepReport r = engine.step();
    transitions += r.transitions;
    if (r.transitions == 0) break;
  }
  const long rss1 = vm_rss_kib();
  const std::size_t heap1 = heap_in_use();
  StepReport idle = engine.step();
  if (idle.running != static_cast<std::size_t>(n)) {
    std::fprintf(stderr, "held_bench: %zu running, expected %ld\n", idle.running, n);
    return 1;
  }
  StepCosts held = measure_steps(engine, short_parsed.machine());
  std::printf(
      "%-5s history=%d n=%ld transitions=%zu  RSS %+.0f B/execution  heap %+.0f B/execution"
      "  |  idle step %.0f ns -> %.0f ns, short execution %.0f ns -> %.0f ns (0 -> %ld held)\n",
      kind.c_str(), history ? 1 : 0, n, transitions,
      static_cast<double>(rss1 - rss0) * 1024.0 / static_cast<double>(n),
      (static_cast<double>(heap1) - static_cast<double>(heap0)) / static_cast<double>(n),
      empty.idle_step_ns, held.idle_step_ns, empty.short_run_ns, held.short_run_ns, n);
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string kind = "wait";
  bool history = true, all = false;
  long n = 100000;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--all") {
      all = true;
    } else if (a == "--kind" && i + 1 < argc) {
      kind = argv[++i];
    } else if (a == "--history" && i + 1 < argc) {
      history = std::strcmp(argv[++i], "0") != 0;
    } else if (a == "--n" && i + 1 < argc) {
      n = std::strtol(argv[++i], nullptr, 10);
    } else {
      std::fprintf(
          stderr,
          "usage: held_bench [--kind token|task|wait] [--history 0|1] [--n N] | --all [--n N]\n");
      return 2;
    }
  }
  if (kind != "token" && kind != "task" && kind != "wait") {
    std::fprintf(stderr, "held_bench: --kind is token, task or wait\n");
    return 2;
  }
  if (!all) return run_one(kind, history, n);
  // One child process per configuration, so that one's heap does not hide the next one's.
  int status_all = 0;
  for (const char* k : {"token", "task", "wait"}) {
    for (bool h : {false, true}) {
      pid_t pid = fork();
      if (pid == 0) std::_Exit(run_one(k, h, n));
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) status_all = 1;
    }
  }
  return status_all;
}
