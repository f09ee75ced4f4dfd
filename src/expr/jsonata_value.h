// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A JSONata-mode field value (ASL-REFERENCE.md section 5): any JSON value in which every string
// of the form "{% <expression> %}", at any depth, is a JSONata expression evaluated at run
// time. Expressions are compiled once at load time by the JSONata engine (src/jsonata); a
// syntax error is a load-time diagnostic. Evaluation binds `$states` (input, context, result,
// errorOutput), the workflow variables the expressions name, and AWS's added functions
// (`$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`).
#ifndef STEPWISE_SRC_EXPR_JSONATA_VALUE_H_
#define STEPWISE_SRC_EXPR_JSONATA_VALUE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "path/json_path.h"
#include "stepwise/diagnostic.h"
#include "stepwise/jsonata.h"
#include "util/outcome.h"
#include "util/random.h"

namespace stepwise::jsonata::internal {
struct Analysis;
}  // namespace stepwise::jsonata::internal

namespace stepwise::internal {

// True when `s` is a JSONata template string: it starts with "{%" and ends with "%}".
bool is_jsonata_string(std::string_view s);
// The expression inside "{% ... %}". REQUIRES: is_jsonata_string(s).
std::string_view jsonata_body(std::string_view s);

// What a JSONata field is evaluated against. Pointers may be null when not available.
struct JsonataEnv {
  const nlohmann::json* input = nullptr;         // $states.input
  const nlohmann::json* context = nullptr;       // $states.context
  const nlohmann::json* result = nullptr;        // $states.result
  const nlohmann::json* error_output = nullptr;  // $states.errorOutput
  const VariableScope* variables = nullptr;
  Random* random = nullptr;
  std::int64_t now = 0;  // nanoseconds since the epoch, for $now() and $millis()
  // Evaluation limits (`jsonata::EvaluateOptions`; 0 means its default) and the deepest value
  // `$parse` may build (0: no limit).
  int max_depth = 0;
  std::uint64_t max_steps = 0;
  std::size_t max_payload_depth = 0;
};

// Immutable after construction; safe to use from any number of threads.
class JsonataValue {
 public:
  // Compiles every "{% %}" string in `source`, found at `pointer`. Malformed delimiters,
  // expressions that do not parse, and the functions AWS forbids (`$eval`) are reported as
  // SCHEMA_VALIDATION_FAILED diagnostics.
  static JsonataValue compile(const nlohmann::json& source, std::string_view pointer,
                              std::vector<Diagnostic>& diagnostics);

  JsonataValue() = default;

  const nlohmann::json& source() const { return source_; }
  // True when no string in the value is an expression.
  bool is_constant() const { return constant_; }
  // True when the whole value is one expression string.
  bool is_expression() const { return source_.is_string() && !constant_; }

  // Evaluates the value. `field` names the field for error causes ("Output", "Arguments",
  // "Assign", ...); nested expressions add their path ("Output/result"). Failures are
  // States.QueryEvaluationError with AWS's cause texts (without the state prefix):
  //   "The JSONata expression '<expr>' specified for the field '<field>' returned nothing
  //    (undefined)." / "... threw an error during evaluation. <code>: <message>" /
  //   "... returned an unsupported result type."
  // An expression nested in an object or array that yields undefined drops its key or element.
  Outcome<nlohmann::json> evaluate(const JsonataEnv& env, std::string_view field) const;

  // Like `evaluate` for a value that is one expression, returning an undefined result as
  // `nullopt` instead of failing (Choice `Condition`, optional fields).
  Outcome<std::optional<nlohmann::json>> evaluate_optional(const JsonataEnv& env,
                                                           std::string_view field) const;

 private:
  struct Compiled {
    jsonata::Expression expression;
    std::string text;  // the body, trimmed, as AWS quotes it
    // Free `$name`s the expression reads, function names included (a variable shadows a
    // function of the same name); from its syntax tree (jsonata/analysis.h).
    std::vector<std::string> variables;
    // Which parts of `$states` the expression uses; only those are bound (binding converts
    // the value, and `$states.context.Execution.Input` can be the whole execution input).
    bool all_states = false, input = false, context = false, execution = false, result = false,
         error_output = false;
  };
  static void note_uses(const jsonata::internal::Analysis& uses, Compiled& c);
  Outcome<std::optional<nlohmann::json>> evaluate_node(const nlohmann::json& node,
                                                       const std::string& pointer,
                                                       const JsonataEnv& env,
                                                       const std::string& field) const;

  nlohmann::json source_;
  bool constant_ = true;
  // Compiled expressions by their pointer relative to the value's root ("" for the root).
  std::shared_ptr<const std::map<std::string, Compiled>> compiled_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_EXPR_JSONATA_VALUE_H_
