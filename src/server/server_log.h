// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The API server's structured log, through spdlog: one JSON object per line on stderr
// ({"time":...,"level":...,"event":...}), the server's start and stop and each execution's end
// at info, each request (action, status, error type, microseconds) at debug.
#ifndef STEPWISE_SERVER_SERVER_LOG_H_
#define STEPWISE_SERVER_SERVER_LOG_H_

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace spdlog {
class logger;
}

namespace stepwise::internal {

class ServerLog {
 public:
  // `level`: "trace", "debug", "info", "warn", "error" or "off". Returns null for an unknown one.
  static std::unique_ptr<ServerLog> create(const std::string& level);
  ~ServerLog();

  bool debug_enabled() const;
  // Writes `fields` (an object) with "event": `event` at info or debug.
  void info(const std::string& event, nlohmann::json fields);
  void debug(const std::string& event, nlohmann::json fields);

 private:
  explicit ServerLog(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SERVER_SERVER_LOG_H_
