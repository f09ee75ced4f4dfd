// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The Lambda executor of the API server (lambda_executor.h), over cpp-httplib's client.
#include "server/lambda_executor.h"

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "server/aws_names.h"

namespace stepwise::internal {

using nlohmann::json;

namespace {

constexpr std::string_view kInvoke = ":states:::lambda:invoke";

struct Invocation {
  bool legacy = false;   // arn:aws:lambda:...:function:NAME
  std::string function;  // the name (or ARN) the endpoint is asked for
  std::string qualifier;
  json payload;
};

// What to invoke for `resource` and its effective input; an error text when the input lacks it.
std::string plan(std::string_view resource, const json& input, Invocation& out) {
  if (resource.find(kInvoke) == std::string_view::npos) {
    out.legacy = true;
    std::string r(resource);
    std::size_t at = r.find(":function:");
    out.function = r.substr(at + 10);
    std::size_t colon = out.function.find(':');
    if (colon != std::string::npos) {
      out.qualifier = out.function.substr(colon + 1);
      out.function.resize(colon);
    }
    out.payload = input;
    return "";
  }
  if (!input.is_object() || !input.contains("FunctionName") || !input["FunctionName"].is_string()) {
    return "The Parameters of a lambda:invoke Task need a FunctionName string";
  }
  out.function = input["FunctionName"].get<std::string>();
  // A function ARN names the function by its last parts: arn:aws:lambda:R:A:function:NAME[:Q].
  std::size_t at = out.function.find(":function:");
  if (at != std::string::npos) {
    std::string rest = out.function.substr(at + 10);
    std::size_t colon = rest.find(':');
    if (colon != std::string::npos) {
      out.qualifier = rest.substr(colon + 1);
      rest.resize(colon);
    }
    out.function = rest;
  }
  if (input.contains("Qualifier") && input["Qualifier"].is_string()) {
    out.qualifier = input["Qualifier"].get<std::string>();
  }
  out.payload = input.contains("Payload") ? input["Payload"] : json::object();
  return "";
}

class LambdaExecutor final : public TaskExecutor {
 public:
  LambdaExecutor(std::string endpoint, int threads) : endpoint_(std::move(endpoint)) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }

  ~LambdaExecutor() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

  void start(const TaskRequest& request, TaskCompletion completion) override {
    Invocation inv;
    std::string problem = plan(request.resource, *request.input, inv);
    if (!problem.empty()) {
      completion.fail("States.Runtime", problem);
      return;
    }
    completion.mark_real_time();  // a virtual clock waits for the function in real time
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.emplace_back(std::move(inv), std::move(completion));
    }
    cv_.notify_one();
  }

 private:
  void work() {
    httplib::Client client(endpoint_);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    client.set_read_timeout(900, 0);  // Lambda's longest run is 15 minutes
    for (;;) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      std::pair<Invocation, TaskCompletion> item = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      invoke(client, item.first, item.second);
    }
  }

  void invoke(httplib::Client& client, const Invocation& inv, const TaskCompletion& done) {
    std::string path = "/2015-03-31/functions/" + percent_encode(inv.function) + "/invocations";
    if (!inv.qualifier.empty()) path += "?Qualifier=" + percent_encode(inv.qualifier);
    httplib::Result res = client.Post(path, inv.payload.dump(), "application/json");
    if (!res) {
      done.fail("Lambda.ServiceException",
                "The Lambda endpoint " + endpoint_ +
                    " did not answer: " + httplib::to_string(res.error()));
      return;
    }
    if (res->status == 404) {
      done.fail("Lambda.ResourceNotFoundException", "Function not found: " + inv.function);
      return;
    }
    if (res->status >= 400) {
      done.fail("Lambda.ServiceException", "The Lambda endpoint answered HTTP " +
                                               std::to_string(res->status) + ": " + res->body);
      return;
    }
    json result = res->body.empty() ? json() : json::parse(res->body, nullptr, false);
    if (result.is_discarded()) result = res->body;  // a function may return any text
    if (res->has_header("X-Amz-Function-Error")) {
      std::string type =
          result.is_object() && result.contains("errorType") && result["errorType"].is_string()
              ? result["errorType"].get<std::string>()
              : "Lambda.Unknown";
      done.fail(type, result.is_string() ? result.get<std::string>() : result.dump());
      return;
    }
    if (inv.legacy) {
      done.succeed(std::move(result));
      return;
    }
    std::string version = res->get_header_value("X-Amz-Executed-Version");
    done.succeed({{"ExecutedVersion", version.empty() ? "$LATEST" : version},
                  {"Payload", std::move(result)},
                  {"StatusCode", res->status},
                  {"SdkHttpMetadata", {{"HttpStatusCode", res->status}}}});
  }

  std::string endpoint_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<Invocation, TaskCompletion>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace

bool is_lambda_resource(std::string_view resource) {
  if (resource.find(kInvoke) != std::string_view::npos) {
    return resource.substr(resource.find(kInvoke) + kInvoke.size()).empty();
  }
  return resource.rfind("arn:", 0) == 0 && resource.find(":lambda:") != std::string_view::npos &&
         resource.find(":function:") != std::string_view::npos;
}

std::shared_ptr<TaskExecutor> make_lambda_executor(const std::string& endpoint, int threads) {
  return std::make_shared<LambdaExecutor>(endpoint, threads);
}

}  // namespace stepwise::internal
