// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Definition errors, the first of the API's three error channels (see status.h): every problem the
// loader finds in a definition is a `Diagnostic` with an RFC 6901 JSON pointer into the submitted
// document, a stable code (AWS's ValidateStateMachineDefinition codes where AWS has one) and a
// message.
#ifndef STEPWISE_DIAGNOSTIC_H_
#define STEPWISE_DIAGNOSTIC_H_

#include <string>
#include <string_view>
#include <vector>

#include "stepwise/export.h"

namespace stepwise {

// Diagnostic codes. The names (see `diagnostic_code_name`) are AWS's where AWS has the code.
// Values are persisted and emitted; do not renumber.
enum class DiagnosticCode : int {
  // Errors.
  kInvalidJsonDescription = 0,   // INVALID_JSON_DESCRIPTION: not JSON; line and column given
  kMissingDescription = 1,       // MISSING_DESCRIPTION: empty or null definition
  kSchemaValidationFailed = 2,   // SCHEMA_VALIDATION_FAILED: a field is wrong, missing or extra
  kInvalidResource = 3,          // INVALID_RESOURCE: a Task resource is not an ARN we know
  kMissingEndState = 4,          // MISSING_END_STATE: no terminal state
  kDuplicateStateName = 5,       // DUPLICATE_STATE_NAME
  kInvalidStateName = 6,         // INVALID_STATE_NAME: empty or longer than 80 characters
  kDuplicateLabelName = 7,       // DUPLICATE_LABEL_NAME
  kInvalidLabelName = 8,         // INVALID_LABEL_NAME
  kMissingTransitionTarget = 9,  // MISSING_TRANSITION_TARGET: dangling Next, unreachable state
  kTooDeeplyNested = 10,         // TOO_DEEPLY_NESTED: nesting or JSON depth over the limit
  kDefinitionTooLarge = 11,      // DEFINITION_TOO_LARGE: over the definition size limit
  kTooManyStates = 12,           // TOO_MANY_STATES: over the state count limit
  // Warnings.
  kNoDollar = 100,            // NO_DOLLAR: looks like a path but the key has no `.$`
  kNoPath = 101,              // NO_PATH: looks like a path but the field is not a Path field
  kPassResultIsStatic = 102,  // PASS_RESULT_IS_STATIC: a path inside a Pass `Result`
};

enum class Severity : int { kError = 0, kWarning = 1 };

// The AWS-style name of `code`, e.g. "SCHEMA_VALIDATION_FAILED".
STEPWISE_EXPORT std::string_view diagnostic_code_name(DiagnosticCode code);

// One problem found in a definition. Value type; safe to use from any number of threads.
struct STEPWISE_EXPORT Diagnostic {
  DiagnosticCode code = DiagnosticCode::kSchemaValidationFailed;
  // RFC 6901 pointer into the submitted document, e.g. "/States/Retrying/Retry/0/BackoffRate".
  // Empty for problems of the whole document (MISSING_END_STATE, JSON syntax errors).
  std::string pointer;
  std::string message;
  Severity severity = Severity::kError;

  bool is_error() const { return severity == Severity::kError; }
  // "POINTER: CODE: message" (the pointer part is omitted when empty).
  std::string to_string() const;
};

// Appends RFC 6901 escapes of `token` (`~` → `~0`, `/` → `~1`) to `pointer` after a `/`.
STEPWISE_EXPORT std::string json_pointer_append(std::string_view pointer, std::string_view token);

}  // namespace stepwise

#endif  // STEPWISE_DIAGNOSTIC_H_
