// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The HTTP side of `stepwise::Server`, over cpp-httplib: `POST /` (the JSON 1.0 protocol:
// target header, body limits, Signature Version 4), `GET /health`, `GET /metrics`
// (Prometheus text), and the console pages (console.cc).
#include <httplib.h>

#include <chrono>
#include <cstdio>

#include "server/console.h"
#include "server/server_impl.h"
#include "server/sigv4.h"

namespace stepwise {

using nlohmann::json;

namespace {

constexpr const char* kJsonType = "application/x-amz-json-1.0";
constexpr std::string_view kTargetPrefix = "AWSStepFunctions.";

void answer(httplib::Response& res, int status, const json& body, const std::string& request_id) {
  res.status = status;
  res.set_header("x-amzn-RequestId", request_id);
  if (body.contains("__type"))
    res.set_header("x-amzn-ErrorType", body["__type"].get<std::string>());
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), kJsonType);
}

}  // namespace

Server::Impl::~Impl() = default;

std::pair<int, json> Server::handle(const std::string& target, const std::string& body) {
  return impl_->handle(target, body);
}

std::pair<int, json> Server::Impl::handle(const std::string& target, const std::string& text) {
  auto fail = [&](const std::string& type, const std::string& message) {
    {
      std::lock_guard<std::mutex> lock(metrics.mu);
      ++metrics.errors[type];
    }
    return std::make_pair(400, json{{"__type", type}, {"message", message}});
  };
  std::string action;
  if (target.rfind(kTargetPrefix, 0) == 0) action = target.substr(kTargetPrefix.size());
  if (action.empty()) {
    return fail("UnknownOperationException",
                target.empty() ? "Missing X-Amz-Target" : "Unknown operation " + target);
  }
  if (internal::json_text_deeper_than(text, options.max_json_depth)) {
    return fail("SerializationException", "The request is nested deeper than " +
                                              std::to_string(options.max_json_depth) + " levels");
  }
  json body =
      text.empty() ? json::object() : json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return fail("SerializationException", "The request is not JSON");
  return call(action, body);
}

Status Server::start() {
  Impl& s = *impl_;
  s.http = std::make_shared<httplib::Server>();
  httplib::Server& http = *s.http;
  std::size_t threads = s.options.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(s.options.max_request_bytes);
  http.set_read_timeout(s.options.read_timeout_seconds, 0);
  http.set_write_timeout(s.options.read_timeout_seconds, 0);
  http.set_keep_alive_max_count(100000);
  // Idle keep-alive connections are closed after 5 s; `stop` waits at most that long for them.
  http.set_keep_alive_timeout(5);
  http.set_tcp_nodelay(true);

  http.Post("/", [&s](const httplib::Request& req, httplib::Response& res) {
    std::string request_id = std::to_string(++s.request_ids);
    auto fail = [&](int status, const std::string& type, const std::string& message) {
      {
        std::lock_guard<std::mutex> lock(s.metrics.mu);
        ++s.metrics.errors[type];
      }
      answer(res, status, {{"__type", type}, {"message", message}}, request_id);
    };
    if (!s.options.credentials.empty()) {
      internal::SignedRequest signed_request;
      signed_request.method = req.method;
      signed_request.path = req.path;
      for (const auto& [k, v] : req.headers) {
        std::string name = k;
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        signed_request.headers.emplace(name, v);
      }
      signed_request.body = req.body;
      std::optional<internal::ApiError> bad =
          internal::verify_sigv4(signed_request, s.options.credentials,
                                 std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count(),
                                 s.options.max_clock_skew_seconds);
      if (bad)
        return fail(bad->type() == "MissingAuthenticationTokenException" ? 403 : 400, bad->type(),
                    bad->what());
    }
    auto began = std::chrono::steady_clock::now();
    auto [status, out] = s.handle(req.get_header_value("X-Amz-Target"), req.body);
    answer(res, status, out, request_id);
    if (s.log->debug_enabled()) {
      json fields = {{"request_id", request_id},
                     {"target", req.get_header_value("X-Amz-Target")},
                     {"status", status},
                     {"us", std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::steady_clock::now() - began)
                                .count()}};
      if (out.contains("__type")) fields["error"] = out["__type"];
      s.log->debug("request", std::move(fields));
    }
  });

  http.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", "application/json");
  });
  http.Get("/metrics", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_content(s.metrics_text(), "text/plain; version=0.0.4");
  });
  internal::add_console_routes(http, s);

  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content("{\"__type\":\"InternalServerError\",\"message\":\"internal error\"}",
                        kJsonType);
      });

  int port = s.options.port;
  if (port == 0) {
    port = http.bind_to_any_port(s.options.host);
    if (port <= 0) return unavailable_error("cannot listen on " + s.options.host);
  } else if (!http.bind_to_port(s.options.host, port)) {
    return unavailable_error("cannot listen on " + s.options.host + ":" + std::to_string(port));
  }
  s.bound_port = port;
  s.log->info("listening", {{"host", s.options.host}, {"port", port}});
  s.loop->start();
  s.http_thread = std::thread([&http] { http.listen_after_bind(); });
  // httplib's stop() does nothing until the listening loop runs: wait for it, so that a stop
  // right after start cannot be lost.
  for (int i = 0; i < 10000 && !http.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  return {};
}

int Server::port() const { return impl_->bound_port; }

void Server::wait() {
  std::unique_lock<std::mutex> lock(impl_->stop_mu);
  impl_->stop_cv.wait(lock, [&] { return impl_->stopped; });
}

void Server::stop() {
  if (!impl_) return;
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.activity_mu);
    s.stopping = true;
  }
  s.activity_cv.notify_all();
  if (s.http) s.http->stop();
  if (s.http_thread.joinable()) s.http_thread.join();
  if (s.loop) s.loop->stop();
  {
    std::lock_guard<std::mutex> lock(s.stop_mu);
    if (!s.stopped && s.log) s.log->info("stopped", json::object());
    s.stopped = true;
  }
  s.stop_cv.notify_all();
}

void internal::Histogram::observe(double seconds) {
  std::size_t i = 0;
  while (i < sizeof(kBounds) / sizeof(kBounds[0]) && seconds > kBounds[i]) ++i;
  if (i < sizeof(kBounds) / sizeof(kBounds[0])) ++counts[i];
  ++count;
  sum += seconds;
}

std::string internal::Histogram::text(const std::string& name, const std::string& help) const {
  std::string out = "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < sizeof(kBounds) / sizeof(kBounds[0]); ++i) {
    cumulative += counts[i];
    char le[32];
    std::snprintf(le, sizeof le, "%g", kBounds[i]);
    out += name + "_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  out += name + "_bucket{le=\"+Inf\"} " + std::to_string(count) + "\n";
  char sum_text[40];
  std::snprintf(sum_text, sizeof sum_text, "%.6f", sum);
  out += name + "_sum " + sum_text + "\n" + name + "_count " + std::to_string(count) + "\n";
  return out;
}

std::string Server::Impl::metrics_text() {
  std::string out;
  auto label = [](const std::string& v) {
    std::string e;
    for (char c : v) {
      if (c == '\\' || c == '"') e += '\\';
      if (c == '\n') {
        e += "\\n";
        continue;
      }
      e += c;
    }
    return e;
  };
  std::lock_guard<std::mutex> lock(metrics.mu);
  out += "# HELP stepwise_executions_started_total Executions started, by state machine.\n";
  out += "# TYPE stepwise_executions_started_total counter\n";
  for (const auto& [machine, n] : metrics.started) {
    out += "stepwise_executions_started_total{state_machine=\"" + label(machine) + "\"} " +
           std::to_string(n) + "\n";
  }
  out += "# HELP stepwise_executions_ended_total Executions ended, by state machine and status.\n";
  out += "# TYPE stepwise_executions_ended_total counter\n";
  for (const auto& [key, n] : metrics.ended) {
    out += "stepwise_executions_ended_total{state_machine=\"" + label(key.first) + "\",status=\"" +
           key.second + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP stepwise_state_transitions_total States entered.\n";
  out += "# TYPE stepwise_state_transitions_total counter\n";
  out += "stepwise_state_transitions_total " + std::to_string(metrics.transitions) + "\n";
  out += "# HELP stepwise_api_requests_total API requests, by action.\n";
  out += "# TYPE stepwise_api_requests_total counter\n";
  for (const auto& [action, n] : metrics.requests) {
    out +=
        "stepwise_api_requests_total{action=\"" + label(action) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP stepwise_api_errors_total API errors, by AWS exception name.\n";
  out += "# TYPE stepwise_api_errors_total counter\n";
  for (const auto& [type, n] : metrics.errors) {
    out += "stepwise_api_errors_total{type=\"" + label(type) + "\"} " + std::to_string(n) + "\n";
  }
  out += metrics.task_seconds.text("stepwise_task_duration_seconds",
                                   "Tasks from scheduling to their end (engine clock).");
  out += metrics.commit_seconds.text("stepwise_store_commit_seconds", "Checkpoint store commits.");
  out += "# HELP stepwise_activity_tasks_waiting Activity tasks scheduled and not yet taken.\n";
  out += "# TYPE stepwise_activity_tasks_waiting gauge\n";
  out += "stepwise_activity_tasks_waiting " + std::to_string(metrics.activities_waiting) + "\n";
  return out;
}

}  // namespace stepwise
