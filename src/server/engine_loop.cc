// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The server's engine thread (engine_loop.h).
#include "server/engine_loop.h"

#include <chrono>

namespace stepwise::internal {

void LoopClock::wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void LoopClock::wait_for_work(std::optional<std::int64_t> deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  if (woken_) {
    woken_ = false;
    return;
  }
  if (deadline && inner_->is_virtual()) {
    lock.unlock();
    inner_->wait_until(*deadline);  // a virtual clock jumps
    return;
  }
  auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  if (deadline) {
    std::int64_t wait_ns = *deadline - inner_->now();
    if (wait_ns <= 0) return;
    if (wait_ns < 1'000'000'000) {
      limit = std::chrono::steady_clock::now() + std::chrono::nanoseconds(wait_ns);
    }
  }
  cv_.wait_until(lock, limit, [&] { return woken_; });
  woken_ = false;
}

EngineLoop::EngineLoop(EngineOptions options, std::shared_ptr<Clock> clock)
    : clock_(std::make_shared<LoopClock>(std::move(clock))) {
  options.clock = clock_;
  engine_ = std::make_unique<Engine>(std::move(options));
}

EngineLoop::~EngineLoop() { stop(); }

void EngineLoop::start() {
  std::lock_guard<std::mutex> lock(mu_);
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void EngineLoop::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  clock_->wake();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_ = false;
  }
  // Commands posted after the loop ended fail instead of waiting forever.
  std::deque<std::function<void()>> left;
  {
    std::lock_guard<std::mutex> lock(mu_);
    left.swap(commands_);
  }
  for (auto& c : left) c();
}

void EngineLoop::post(std::function<void()> command) {
  bool run_here = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!running_) {
      run_here = true;  // no loop thread (before start, after stop): run on the caller's
    } else {
      commands_.push_back(std::move(command));
    }
  }
  if (run_here) {
    command();
    return;
  }
  clock_->wake();
}

void EngineLoop::run() {
  StepBudget budget;
  budget.max_transitions = 10'000;  // answer commands between slices of a long run
  for (;;) {
    std::deque<std::function<void()>> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      batch.swap(commands_);
    }
    for (auto& c : batch) c();
    StepReport report = engine_->step(budget);
    if (after_step_) after_step_(*engine_);
    if (report.runnable) continue;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!commands_.empty() || stopping_) continue;
    }
    clock_->wait_for_work(report.next_deadline);
  }
}

}  // namespace stepwise::internal
