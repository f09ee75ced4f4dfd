// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONPath-mode payload templates (ASL-REFERENCE.md section 3.2): `Parameters`,
// `ResultSelector`, `ItemSelector`, `Assign`, `ItemBatcher.BatchInput`, `Credentials`, ... A
// key ending in `.$` at any depth (objects nested in arrays included) has a string value that
// is a path (`$...`, `$$...`, `$var...`) or an intrinsic call; the key loses its `.$`. Other
// values are copied literally. Compiled once at load time.
#ifndef STEPWISE_SRC_EXPR_PAYLOAD_TEMPLATE_H_
#define STEPWISE_SRC_EXPR_PAYLOAD_TEMPLATE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "intrinsics/intrinsics.h"
#include "path/json_path.h"
#include "stepwise/diagnostic.h"
#include "util/outcome.h"

namespace stepwise::internal {

// Immutable after construction; safe to use from any number of threads.
class PayloadTemplate {
 public:
  // Compiles `tmpl`, found at JSON pointer `pointer` of the definition. Each problem is appended
  // to `diagnostics` as SCHEMA_VALIDATION_FAILED with AWS's message, e.g. at pointer
  // "/States/S/Parameters": "The value for the field 'parsed.$' must be a valid JSONPath or a
  // valid intrinsic function call"; keys that collide after `.$` is stripped; a `.$` value that
  // is not a string. Keys without `.$` whose value looks like a path yield a NO_DOLLAR warning.
  // Returns a template even when diagnostics were added (the caller checks them).
  static PayloadTemplate compile(const nlohmann::json& tmpl, std::string_view pointer,
                                 std::vector<Diagnostic>& diagnostics);

  PayloadTemplate();
  ~PayloadTemplate();
  PayloadTemplate(const PayloadTemplate&);
  PayloadTemplate& operator=(const PayloadTemplate&);
  PayloadTemplate(PayloadTemplate&&) noexcept;
  PayloadTemplate& operator=(PayloadTemplate&&) noexcept;

  // The template as written in the definition.
  const nlohmann::json& source() const;
  // True when the template has no `.$` key at any depth (evaluation is a copy of source()).
  bool is_constant() const;

  // Builds the payload. A path that matches nothing fails with States.Runtime and the cause
  // "The JSONPath '<path>' specified for the field '<key>.$' could not be found in the input
  // '<input as compact JSON>'" (the input is named for `$$` and `$var` paths too, as AWS does);
  // intrinsic failures pass through.
  Outcome<nlohmann::json> evaluate(const PathRoots& roots, IntrinsicEnv& env) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_EXPR_PAYLOAD_TEMPLATE_H_
