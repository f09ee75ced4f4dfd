// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The server's engine thread. The `Engine` is not thread-safe, so one thread owns it: it runs
// the commands that request threads post (`call`), steps every execution, and sleeps until a
// command, a task completion from another thread or the next timer. Request threads never
// wait inside the engine; they wait on the future of their command.
#ifndef STEPWISE_SERVER_ENGINE_LOOP_H_
#define STEPWISE_SERVER_ENGINE_LOOP_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "stepwise/clock.h"
#include "stepwise/engine.h"

namespace stepwise::internal {

// The clock the loop's engine uses: the host's clock for time, and a wake-up the loop waits
// on (the engine calls `wake` when a task completes on another thread).
class LoopClock final : public Clock {
 public:
  explicit LoopClock(std::shared_ptr<Clock> inner) : inner_(std::move(inner)) {}
  std::int64_t now() const override { return inner_->now(); }
  void wait_until(std::int64_t deadline) override { wait_for_work(deadline); }
  void wake() override;
  bool is_virtual() const override { return inner_->is_virtual(); }

  // Returns when woken, or at `deadline` (a virtual clock jumps to it at once), or after a
  // second without a deadline (a safety net; a wake-up normally comes first).
  void wait_for_work(std::optional<std::int64_t> deadline);

 private:
  std::shared_ptr<Clock> inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
};

class EngineLoop {
 public:
  // `clock` is the host's clock; the engine gets a `LoopClock` over it.
  EngineLoop(EngineOptions options, std::shared_ptr<Clock> clock);
  ~EngineLoop();
  EngineLoop(const EngineLoop&) = delete;
  EngineLoop& operator=(const EngineLoop&) = delete;

  // The engine, for the thread-safe calls (`send_task_*`, `get_activity_task`) and for use
  // before `start`.
  Engine& engine() { return *engine_; }
  Clock& clock() { return *clock_; }

  // Called on the loop thread after every step.
  void set_after_step(std::function<void(Engine&)> fn) { after_step_ = std::move(fn); }

  void start();
  void stop();

  // Runs `fn(engine)` on the loop thread and returns its value; an exception thrown by `fn`
  // is rethrown here.
  template <typename F>
  auto call(F fn) -> std::invoke_result_t<F, Engine&> {
    using R = std::invoke_result_t<F, Engine&>;
    auto task = std::make_shared<std::packaged_task<R()>>(
        [this, fn = std::move(fn)]() mutable { return fn(*engine_); });
    std::future<R> result = task->get_future();
    post([task] { (*task)(); });
    return result.get();
  }

 private:
  void post(std::function<void()> command);
  void run();

  std::shared_ptr<LoopClock> clock_;
  std::unique_ptr<Engine> engine_;
  std::function<void(Engine&)> after_step_;
  std::mutex mu_;
  std::deque<std::function<void()>> commands_;
  bool stopping_ = false;
  bool running_ = false;  // the loop thread runs the commands
  std::thread thread_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SERVER_ENGINE_LOOP_H_
