// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Loading a definition: `parse_state_machine` reads ASL JSON, validates it against the rules AWS
// applies (the Amazon States Language specification, as AWS enforces it), compiles every path,
// template, intrinsic call and JSONata expression, and returns an immutable `StateMachine` or
// every problem found.
#ifndef STEPWISE_PARSER_H_
#define STEPWISE_PARSER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/diagnostic.h"
#include "stepwise/export.h"
#include "stepwise/state_machine.h"

namespace stepwise {

// Options for `parse_state_machine`. Limits default to AWS's quotas where AWS has one; each
// exists so hostile input ends in a diagnostic within bounded time and memory.
struct ParseOptions {
  // --- Behaviour ---
  // Validate as an EXPRESS state machine: `.sync`, `.waitForTaskToken`, activities and
  // Distributed Map are refused, as AWS refuses them at creation.
  // Default: false (STANDARD).
  bool express = false;
  // Report warnings (NO_DOLLAR, NO_PATH, PASS_RESULT_IS_STATIC) besides errors. Warnings never
  // make a definition invalid.
  // Default: false.
  bool warnings = false;

  // --- Limits ---
  // Largest definition text accepted, in bytes (AWS: 1 MB hard quota).
  // Default: 1,048,576.
  std::size_t max_definition_bytes = 1024 * 1024;
  // Deepest JSON nesting (objects and arrays) accepted in the definition text.
  // Default: 512.
  std::size_t max_json_depth = 512;
  // Most states accepted, nested states included.
  // Default: 100,000.
  std::size_t max_states = 100000;
  // Deepest nesting of Parallel branches and Map processors (TOO_DEEPLY_NESTED).
  // Default: 50.
  std::size_t max_state_nesting = 50;
  // Most diagnostics reported; the rest are counted in a final one. AWS returns up to 100.
  // Default: 100.
  std::size_t max_diagnostics = 100;
};

// The outcome of `parse_state_machine`: a machine, or the diagnostics saying why there is none.
// Warnings may accompany a machine. Value type; not thread-safe.
class STEPWISE_EXPORT ParseResult {
 public:
  ParseResult(std::shared_ptr<const StateMachine> machine, std::vector<Diagnostic> diagnostics)
      : machine_(std::move(machine)), diagnostics_(std::move(diagnostics)) {}

  // True when the definition is valid (it may still carry warnings).
  bool ok() const { return machine_ != nullptr; }
  // The machine; null unless ok().
  const std::shared_ptr<const StateMachine>& machine() const { return machine_; }
  // Every problem found, errors and (when asked for) warnings, in document order.
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::shared_ptr<const StateMachine> machine_;
  std::vector<Diagnostic> diagnostics_;
};

// Loads an ASL definition from its JSON text. Malformed JSON yields INVALID_JSON_DESCRIPTION
// with line and column; every other problem is reported with its pointer (see diagnostic.h).
// Never throws.
STEPWISE_EXPORT ParseResult parse_state_machine(std::string_view text,
                                                const ParseOptions& options = {});

// Overloads that keep strings from converting to `nlohmann::json`.
inline ParseResult parse_state_machine(const std::string& text, const ParseOptions& options = {}) {
  return parse_state_machine(std::string_view(text), options);
}
inline ParseResult parse_state_machine(const char* text, const ParseOptions& options = {}) {
  return parse_state_machine(std::string_view(text), options);
}

// Loads an ASL definition already parsed as JSON. Never throws.
STEPWISE_EXPORT ParseResult parse_state_machine(const nlohmann::json& definition,
                                                const ParseOptions& options = {});

}  // namespace stepwise

#endif  // STEPWISE_PARSER_H_
