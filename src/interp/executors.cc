// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Executor adapters: plain functions, future-returning functions, a thread pool, a router.
#include <deque>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "stepwise/errors.h"
#include "stepwise/task_executor.h"
#include "util/thread_annotations.h"

namespace stepwise {
namespace {

// Runs `work` and completes `completion` with its result, turning exceptions into task
// failures (a TaskError keeps its name, anything else is States.TaskFailed).
template <typename Work>
void complete_with(const TaskCompletion& completion, Work&& work) {
  try {
    completion.succeed(work());
  } catch (const TaskError& e) {
    completion.fail(e.error(), e.cause());
  } catch (const std::exception& e) {
    completion.fail(std::string(errors::kTaskFailed), e.what());
  } catch (...) {
    completion.fail(std::string(errors::kTaskFailed), "unknown exception");
  }
}

}  // namespace

void FunctionExecutor::start(const TaskRequest& request, TaskCompletion completion) {
  complete_with(completion, [&] { return fn_(*request.input); });
}

void FutureExecutor::start(const TaskRequest& request, TaskCompletion completion) {
  std::future<nlohmann::json> fut = fn_(*request.input);
  completion.mark_real_time();  // the future completes on another thread, in real time
  std::thread([f = std::move(fut), completion]() mutable {
    complete_with(completion, [&] { return f.get(); });
  }).detach();
}

struct ThreadPoolExecutor::Impl {
  using Job = std::pair<nlohmann::json, TaskCompletion>;

  Handler handler;
  internal::Mutex mu;
  internal::CondVar cv;  // a job was queued, or `stopping` was set
  std::deque<Job> queue GUARDED_BY(mu);
  bool stopping GUARDED_BY(mu) = false;
  std::vector<std::thread> workers;  // written before the workers start, joined at the end

  // The next job, waiting for one; nullopt once stopping with the queue drained.
  std::optional<Job> next_job() EXCLUDES(mu) {
    internal::MutexLock lock(mu);
    while (!stopping && queue.empty()) cv.wait(mu);
    if (queue.empty()) return std::nullopt;
    Job job = std::move(queue.front());
    queue.pop_front();
    return job;
  }

  void work() {
    while (std::optional<Job> job = next_job()) {
      complete_with(job->second, [&] { return handler(job->first); });
    }
  }
};

ThreadPoolExecutor::ThreadPoolExecutor(std::size_t threads, Handler handler)
    : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) impl_->workers.emplace_back([this] { impl_->work(); });
}

ThreadPoolExecutor::~ThreadPoolExecutor() {
  {
    internal::MutexLock lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  for (auto& t : impl_->workers) t.join();
}

void ThreadPoolExecutor::start(const TaskRequest& request, TaskCompletion completion) {
  completion.mark_real_time();  // the workers run in real time
  {
    internal::MutexLock lock(impl_->mu);
    // The worker needs its own copy of the input, unless the engine can hand it over.
    impl_->queue.emplace_back(request.take_input(), std::move(completion));
  }
  impl_->cv.notify_one();
}

ExecutorRouter& ExecutorRouter::route(std::string resource, std::shared_ptr<TaskExecutor> e) {
  exact_.emplace_back(std::move(resource), std::move(e));
  return *this;
}
ExecutorRouter& ExecutorRouter::route_prefix(std::string prefix, std::shared_ptr<TaskExecutor> e) {
  prefixes_.emplace_back(std::move(prefix), std::move(e));
  return *this;
}
ExecutorRouter& ExecutorRouter::fallback(std::shared_ptr<TaskExecutor> e) {
  fallback_ = std::move(e);
  return *this;
}

TaskExecutor* ExecutorRouter::find(std::string_view resource) const {
  for (const auto& [r, e] : exact_) {
    if (r == resource) return e.get();
  }
  TaskExecutor* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& [p, e] : prefixes_) {
    if (resource.substr(0, p.size()) == p && p.size() >= best_len) {
      best = e.get();
      best_len = p.size();
    }
  }
  return best != nullptr ? best : fallback_.get();
}

void ExecutorRouter::start(const TaskRequest& request, TaskCompletion completion) {
  TaskExecutor* e = find(request.resource);
  if (e == nullptr) {
    completion.fail(std::string(errors::kTaskFailed),
                    fmt::format("no executor is routed for resource '{}'", request.resource));
    return;
  }
  e->start(request, std::move(completion));
}

void ExecutorRouter::cancel(std::string_view task_token) {
  for (const auto& [r, e] : exact_) e->cancel(task_token);
  for (const auto& [p, e] : prefixes_) e->cancel(task_token);
  if (fallback_) fallback_->cancel(task_token);
}

}  // namespace stepwise
