// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `ProcessExecutor` driven by an Engine with real programs (/bin/sh, cat, sleep): the
// stdin/stdout/stderr protocol, environment and working directory, the concurrency limit and
// its FIFO order, timeouts and heartbeats in real seconds under a virtual clock, cancellation
// and destruction killing the process group, and large or bad output. Every test checks in
// TearDown that no child is left unreaped and no descriptor leaked. Timings are bounded: the
// longest test waits about 1.2 s.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "stepwise/engine.h"
#include "stepwise/process_executor.h"
#include "support/engine_support.h"
#include "support/temp_dir.h"

namespace stepwise {
namespace {

using nlohmann::json;
using testing_support::compile;
using testing_support::TempDir;

constexpr std::int64_t kSecond = 1'000'000'000;

constexpr const char* kTaskMachine = R"({"StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "arn:aws:states:::shell:run", "End": true}}})";

std::size_t open_descriptors() {
  std::size_t n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  if (d == nullptr) return 0;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  ::closedir(d);
  return n;
}

std::string outcome(const ExecutionResult& r) {
  if (r.status == ExecutionStatus::kSucceeded) return r.output.dump();
  return r.error.value_or("-") + " / " + r.cause.value_or("-");
}

// True once `pid` has ended (absent, or a zombie waiting for init to reap it), polling for
// at most `limit`.
bool process_gone(pid_t pid, std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
  auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    std::size_t paren = text.rfind(')');
    if (!stat || text.empty() ||
        (paren != std::string::npos && text.size() > paren + 2 && text[paren + 2] == 'Z')) {
      return true;
    }
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// Reads a number a program wrote to `path`, waiting for it at most 3 s.
pid_t read_pid(const std::string& path) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < until) {
    std::ifstream in(path);
    pid_t pid = 0;
    if (in >> pid && pid > 0) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

class ProcessExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override { descriptors_ = open_descriptors(); }

  void TearDown() override {
    executor_.reset();
    int status;
    EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1) << "a child was left unreaped";
    EXPECT_EQ(errno, ECHILD);
    EXPECT_EQ(open_descriptors(), descriptors_) << "descriptors leaked";
  }

  ProcessExecutor& executor(ProcessExecutorOptions options = {}) {
    executor_ = std::make_shared<ProcessExecutor>(options);
    return *executor_;
  }

  EngineOptions engine_options() {
    EngineOptions options;
    options.task_executor = executor_;
    options.clock = clock_;
    return options;
  }

  ExecutionResult run(std::string_view definition, json input = json::object()) {
    auto machine = compile(definition);
    if (!machine) return {};
    Engine engine(engine_options());
    std::int64_t start = clock_->now();
    auto real_start = std::chrono::steady_clock::now();
    Result<ExecutionResult> r = engine.run(machine, std::move(input));
    real_elapsed_ = std::chrono::steady_clock::now() - real_start;
    virtual_elapsed_ = clock_->now() - start;
    return r.ok() ? *r : ExecutionResult{};
  }

  std::string shell(const std::string& command, json input = json::object()) {
    executor().route("*", ProcessRoute::shell(command));
    return outcome(run(kTaskMachine, std::move(input)));
  }

  std::shared_ptr<ProcessExecutor> executor_;
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>();
  std::size_t descriptors_ = 0;
  std::chrono::steady_clock::duration real_elapsed_{};
  std::int64_t virtual_elapsed_ = 0;
  TempDir dir_;
};

// --- The protocol.

TEST_F(ProcessExecutorTest, TheInputArrivesOnStdinAndStdoutIsTheResult) {
  executor().route("*", ProcessRoute::program({"cat"}));
  EXPECT_EQ(outcome(run(kTaskMachine, {{"n", 3}, {"s", "é"}})), R"({"n":3,"s":"é"})");
}

TEST_F(ProcessExecutorTest, EmptyOutputIsNull) { EXPECT_EQ(shell("true"), "null"); }

TEST_F(ProcessExecutorTest, OutputThatIsNotJsonFailsTheTask) {
  executor().route("*", ProcessRoute::program({"/bin/echo", "hello"}));
  EXPECT_EQ(outcome(run(kTaskMachine)),
            "States.TaskFailed / The output of '/bin/echo' is not JSON: hello");
}

TEST_F(ProcessExecutorTest, AnErrorObjectOnStderrNamesTheError) {
  EXPECT_EQ(
      shell(R"(echo 'some log' >&2; echo '{"Error":"Custom.Bad","Cause":"why"}' >&2; exit 3)"),
      "Custom.Bad / why");
}

TEST_F(ProcessExecutorTest, ANonZeroExitWithoutAnErrorObjectQuotesStatusAndStderr) {
  EXPECT_EQ(shell("echo oops >&2; exit 4"),
            "States.TaskFailed / '/bin/sh' exited with status 4; stderr: oops");
}

TEST_F(ProcessExecutorTest, AProgramKilledByASignalSaysWhich) {
  EXPECT_EQ(shell("kill -9 $$"), "States.TaskFailed / '/bin/sh' was killed by signal 9 (Killed)");
}

TEST_F(ProcessExecutorTest, AMissingProgramFailsWithStatesTaskFailed) {
  executor().route("*", ProcessRoute::program({"/nonexistent/program"}));
  EXPECT_EQ(outcome(run(kTaskMachine)),
            "States.TaskFailed / cannot run '/nonexistent/program': No such file or directory");
}

TEST_F(ProcessExecutorTest, AProgramThatIsNotExecutableFailsWithStatesTaskFailed) {
  std::string path = dir_.file("script");
  std::ofstream(path) << "#!/bin/sh\necho 1\n";
  executor().route("*", ProcessRoute::program({path}));
  EXPECT_EQ(outcome(run(kTaskMachine)),
            "States.TaskFailed / cannot run '" + path + "': Permission denied");
}

TEST_F(ProcessExecutorTest, AnUnroutedTaskFails) {
  executor().route("Other", ProcessRoute::shell("true"));
  EXPECT_EQ(outcome(run(kTaskMachine)),
            "States.TaskFailed / no program is routed for resource "
            "'arn:aws:states:::shell:run' (state 'T')");
}

TEST_F(ProcessExecutorTest, ARouteByResourceWinsOverOneByStateNameAndTheWildcard) {
  executor()
      .route("*", ProcessRoute::shell("echo 3"))
      .route("T", ProcessRoute::shell("echo 2"))
      .route("arn:aws:states:::shell:run", ProcessRoute::shell("echo 1"));
  EXPECT_EQ(outcome(run(kTaskMachine)), "1");
}

TEST_F(ProcessExecutorTest, EnvironmentIsInheritedWithTheRoutesAdditions) {
  ::setenv("STEPWISE_TEST_INHERITED", "kept", 1);
  ProcessRoute route =
      ProcessRoute::shell(R"sh(printf '"%s %s"' "$STEPWISE_TEST_INHERITED" "$ADDED")sh");
  route.environment = {{"ADDED", "yes"}};
  executor().route("*", route);
  EXPECT_EQ(outcome(run(kTaskMachine)), R"("kept yes")");
  ::unsetenv("STEPWISE_TEST_INHERITED");
}

TEST_F(ProcessExecutorTest, AReplacedEnvironmentHoldsOnlyTheRoutesVariables) {
  ::setenv("STEPWISE_TEST_INHERITED", "kept", 1);
  ProcessRoute route =
      ProcessRoute::shell(R"sh(printf '"%s|%s"' "${STEPWISE_TEST_INHERITED-unset}" "$ONLY")sh");
  route.environment_mode = ProcessRoute::EnvironmentMode::kReplace;
  route.environment = {{"ONLY", "this"}};
  executor().route("*", route);
  EXPECT_EQ(outcome(run(kTaskMachine)), R"("unset|this")");
  ::unsetenv("STEPWISE_TEST_INHERITED");
}

TEST_F(ProcessExecutorTest, TheRoutesWorkingDirectoryIsUsed) {
  ProcessRoute route = ProcessRoute::shell(R"sh(printf '"%s"' "$(pwd -P)")sh");
  route.working_directory = dir_.path().string();
  executor().route("*", route);
  EXPECT_EQ(outcome(run(kTaskMachine)),
            json(std::filesystem::canonical(dir_.path()).string()).dump());
}

TEST_F(ProcessExecutorTest, TheProgramGetsOnlyStdinStdoutAndStderr) {
  int stray = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC: closed in the child all the same
  ASSERT_GE(stray, 0);
  std::string fd = std::to_string(stray);
  EXPECT_EQ(shell("if [ -e /proc/$$/fd/" + fd + " ]; then echo true; else echo false; fi"),
            "false");
  EXPECT_EQ(shell("[ -e /proc/$$/fd/0 ] && [ -e /proc/$$/fd/1 ] && [ -e /proc/$$/fd/2 ] && "
                  "echo true"),
            "true");
  ::close(stray);
}

TEST_F(ProcessExecutorTest, LargeInputAndOutputPassThroughThePipes) {
  json input = {{"blob", std::string(200000, 'x')}};
  executor().route("*", ProcessRoute::program({"cat"}));
  EXPECT_EQ(outcome(run(kTaskMachine, input)), input.dump());
}

TEST_F(ProcessExecutorTest, AProgramThatNeverReadsItsLargeInputStillSucceeds) {
  EXPECT_EQ(shell("exec 0<&-; echo 7", {{"blob", std::string(200000, 'x')}}), "7");
}

TEST_F(ProcessExecutorTest, AProgramThatClosesStdoutEarlyIsStillWaitedFor) {
  EXPECT_EQ(shell("echo '{\"a\":1}'; exec 1>&-; sleep 0.2; exit 0"), R"({"a":1})");
}

TEST_F(ProcessExecutorTest, OutputOverTheLimitKillsTheProgramAndFails) {
  ProcessExecutorOptions options;
  options.max_output_bytes = 1000;
  executor(options).route("*", ProcessRoute::shell("yes"));
  EXPECT_EQ(outcome(run(kTaskMachine)),
            "States.DataLimitExceeded / The output of '/bin/sh' exceeds the maximum of 1000 "
            "bytes; the program was killed.");
}

TEST_F(ProcessExecutorTest, InvalidUtf8OnStderrIsReplacedInTheCause) {
  EXPECT_EQ(shell(R"sh(printf 'bad \377 byte' >&2; exit 1)sh"),
            "States.TaskFailed / '/bin/sh' exited with status 1; stderr: bad \xEF\xBF\xBD byte");
}

// --- Concurrency.

TEST_F(ProcessExecutorTest, AMapRunsNoMoreProgramsAtOnceThanTheLimit) {
  ProcessExecutorOptions options;
  options.max_concurrency = 3;
  // Each program marks itself running, counts the marks, and records the count.
  std::string d = dir_.path().string();
  executor(options).route(
      "*", ProcessRoute::shell("touch " + d + "/run.$$; ls " + d + " | grep -c '^run' >> " + d +
                               "/counts; sleep 0.2; rm " + d + "/run.$$; echo 0"));
  ExecutionResult r = run(R"({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
      "ItemProcessor": {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::shell:run", "End": true}}}}}})",
                          json(std::vector<int>(12, 0)));
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << outcome(r);
  std::ifstream counts(d + "/counts");
  std::vector<int> seen;
  for (int n; counts >> n;) seen.push_back(n);
  ASSERT_EQ(seen.size(), 12u);
  EXPECT_LE(*std::max_element(seen.begin(), seen.end()), 3);
  EXPECT_GE(*std::max_element(seen.begin(), seen.end()), 2);  // they did run side by side
}

TEST_F(ProcessExecutorTest, TwoHundredShortProgramsEightAtATimeAllComplete) {
  ProcessExecutorOptions options;
  options.max_concurrency = 8;
  executor(options).route("*", ProcessRoute::program({"cat"}));
  json items = json::array();
  for (int i = 0; i < 200; ++i) items.push_back(i);
  ExecutionResult r = run(R"({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
      "ItemProcessor": {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::shell:run", "End": true}}}}}})",
                          items);
  EXPECT_EQ(r.status, ExecutionStatus::kSucceeded) << outcome(r);
  EXPECT_EQ(r.output, items);
  EXPECT_EQ(executor_->running(), 0u);
}

TEST_F(ProcessExecutorTest, WaitingTasksStartInTheOrderTheyCame) {
  ProcessExecutorOptions options;
  options.max_concurrency = 1;
  std::string order = dir_.file("order");
  executor(options).route("*", ProcessRoute::shell("cat >> " + order + "; echo >> " + order));
  ExecutionResult r = run(R"({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
      "ItemProcessor": {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::shell:run", "End": true}}}}}})",
                          json{1, 2, 3, 4, 5, 6});
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << outcome(r);
  std::ifstream in(order);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "1\n2\n3\n4\n5\n6\n");
}

// --- Time: timeouts and heartbeats are real seconds under a virtual clock.

TEST_F(ProcessExecutorTest, TimeoutSecondsKillsTheProcessGroupAfterRealSeconds) {
  std::string pid_file = dir_.file("grandchild");
  // The shell starts a grandchild in its group and waits for it.
  executor().route("*", ProcessRoute::shell("sleep 30 & echo $! > " + pid_file + "; wait"));
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::shell:run", "TimeoutSeconds": 1,
            "End": true}}})");
  EXPECT_EQ(outcome(r), "States.Timeout / -");
  EXPECT_EQ(virtual_elapsed_, 1 * kSecond);
  EXPECT_GE(real_elapsed_, std::chrono::milliseconds(990));
  pid_t grandchild = read_pid(pid_file);
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(process_gone(grandchild));
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (executor_->running() > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(executor_->running(), 0u);
}

TEST_F(ProcessExecutorTest, AWaitAfterAProgramTakesNoRealTime) {
  executor().route("*", ProcessRoute::shell("echo 1"));
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::shell:run", "TimeoutSeconds": 60,
            "Next": "W"},
      "W": {"Type": "Wait", "Seconds": 86400, "End": true}}})");
  EXPECT_EQ(outcome(r), "1");
  EXPECT_GE(virtual_elapsed_, 86400 * kSecond);
  EXPECT_LT(virtual_elapsed_, 86401 * kSecond);
  EXPECT_LT(real_elapsed_, std::chrono::seconds(10));
}

TEST_F(ProcessExecutorTest, HeartbeatLinesKeepATaskAlive) {
  executor().route(
      "*", ProcessRoute::shell(R"(for i in 1 2 3 4; do echo '{"Heartbeat": true}' >&2; sleep 0.3;)"
                               R"( done; echo '{"ok":true}')"));
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::shell:run", "TimeoutSeconds": 30,
            "HeartbeatSeconds": 1, "End": true}}})");
  EXPECT_EQ(outcome(r), R"({"ok":true})");
  EXPECT_GE(real_elapsed_, std::chrono::milliseconds(1100));
}

TEST_F(ProcessExecutorTest, ASilentProgramFailsItsHeartbeatAndIsCaughtAsHeartbeatTimeout) {
  executor().route("*", ProcessRoute::shell("sleep 30"));
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::shell:run", "TimeoutSeconds": 30,
            "HeartbeatSeconds": 1,
            "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Caught"}],
            "End": true},
      "Caught": {"Type": "Pass", "Result": "caught", "End": true}}})");
  EXPECT_EQ(outcome(r), R"("caught")");
  EXPECT_EQ(virtual_elapsed_, 1 * kSecond);
}

TEST_F(ProcessExecutorTest, ARetryAfterATimeoutRunsAgainWithTheSameToken) {
  std::string flag = dir_.file("tried");
  // The first attempt hangs; the retry finds the flag and answers.
  executor().route("*", ProcessRoute::shell("if [ -e " + flag + " ]; then echo 2; else touch " +
                                            flag + "; exec sleep 30; fi"));
  ExecutionResult r = run(R"({"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::shell:run", "TimeoutSeconds": 1,
            "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 5}],
            "End": true}}})");
  EXPECT_EQ(outcome(r), "2");
  EXPECT_GE(virtual_elapsed_, 6 * kSecond);
  EXPECT_LT(real_elapsed_, std::chrono::seconds(4));
}

// --- Cancellation and destruction.

TEST_F(ProcessExecutorTest, StoppingTheExecutionKillsItsPrograms) {
  std::string pid_file = dir_.file("pid");
  ProcessExecutorOptions options;
  options.kill_grace = std::chrono::milliseconds(200);
  // The shell ignores SIGTERM, so only the SIGKILL after the grace ends it.
  executor(options).route("*", ProcessRoute::shell("trap '' TERM; echo $$ > " + pid_file +
                                                   "; while :; do sleep 0.05; done"));
  auto machine = compile(kTaskMachine);
  ASSERT_TRUE(machine);
  Engine engine(engine_options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  engine.step();
  pid_t pid = read_pid(pid_file);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(engine.stop(*id, "", "").ok());
  EXPECT_TRUE(process_gone(pid));
  EXPECT_EQ(engine.status(*id).value(), ExecutionStatus::kAborted);
}

TEST_F(ProcessExecutorTest, StoppingDropsTasksStillWaitingForATurn) {
  ProcessExecutorOptions options;
  options.max_concurrency = 1;
  executor(options).route("*", ProcessRoute::shell("exec sleep 30"));
  auto machine = compile(R"({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
      "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::shell:run",
                                          "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:states:::shell:run",
                                          "End": true}}}]}}})");
  ASSERT_TRUE(machine);
  Engine engine(engine_options());
  Result<ExecutionId> id = engine.start(machine, json::object());
  ASSERT_TRUE(id.ok());
  engine.step();
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (executor_->running() < 1 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(executor_->running(), 1u);
  EXPECT_EQ(executor_->queued(), 1u);
  ASSERT_TRUE(engine.stop(*id, "", "").ok());
  EXPECT_EQ(executor_->queued(), 0u);
  while (executor_->running() > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(executor_->running(), 0u);
}

TEST_F(ProcessExecutorTest, DestroyingTheExecutorKillsAndReapsItsPrograms) {
  std::string pid_file = dir_.file("pid");
  executor().route("*", ProcessRoute::shell("echo $$ > " + pid_file + "; exec sleep 30"));
  auto machine = compile(kTaskMachine);
  ASSERT_TRUE(machine);
  pid_t pid = 0;
  {
    Engine engine(engine_options());
    ASSERT_TRUE(engine.start(machine, json::object()).ok());
    engine.step();
    pid = read_pid(pid_file);
    ASSERT_GT(pid, 0);
    executor_.reset();  // the engine holds the last reference
  }
  EXPECT_TRUE(process_gone(pid, std::chrono::milliseconds(0)));
  // TearDown checks that nothing is left to reap.
}

}  // namespace
}  // namespace stepwise
