// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Callback and activity actions of the API server: SendTaskSuccess/Failure/Heartbeat,
// Create/Describe/List/DeleteActivity, and GetActivityTask's long poll, which waits on a
// condition variable (bumped by the engine thread when an activity task is scheduled), never
// inside the engine.
#include <chrono>

#include "server/api_error.h"
#include "server/server_impl.h"

namespace stepwise {

using internal::ActivityRecord;
using internal::ApiError;
using internal::Arn;
using internal::epoch_seconds;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxOutputBytes = 256 * 1024;

// A task token as the engine makes them: 32 lowercase hex digits.
bool well_formed_token(const std::string& token) {
  if (token.size() != 32) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string checked_token(const json& body) {
  std::string token = internal::required_string(body, "taskToken");
  if (token.empty() || token.size() > 2048) {
    throw internal::validation_error(
        "taskToken",
        "Member must have length less than or equal to 2048 and greater than or "
        "equal to 1");
  }
  if (!well_formed_token(token)) throw ApiError("InvalidToken", "Invalid Token: 'Invalid token'");
  return token;
}

// AWS's answer when the token is well formed but names no task in flight.
void check_sent(const Status& s) {
  if (s.ok()) return;
  if (s.code() == StatusCode::kNotFound) {
    throw ApiError("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
  }
  throw ApiError("InvalidOutput", "Invalid Output: '" + s.message() + "'");
}

}  // namespace

Status Server::Impl::send_to_engines(const std::function<Status(Engine&)>& send) {
  // The token names a task of the engine thread's executions, or of a synchronous one.
  Status s = send(loop->engine());
  for (Engine* e : sync_engines()) {
    if (s.code() != StatusCode::kNotFound) break;
    s = send(*e);
  }
  return s;
}

json Server::Impl::send_task_success(const json& body) {
  std::string token = checked_token(body);
  std::string output_text = internal::required_string(body, "output");
  if (output_text.size() > kMaxOutputBytes) {
    throw internal::validation_error("output",
                                     "Member must have length less than or equal to 262144");
  }
  json output = json::parse(output_text, nullptr, /*allow_exceptions=*/false);
  if (output.is_discarded()) {
    throw ApiError("InvalidOutput", "Invalid Output: 'the output is not JSON'");
  }
  check_sent(send_to_engines([&](Engine& e) { return e.send_task_success(token, output); }));
  return json::object();
}

json Server::Impl::send_task_failure(const json& body) {
  std::string token = checked_token(body);
  // Named variables, not a structured binding: clang 14 cannot capture those in a lambda.
  std::pair<std::string, std::string> error_cause = internal::error_and_cause(body);
  const std::string& error = error_cause.first;
  const std::string& cause = error_cause.second;
  check_sent(send_to_engines([&](Engine& e) { return e.send_task_failure(token, error, cause); }));
  return json::object();
}

json Server::Impl::send_task_heartbeat(const json& body) {
  std::string token = checked_token(body);
  check_sent(send_to_engines([&](Engine& e) { return e.send_task_heartbeat(token); }));
  return json::object();
}

json Server::Impl::create_activity(const json& body) {
  std::string name = internal::required_string(body, "name");
  internal::check_resource_name(name);
  std::lock_guard<std::mutex> lock(catalog.mu);
  auto it = catalog.activities.find(name);
  if (it != catalog.activities.end()) {  // AWS: creating an existing activity returns it
    return {{"activityArn", arns.activity(name)},
            {"creationDate", epoch_seconds(it->second.created)}};
  }
  ActivityRecord a;
  a.name = name;
  a.created = now();
  auto tags = body.find("tags");
  if (tags != body.end() && tags->is_array()) {
    for (const json& t : *tags) {
      if (t.is_object() && t.contains("key") && t["key"].is_string()) {
        a.tags[t["key"].get<std::string>()] = t.value("value", "");
      }
    }
  }
  catalog.save_activity(a);
  catalog.activities[name] = a;
  return {{"activityArn", arns.activity(name)}, {"creationDate", epoch_seconds(a.created)}};
}

json Server::Impl::describe_activity(const json& body) {
  std::string arn = internal::required_string(body, "activityArn");
  Arn parsed = arns.parse(arn, "activity");
  std::lock_guard<std::mutex> lock(catalog.mu);
  auto it = catalog.activities.find(parsed.name);
  if (it == catalog.activities.end()) {
    throw ApiError("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
  }
  return {{"activityArn", arn},
          {"name", parsed.name},
          {"creationDate", epoch_seconds(it->second.created)}};
}

json Server::Impl::list_activities(const json& body) {
  std::size_t limit = internal::max_results(body, 100);
  std::size_t offset = internal::page_offset(body, "ListActivities");
  std::lock_guard<std::mutex> lock(catalog.mu);
  json items = json::array();
  std::size_t i = 0;
  for (const auto& [name, a] : catalog.activities) {
    if (i++ < offset) continue;
    if (items.size() == limit) {
      return {{"activities", items},
              {"nextToken", internal::make_page_token("ListActivities", offset + limit)}};
    }
    items.push_back({{"activityArn", arns.activity(name)},
                     {"name", name},
                     {"creationDate", epoch_seconds(a.created)}});
  }
  return {{"activities", items}};
}

json Server::Impl::delete_activity(const json& body) {
  std::string arn = internal::required_string(body, "activityArn");
  Arn parsed = arns.parse(arn, "activity");
  std::lock_guard<std::mutex> lock(catalog.mu);
  if (catalog.activities.erase(parsed.name) != 0) catalog.erase_activity(parsed.name);
  return json::object();
}

json Server::Impl::get_activity_task(const json& body) {
  std::string arn = internal::required_string(body, "activityArn");
  std::string worker = internal::string_member(body, "workerName").value_or("");
  if (worker.size() > 80) {
    throw internal::validation_error("workerName",
                                     "Member must have length less than or equal to 80");
  }
  Arn parsed = arns.parse(arn, "activity");
  {
    std::lock_guard<std::mutex> lock(catalog.mu);
    if (!catalog.activities.count(parsed.name)) {
      throw ApiError("ActivityDoesNotExist", "Activity Does Not Exist: '" + arn + "'");
    }
  }
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options.activity_poll_ms);
  std::unique_lock<std::mutex> lock(activity_mu);
  for (;;) {
    std::uint64_t generation = activity_generation;
    lock.unlock();
    std::optional<ActivityTask> task = loop->engine().get_activity_task(arn, worker);
    for (Engine* e : sync_engines()) {
      if (task) break;
      task = e->get_activity_task(arn, worker);  // a synchronous execution's activity
    }
    if (task) return {{"taskToken", task->task_token}, {"input", task->input.dump()}};
    lock.lock();
    // AWS answers an empty task after the poll's time; so does a server that is stopping.
    ++activity_pollers;
    bool woken = activity_cv.wait_until(
        lock, deadline, [&] { return activity_generation != generation || stopping; });
    --activity_pollers;
    if (!woken || stopping) return json::object();
  }
}

}  // namespace stepwise
