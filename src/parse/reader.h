// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Typed field access over a JSON object that always knows its JSON pointer, so every problem
// becomes a `Diagnostic` pointing at the field that has it. Readers never throw and never stop
// at the first problem.
#ifndef STEPWISE_SRC_PARSE_READER_H_
#define STEPWISE_SRC_PARSE_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/diagnostic.h"

namespace stepwise::internal {

using nlohmann::json;

// Collects diagnostics for one load. Not thread-safe: use from one thread at a time.
class DiagnosticSink {
 public:
  explicit DiagnosticSink(bool warnings) : warnings_(warnings) {}

  void error(std::string pointer, DiagnosticCode code, std::string message) {
    diagnostics_.push_back({code, std::move(pointer), std::move(message), Severity::kError});
    ++errors_;
  }
  void schema(std::string pointer, std::string message) {
    error(std::move(pointer), DiagnosticCode::kSchemaValidationFailed, std::move(message));
  }
  void warning(std::string pointer, DiagnosticCode code, std::string message) {
    if (warnings_) {
      diagnostics_.push_back({code, std::move(pointer), std::move(message), Severity::kWarning});
    }
  }
  // Moves in diagnostics produced by a component (templates, JSONata values).
  void absorb(std::vector<Diagnostic>& more) {
    for (Diagnostic& d : more) {
      if (d.is_error()) {
        ++errors_;
        diagnostics_.push_back(std::move(d));
      } else if (warnings_) {
        diagnostics_.push_back(std::move(d));
      }
    }
    more.clear();
  }

  std::size_t error_count() const { return errors_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  bool warnings_;
  std::size_t errors_ = 0;
  std::vector<Diagnostic> diagnostics_;
};

// A JSON object being read, with its pointer.
class Reader {
 public:
  Reader(const json& object, std::string pointer, DiagnosticSink& sink)
      : object_(object), pointer_(std::move(pointer)), sink_(sink) {}

  const json& object() const { return object_; }
  const std::string& pointer() const { return pointer_; }
  DiagnosticSink& sink() const { return sink_; }
  std::string pointer_of(std::string_view key) const { return json_pointer_append(pointer_, key); }

  bool has(std::string_view key) const { return object_.find(key) != object_.end(); }
  const json* find(std::string_view key) const {
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  // A string field. Reports a missing required field or a wrong type.
  std::optional<std::string> string(std::string_view key, bool required = false) const;
  // A boolean field.
  std::optional<bool> boolean(std::string_view key) const;
  // An integer field within [min, max].
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min,
                                      std::int64_t max) const;
  // A number field within [min, max].
  std::optional<double> number(std::string_view key, double min, double max) const;
  // An object field.
  const json* object_field(std::string_view key, bool required = false) const;
  // An array field; `non_empty` reports "Value cannot be empty".
  const json* array_field(std::string_view key, bool required, bool non_empty) const;

  void missing(std::string_view key) const;

 private:
  const json& object_;
  std::string pointer_;
  DiagnosticSink& sink_;
};

// The JSON type name used in messages: "string", "integer", "object", ...
std::string_view json_type_name(const json& v);

// True when `v` is a JSON number with an integral value that fits in int64.
bool integral_value(const json& v, std::int64_t& out);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_PARSE_READER_H_
