// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The API server's structured log (server_log.h).
#include "server/server_log.h"

#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace stepwise::internal {

namespace {

std::string line(const std::string& event, nlohmann::json fields) {
  nlohmann::json out = nlohmann::json::object();
  out["event"] = event;
  for (auto& [k, v] : fields.items()) out[k] = std::move(v);
  // The pattern opens the object with time and level; the message continues it.
  std::string text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return text.substr(1, text.size() - 2);
}

}  // namespace

std::unique_ptr<ServerLog> ServerLog::create(const std::string& level) {
  spdlog::level::level_enum l = spdlog::level::from_str(level);
  if (spdlog::level::to_string_view(l) != level && !(level == "warn" || level == "error")) {
    return nullptr;  // from_str answers "off" for a name it does not know
  }
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("stepwise.server", std::move(sink));
  logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                      spdlog::pattern_time_type::utc);
  logger->set_level(l);
  logger->flush_on(spdlog::level::info);
  return std::unique_ptr<ServerLog>(new ServerLog(std::move(logger)));
}

ServerLog::~ServerLog() = default;

bool ServerLog::debug_enabled() const { return logger_->should_log(spdlog::level::debug); }

void ServerLog::info(const std::string& event, nlohmann::json fields) {
  if (logger_->should_log(spdlog::level::info)) logger_->info(line(event, std::move(fields)));
}

void ServerLog::debug(const std::string& event, nlohmann::json fields) {
  if (logger_->should_log(spdlog::level::debug)) logger_->debug(line(event, std::move(fields)));
}

}  // namespace stepwise::internal
