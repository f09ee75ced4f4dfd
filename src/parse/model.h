// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The typed, compiled model of a state machine, as the loader builds it and the interpreter
// reads it. Every path, payload template, intrinsic call and JSONata template is compiled at
// load time; every transition is a `StateId` into its scope's state vector. Nothing here is
// parsed or looked up by name while an execution runs.
//
// Design choices: each `States` object (the root, every Parallel branch, every Map processor)
// is a `Graph` of its own, owned by its parent state, so transitions are scope-local indexes.
// A `State` is one struct with the fields of every type (most absent), which keeps the
// interpreter's I/O pipeline a single code path over all types. Fields that are often absent
// cost a pointer when absent (`Boxed`, `DynamicField`), keeping a `State` under 600 bytes.
#ifndef STEPWISE_SRC_PARSE_MODEL_H_
#define STEPWISE_SRC_PARSE_MODEL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "expr/jsonata_value.h"
#include "expr/payload_template.h"
#include "intrinsics/intrinsics.h"
#include "path/json_path.h"
#include "policy/retry.h"
#include "stepwise/state_machine.h"

namespace stepwise::internal {

using nlohmann::json;

inline constexpr StateId kNoState = static_cast<StateId>(-1);

// An optional value kept on the heap, so an absent one costs a pointer. For the large, rarely
// present members of `State` (one `State` exists per state, and a small `State` keeps loading
// linear in the number of states). Used like `std::optional`.
template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(const Boxed& other) : value_(other.value_ ? std::make_unique<T>(*other.value_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) value_ = other.value_ ? std::make_unique<T>(*other.value_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(T value) {
    value_ = std::make_unique<T>(std::move(value));
    return *this;
  }
  Boxed& operator=(std::optional<T> value) {
    value_ = value ? std::make_unique<T>(std::move(*value)) : nullptr;
    return *this;
  }

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return value_ != nullptr; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return value_.get(); }
  const T* operator->() const { return value_.get(); }
  // REQUIRES: has_value().
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  template <typename U>
  T value_or(U&& fallback) const {
    return value_ ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }
  void reset() { value_.reset(); }

 private:
  std::unique_ptr<T> value_;
};

// InputPath / OutputPath / ResultPath: absent (the default `$`), `null`, or a path.
struct OptionalPath {
  enum class Kind : std::uint8_t { kDefault, kNull, kPath };
  Kind kind = Kind::kDefault;
  JsonPath path;
  bool is_identity() const {
    return kind == Kind::kDefault ||
           (kind == Kind::kPath && path.is_root_only() && path.root() == JsonPath::Root::kInput);
  }
};

// A field whose value is a literal, a reference path (`...Path` form), an intrinsic call
// (Fail's ErrorPath/CausePath) or a JSONata template: TimeoutSeconds, HeartbeatSeconds,
// Seconds, Timestamp, MaxConcurrency, ToleratedFailure*, Error, Cause, MaxItems, ...
// An absent field is one null pointer (a `State` has nine of these, most absent); a present one
// keeps its name and value on the heap. Built by the `of_*` factories; copies are deep.
class DynamicField {
 public:
  enum class Kind : std::uint8_t { kAbsent, kLiteral, kPath, kIntrinsic, kJsonata };

  DynamicField() = default;  // absent
  static DynamicField of_literal(std::string field, json literal) {
    return DynamicField(std::move(field), Value(std::in_place_type<json>, std::move(literal)));
  }
  static DynamicField of_path(std::string field, JsonPath path) {
    return DynamicField(std::move(field), Value(std::in_place_type<JsonPath>, std::move(path)));
  }
  static DynamicField of_intrinsic(std::string field, IntrinsicCall intrinsic) {
    return DynamicField(std::move(field),
                        Value(std::in_place_type<IntrinsicCall>, std::move(intrinsic)));
  }
  static DynamicField of_jsonata(std::string field, JsonataValue jsonata) {
    return DynamicField(std::move(field),
                        Value(std::in_place_type<JsonataValue>, std::move(jsonata)));
  }

  Kind kind() const {
    return value_ ? static_cast<Kind>(value_->value.index() + 1) : Kind::kAbsent;
  }
  bool present() const { return value_.has_value(); }
  // The field name as written (e.g. "TimeoutSecondsPath"), for error causes.
  // REQUIRES: present().
  const std::string& field() const { return value_->field; }
  // The value; each REQUIRES: kind() is the matching kind.
  const json& literal() const { return std::get<json>(value_->value); }
  const JsonPath& path() const { return std::get<JsonPath>(value_->value); }
  const IntrinsicCall& intrinsic() const { return std::get<IntrinsicCall>(value_->value); }
  const JsonataValue& jsonata() const { return std::get<JsonataValue>(value_->value); }

 private:
  // Alternatives in `Kind` order, after kAbsent.
  using Value = std::variant<json, JsonPath, IntrinsicCall, JsonataValue>;
  struct Present {
    std::string field;
    Value value;
  };
  DynamicField(std::string field, Value value) {
    value_ = Present{std::move(field), std::move(value)};
  }

  Boxed<Present> value_;
};

// JSONPath `Assign`, or JSONata `Assign`: exactly one is set when present.
struct AssignSpec {
  Boxed<PayloadTemplate> jsonpath;
  Boxed<JsonataValue> jsonata;
  bool present() const { return jsonpath.has_value() || jsonata.has_value(); }
};

// A Retry rule: the fields that decide (policy/retry.h), and those that only the serializer
// needs.
struct Retrier : RetryRule {
  std::optional<std::string> comment;
  // Which explicit fields were written, so the serializer reproduces the definition.
  bool has_interval = false, has_max_attempts = false, has_backoff = false, has_jitter = false;
  bool backoff_is_integer = false;  // BackoffRate written as an integer (`2`, not `2.0`)
};

// A Catch rule: `ErrorEquals` (policy/retry.h), the transition and the error output.
struct Catcher : CatchRule {
  std::string next_name;
  StateId next = kNoState;
  OptionalPath result_path;    // JSONPath
  Boxed<JsonataValue> output;  // JSONata
  AssignSpec assign;
  std::optional<std::string> comment;
};

// A JSONPath Choice rule (ASL-REFERENCE.md section 7.1).
enum class ChoiceOp : std::uint8_t {
  kAnd,
  kOr,
  kNot,
  kStringEquals,
  kStringLessThan,
  kStringGreaterThan,
  kStringLessThanEquals,
  kStringGreaterThanEquals,
  kStringMatches,
  kNumericEquals,
  kNumericLessThan,
  kNumericGreaterThan,
  kNumericLessThanEquals,
  kNumericGreaterThanEquals,
  kBooleanEquals,
  kTimestampEquals,
  kTimestampLessThan,
  kTimestampGreaterThan,
  kTimestampLessThanEquals,
  kTimestampGreaterThanEquals,
  kIsNull,
  kIsPresent,
  kIsNumeric,
  kIsString,
  kIsBoolean,
  kIsTimestamp,
};

struct ChoiceRule {
  ChoiceOp op = ChoiceOp::kAnd;
  std::string op_name;  // e.g. "StringEqualsPath", as written
  bool operand_is_path = false;
  JsonPath variable;                 // data-test rules
  json operand;                      // literal operand
  JsonPath operand_path;             // `...Path` operand
  std::int64_t timestamp_nanos = 0;  // literal Timestamp* operand, parsed at load time
  std::vector<ChoiceRule> children;  // And/Or (many), Not (one)
  std::optional<std::string> comment;
};

// A top-level Choice branch: a JSONPath rule or a JSONata Condition, with its Next.
struct ChoiceBranch {
  std::optional<ChoiceRule> rule;
  std::optional<JsonataValue> condition;
  std::string next_name;
  StateId next = kNoState;
  AssignSpec assign;
  Boxed<JsonataValue> output;
  std::optional<std::string> comment;
};

// A Task resource, split into its parts (ASL-REFERENCE.md section 10).
struct ResourceInfo {
  enum class Kind : std::uint8_t { kLambdaFunction, kActivity, kService, kSdk, kOther };
  enum class Pattern : std::uint8_t { kRequestResponse, kSync, kSync2, kWaitForTaskToken };
  Kind kind = Kind::kOther;
  Pattern pattern = Pattern::kRequestResponse;
  std::string partition;  // "aws"
  std::string service;    // "lambda", "sqs", "aws-sdk:s3", ...
  std::string action;     // "invoke", "sendMessage.waitForTaskToken", ...
  std::string region;
};

struct Graph;

struct ItemReaderSpec {
  json source;  // the ItemReader object as written (interpreted by the Distributed Map work)
  std::string resource;
  std::optional<PayloadTemplate> parameters;
  std::optional<JsonataValue> arguments;
  DynamicField max_items;
};

struct ItemBatcherSpec {
  json source;
  DynamicField max_items_per_batch;
  DynamicField max_input_bytes_per_batch;
  std::optional<PayloadTemplate> batch_input;
  std::optional<JsonataValue> batch_input_jsonata;
};

// A Task's `Credentials` (JSONPath payload template or JSONata value).
struct CredentialsSpec {
  json source;  // the object as written
  std::optional<PayloadTemplate> jsonpath;
  std::optional<JsonataValue> jsonata;
};

// A Wait state's fields; exactly one of `seconds` and `timestamp` is present.
struct WaitSpec {
  DynamicField seconds;    // Seconds / SecondsPath
  DynamicField timestamp;  // Timestamp / TimestampPath
  std::int64_t timestamp_literal_nanos = 0;
};

// A Fail state's fields.
struct FailSpec {
  DynamicField error;  // Error / ErrorPath
  DynamicField cause;  // Cause / CausePath
};

// A Map's ItemProcessor.ProcessorConfig.
struct ProcessorConfigSpec {
  json source;                                // the object as written
  std::optional<std::string> execution_type;  // ExecutionType
};

// One state. Fields of every type sit side by side; the groups that only one type has are
// boxed, so an absent group costs a pointer (a 10,000-state machine loads with its states in
// cache).
struct State {
  std::string name;
  std::string pointer;  // RFC 6901 pointer of the state object in the definition
  StateType type = StateType::kPass;
  QueryLanguage query_language = QueryLanguage::kJSONPath;
  bool query_language_explicit = false;
  bool processor_is_iterator = false;  // Map: written as the deprecated `Iterator`
  bool distributed = false;            // Map: ProcessorConfig.Mode is DISTRIBUTED
  StateId default_next = kNoState;     // Choice (see below)
  Boxed<std::string> comment;

  // Transition (Task, Pass, Wait, Parallel, Map).
  std::string next_name;
  StateId next = kNoState;
  bool end = false;
  // The state's Type or transition fields could not be read (already reported). The validator
  // then assumes nothing about where it leads, so no MISSING_END_STATE follows from it.
  bool malformed = false;
  // Fields the whole-machine walk reads for every state are kept together here, ahead of the
  // type-specific ones, so the walk touches few cache lines per state.
  std::vector<Catcher> catch_rules;  // Task, Parallel, Map

  // Choice.
  std::vector<ChoiceBranch> choices;
  std::string default_name;  // resolved to `default_next`

  // Parallel.
  std::vector<std::shared_ptr<const Graph>> branches;
  // Map.
  std::shared_ptr<const Graph> processor;
  Boxed<std::string> label;

  // JSONPath input/output processing.
  OptionalPath input_path, output_path, result_path;
  Boxed<PayloadTemplate> parameters;  // also Map's deprecated Parameters
  Boxed<PayloadTemplate> result_selector;
  Boxed<json> result;  // Pass
  // JSONata input/output processing.
  Boxed<JsonataValue> arguments;
  Boxed<JsonataValue> output;
  AssignSpec assign;

  // Task.
  std::string resource;
  Boxed<ResourceInfo> resource_info;  // present on every Task state
  DynamicField timeout_seconds;       // TimeoutSeconds / TimeoutSecondsPath
  DynamicField heartbeat_seconds;     // HeartbeatSeconds / HeartbeatSecondsPath
  Boxed<CredentialsSpec> credentials;
  std::vector<Retrier> retry;

  Boxed<WaitSpec> wait;  // present on every Wait state
  Boxed<FailSpec> fail;  // present on every Fail state

  // Map.
  Boxed<ProcessorConfigSpec> processor_config;
  OptionalPath items_path;
  Boxed<JsonataValue> items;
  Boxed<PayloadTemplate> item_selector;
  Boxed<JsonataValue> item_selector_jsonata;
  Boxed<ItemReaderSpec> item_reader;
  Boxed<ItemBatcherSpec> item_batcher;
  Boxed<json> result_writer;
  DynamicField max_concurrency;
  DynamicField tolerated_failure_percentage;
  DynamicField tolerated_failure_count;
};

// One `States` object with its StartAt: the root machine, a Parallel branch or a Map processor.
struct Graph {
  std::string pointer;  // pointer of the object holding StartAt/States
  std::string start_at_name;
  bool start_at_given = false;  // StartAt was present and a string
  StateId start_at = kNoState;
  std::optional<std::string> comment;
  std::optional<QueryLanguage> query_language;  // as written at this root, if at all
  std::vector<State> states;
  std::unordered_map<std::string, StateId> by_name;
  // (name, pointer) of each variable assigned by `Assign` in this scope (not nested scopes),
  // for the rule that an inner scope may not assign an outer scope's variable.
  std::vector<std::pair<std::string, std::string>> assigned_variables;
};

// The whole machine.
struct MachineModel {
  Graph root;
  std::optional<std::string> version;
  std::optional<std::int64_t> timeout_seconds;
  QueryLanguage query_language = QueryLanguage::kJSONPath;
  bool query_language_explicit = false;
  std::size_t total_states = 0;
  // The reader stopped early (TOO_MANY_STATES): whole-machine rules would only report the
  // states it did not read as missing.
  bool truncated = false;
  std::string fingerprint;  // SHA-256 of the canonical definition JSON
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_PARSE_MODEL_H_
