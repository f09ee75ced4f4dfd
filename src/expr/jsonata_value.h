// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A JSONata-mode field value (ASL-REFERENCE.md section 5): any JSON value in which every string
// of the form "{% <expression> %}", at any depth, is a JSONata expression evaluated at run time.
// The loader checks the delimiters and keeps the expression texts; expressions are compiled by
// the JSONata engine (src/jsonata) when it is linked in.
#ifndef STEPWISE_SRC_EXPR_JSONATA_VALUE_H_
#define STEPWISE_SRC_EXPR_JSONATA_VALUE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/diagnostic.h"

namespace stepwise::internal {

// True when `s` is a JSONata template string: it starts with "{%" and ends with "%}".
bool is_jsonata_string(std::string_view s);
// The expression inside "{% ... %}". REQUIRES: is_jsonata_string(s).
std::string_view jsonata_body(std::string_view s);

// Immutable after construction; safe to use from any number of threads.
class JsonataValue {
 public:
  // Checks `source`, found at `pointer`, for malformed delimiters (a string that opens with
  // "{%" but does not close with "%}", or an expression with nothing inside) and appends a
  // SCHEMA_VALIDATION_FAILED diagnostic for each.
  static JsonataValue compile(const nlohmann::json& source, std::string_view pointer,
                              std::vector<Diagnostic>& diagnostics);

  JsonataValue() = default;

  const nlohmann::json& source() const { return source_; }
  // True when no string in the value is an expression.
  bool is_constant() const { return constant_; }
  // True when the whole value is one expression string.
  bool is_expression() const { return source_.is_string() && !constant_; }

 private:
  nlohmann::json source_;
  bool constant_ = true;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_EXPR_JSONATA_VALUE_H_
