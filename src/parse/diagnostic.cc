// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `Diagnostic` names and formatting.
#include "stepwise/diagnostic.h"

namespace stepwise {

std::string_view diagnostic_code_name(DiagnosticCode code) {
  switch (code) {
    case DiagnosticCode::kInvalidJsonDescription:
      return "INVALID_JSON_DESCRIPTION";
    case DiagnosticCode::kMissingDescription:
      return "MISSING_DESCRIPTION";
    case DiagnosticCode::kSchemaValidationFailed:
      return "SCHEMA_VALIDATION_FAILED";
    case DiagnosticCode::kInvalidResource:
      return "INVALID_RESOURCE";
    case DiagnosticCode::kMissingEndState:
      return "MISSING_END_STATE";
    case DiagnosticCode::kDuplicateStateName:
      return "DUPLICATE_STATE_NAME";
    case DiagnosticCode::kInvalidStateName:
      return "INVALID_STATE_NAME";
    case DiagnosticCode::kDuplicateLabelName:
      return "DUPLICATE_LABEL_NAME";
    case DiagnosticCode::kInvalidLabelName:
      return "INVALID_LABEL_NAME";
    case DiagnosticCode::kMissingTransitionTarget:
      return "MISSING_TRANSITION_TARGET";
    case DiagnosticCode::kTooDeeplyNested:
      return "TOO_DEEPLY_NESTED";
    case DiagnosticCode::kDefinitionTooLarge:
      return "DEFINITION_TOO_LARGE";
    case DiagnosticCode::kTooManyStates:
      return "TOO_MANY_STATES";
    case DiagnosticCode::kNoDollar:
      return "NO_DOLLAR";
    case DiagnosticCode::kNoPath:
      return "NO_PATH";
    case DiagnosticCode::kPassResultIsStatic:
      return "PASS_RESULT_IS_STATIC";
  }
  return "UNKNOWN";
}

std::string Diagnostic::to_string() const {
  std::string s;
  if (!pointer.empty()) {
    s += pointer;
    s += ": ";
  }
  s += diagnostic_code_name(code);
  s += ": ";
  s += message;
  return s;
}

std::string json_pointer_append(std::string_view pointer, std::string_view token) {
  std::string s(pointer);
  s.reserve(s.size() + token.size() + 1);
  s += '/';
  for (char c : token) {
    if (c == '~') {
      s += "~0";
    } else if (c == '/') {
      s += "~1";
    } else {
      s += c;
    }
  }
  return s;
}

}  // namespace stepwise
