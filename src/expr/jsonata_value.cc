// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONata field values: delimiter checks at load time.
#include "expr/jsonata_value.h"

#include <fmt/format.h>

namespace stepwise::internal {
namespace {

bool check(const nlohmann::json& v, const std::string& pointer, std::vector<Diagnostic>& diags) {
  bool constant = true;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    bool opens = s.size() >= 2 && s.compare(0, 2, "{%") == 0;
    bool closes = s.size() >= 2 && s.compare(s.size() - 2, 2, "%}") == 0;
    if (opens && closes && s.size() >= 4) {
      std::string_view body = jsonata_body(s);
      if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        diags.push_back({DiagnosticCode::kSchemaValidationFailed, pointer,
                         "The JSONata expression is empty"});
      }
      constant = false;
    } else if (opens) {
      diags.push_back({DiagnosticCode::kSchemaValidationFailed, pointer,
                       fmt::format("The JSONata expression '{}' must end with '%}}'", s)});
    } else if (closes && s.find("{%") != std::string::npos) {
      diags.push_back({DiagnosticCode::kSchemaValidationFailed, pointer,
                       fmt::format("The JSONata expression '{}' must start with '{{%'", s)});
    }
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      constant &= check(it.value(), json_pointer_append(pointer, it.key()), diags);
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      constant &= check(v[i], json_pointer_append(pointer, std::to_string(i)), diags);
    }
  }
  return constant;
}

}  // namespace

bool is_jsonata_string(std::string_view s) {
  return s.size() >= 4 && s.substr(0, 2) == "{%" && s.substr(s.size() - 2) == "%}";
}

std::string_view jsonata_body(std::string_view s) { return s.substr(2, s.size() - 4); }

JsonataValue JsonataValue::compile(const nlohmann::json& source, std::string_view pointer,
                                   std::vector<Diagnostic>& diagnostics) {
  JsonataValue v;
  v.source_ = source;
  v.constant_ = check(source, std::string(pointer), diagnostics);
  return v;
}

}  // namespace stepwise::internal
