// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A `HistoryListener` that logs execution history through an spdlog logger the host gives it.
// Header-only and optional: include it only in hosts that use spdlog themselves (the library
// links spdlog privately and never touches spdlog's global registry or defaults).
//
//   auto logger = spdlog::stderr_color_mt("workflows");
//   options.history_listeners.push_back(std::make_shared<stepwise::SpdlogListener>(logger));
//
// State entries and exits, and execution starts and ends, are logged at info; failures
// (TaskFailed, ExecutionFailed, ...) at warn; every other event at debug.
#ifndef STEPWISE_SPDLOG_LISTENER_H_
#define STEPWISE_SPDLOG_LISTENER_H_

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "stepwise/history.h"

namespace stepwise {

// Thread-safe when the logger is (spdlog's `_mt` loggers are); the engine calls it on the
// stepping thread.
class SpdlogListener final : public HistoryListener {
 public:
  explicit SpdlogListener(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}

  void on_event(const std::string& execution_name, const HistoryEvent& event) override {
    std::string_view type = event.type;
    auto ends_with = [&](std::string_view s) {
      return type.size() >= s.size() && type.substr(type.size() - s.size()) == s;
    };
    spdlog::level::level_enum level = spdlog::level::debug;
    if (ends_with("Failed") || ends_with("TimedOut") || ends_with("Aborted")) {
      level = spdlog::level::warn;
    } else if (ends_with("StateEntered") || ends_with("StateExited") ||
               type.substr(0, 9) == "Execution") {
      level = spdlog::level::info;
    }
    if (!logger_->should_log(level)) return;
    std::string detail;
    if (event.details.is_object()) {
      if (auto it = event.details.find("name"); it != event.details.end() && it->is_string()) {
        detail = " " + it->get<std::string>();
      }
      if (auto it = event.details.find("error"); it != event.details.end() && it->is_string()) {
        detail += " error=" + it->get<std::string>();
      }
      if (auto it = event.details.find("cause"); it != event.details.end() && it->is_string()) {
        detail += " cause=" + it->get<std::string>();
      }
    }
    logger_->log(level, "[{}] #{} {}{}", execution_name, event.id, type, detail);
  }

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace stepwise

#endif  // STEPWISE_SPDLOG_LISTENER_H_
