// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// See progress.h.
#include "progress.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <sys/ioctl.h>
#include <unistd.h>

namespace stepwise::tools {
namespace {

using Clock = std::chrono::steady_clock;

bool stderr_is_terminal() {
  if (isatty(2) == 0) return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

std::size_t terminal_width() {
  winsize w{};
  if (ioctl(2, TIOCGWINSZ, &w) == 0 && w.ws_col > 10) return w.ws_col;
  return 80;
}

}  // namespace

ProgressLine::ProgressLine() : ProgressLine(stderr_is_terminal()) {}

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled), start_(Clock::now()), last_(start_) {}

ProgressLine::~ProgressLine() { clear(); }

bool ProgressLine::due() const {
  if (!enabled_) return false;
  auto now = Clock::now();
  return now - start_ >= std::chrono::milliseconds(300) &&
         (!drawn_ || now - last_ >= std::chrono::milliseconds(100));
}

void ProgressLine::update(const std::string& text) {
  if (!due()) return;
  std::size_t width = terminal_width() - 1;
  std::string line = text.size() > width ? text.substr(0, width) : text;
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
  last_ = Clock::now();
}

void ProgressLine::clear() {
  if (!drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

std::string ProgressLine::elapsed() const {
  double s = std::chrono::duration<double>(Clock::now() - start_).count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", s);
  return buf;
}

void RunProgress::on_event(const std::string& /*execution_name*/, const HistoryEvent& event) {
  ++events_;
  std::string_view type = event.type;
  if (type.size() > 12 && type.substr(type.size() - 12) == "StateEntered") {
    ++states_entered_;
  } else if (type == "MapIterationStarted") {
    ++map_items_started_;
  } else if (type == "MapIterationSucceeded" || type == "MapIterationFailed" ||
             type == "MapIterationAborted") {
    ++map_items_done_;
  }
  if (!line_->due()) return;
  std::string text = "running: " + std::to_string(states_entered_) + " states entered";
  if (map_items_started_ > 0) {
    text += ", " + std::to_string(map_items_done_) + "/" + std::to_string(map_items_started_) +
            " Map items done";
  }
  text += ", " + std::to_string(events_) + " events, " + line_->elapsed();
  line_->update(text);
}

}  // namespace stepwise::tools
