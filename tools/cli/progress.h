// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Progress of long `run` and `test` commands (DESIGN.md section 10): one status line on
// stderr, redrawn at most ten times a second and cleared at the end, drawn only when stderr
// is a terminal (never on a pipe or a file, so output stays byte-for-byte the same there).
// Nothing is drawn during the first 300 ms, so quick commands never flicker.
#ifndef STEPWISE_TOOLS_CLI_PROGRESS_H_
#define STEPWISE_TOOLS_CLI_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "stepwise/history.h"

namespace stepwise::tools {

// One redrawn line on stderr. Not thread-safe: use from one thread at a time.
class ProgressLine {
 public:
  // Enabled when stderr is a terminal (and TERM is not "dumb").
  ProgressLine();
  explicit ProgressLine(bool enabled);
  ~ProgressLine();  // clears the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool enabled() const { return enabled_; }
  // True when a redraw is allowed now (enabled, past the first 300 ms, 100 ms since the last).
  bool due() const;
  // Draws `text` (cut to the terminal's width) when `due()`.
  void update(const std::string& text);
  // Erases the line, if anything was drawn.
  void clear();
  // Seconds since construction, e.g. "3.2s".
  std::string elapsed() const;

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

// Counts an execution's events for `run`: states entered, Map iterations done, elapsed time.
// The engine calls it on the stepping thread (history.h).
class RunProgress final : public HistoryListener {
 public:
  explicit RunProgress(std::shared_ptr<ProgressLine> line) : line_(std::move(line)) {}
  void on_event(const std::string& execution_name, const HistoryEvent& event) override;

 private:
  std::shared_ptr<ProgressLine> line_;
  std::size_t states_entered_ = 0;
  std::size_t map_items_done_ = 0;
  std::size_t map_items_started_ = 0;
  std::size_t events_ = 0;
};

}  // namespace stepwise::tools

#endif  // STEPWISE_TOOLS_CLI_PROGRESS_H_
