// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONata field values: load-time compilation and run-time evaluation with `$states`,
// variables and AWS's added functions.
#include "expr/jsonata_value.h"

#include <cmath>

#include <fmt/format.h>

#include "jsonata/analysis.h"
#include "jsonata/ast.h"
#include "stepwise/errors.h"
#include "util/digest.h"
#include "util/json_limits.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;
namespace js = stepwise::jsonata;

std::string_view trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

// Records what an expression reads: its free variables (function names included: a workflow
// variable named `sum` shadows `$sum`), and which members of `$states` it uses. `$states` used
// other than as `$states.<member>` (alone, `$states[...]`, `$lookup($states, ...)`) binds
// everything; `$states.context` binds `Execution` (which holds the whole input) only when the
// expression may reach it.
void JsonataValue::note_uses(const js::internal::Analysis& uses, Compiled& c) {
  c.variables.assign(uses.variables.begin(), uses.variables.end());
  c.variables.insert(c.variables.end(), uses.functions.begin(), uses.functions.end());
  c.all_states = uses.states_whole;
  c.input = uses.states_members.contains("input");
  c.result = uses.states_members.contains("result");
  c.error_output = uses.states_members.contains("errorOutput");
  c.context = uses.states_members.contains("context");
  if (c.context) {
    c.execution = uses.context_whole;
    for (const std::string& m : uses.context_members) {
      // `.State...`, `.StateMachine...`, `.Map...` and `.Task...` do not need Execution.
      if (m != "State" && m != "StateMachine" && m != "Map" && m != "Task") c.execution = true;
    }
  }
}

namespace {

Failure query_error(std::string cause) {
  return Failure(std::string(errors::kQueryEvaluationError), std::move(cause));
}

js::Outcome type_error(const char* fn, const char* what) {
  return js::Error{"T0410", 0, fn, fmt::format("Argument of function {} must be {}", fn, what)};
}

// Step Functions' additions to JSONata (ASL-REFERENCE.md section 5).
void bind_aws_functions(js::Bindings& b, const JsonataEnv& env) {
  b.set_function("partition", [](std::span<const std::optional<json>> args) -> js::Outcome {
    if (args.size() != 2 || !args[0] || !args[0]->is_array() || !args[1] || !args[1]->is_number()) {
      return type_error("$partition", "an array and a chunk size");
    }
    std::int64_t size = static_cast<std::int64_t>(std::floor(args[1]->get<double>()));
    if (size <= 0) return type_error("$partition", "a positive chunk size");
    json out = json::array();
    for (std::size_t i = 0; i < args[0]->size(); i += static_cast<std::size_t>(size)) {
      json chunk = json::array();
      for (std::size_t j = i; j < std::min(args[0]->size(), i + static_cast<std::size_t>(size));
           ++j) {
        chunk.push_back((*args[0])[j]);
      }
      out.push_back(std::move(chunk));
    }
    return out;
  });
  b.set_function("range", [](std::span<const std::optional<json>> args) -> js::Outcome {
    if (args.size() != 3 || !args[0] || !args[1] || !args[2] || !args[0]->is_number() ||
        !args[1]->is_number() || !args[2]->is_number()) {
      return type_error("$range", "three numbers (start, end, step)");
    }
    std::int64_t start = static_cast<std::int64_t>(std::floor(args[0]->get<double>()));
    std::int64_t end = static_cast<std::int64_t>(std::floor(args[1]->get<double>()));
    std::int64_t step = static_cast<std::int64_t>(std::floor(args[2]->get<double>()));
    if (step == 0) return type_error("$range", "a non-zero step");
    json out = json::array();
    for (std::int64_t v = start; step > 0 ? v <= end : v >= end; v += step) {
      if (out.size() >= 1000)
        return js::Error{"D2014", 0, "$range", "The range has more than 1000 elements"};
      out.push_back(v);
    }
    // AWS returns a JSONata sequence, so a single element comes back unwrapped (recorded:
    // $range(1, 9, 9) is 1).
    if (out.size() == 1) return out[0];
    return out;
  });
  b.set_function("hash", [](std::span<const std::optional<json>> args) -> js::Outcome {
    if (args.size() != 2 || !args[0] || !args[1] || !args[1]->is_string()) {
      return type_error("$hash", "a value and an algorithm name");
    }
    std::string data = args[0]->is_string() ? args[0]->get<std::string>() : args[0]->dump();
    auto digest = hex_digest(args[1]->get<std::string>(), data);
    if (!digest) {
      return js::Error{
          "D3137", 0, "$hash",
          "The hashing algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"};
    }
    return json(*digest);
  });
  Random* random = env.random;
  b.set_function("random", [random](std::span<const std::optional<json>> args) -> js::Outcome {
    if (!args.empty() && args[0]) {
      if (!args[0]->is_number()) return type_error("$random", "a number (seed)");
      Random seeded(static_cast<std::uint64_t>(std::llround(args[0]->get<double>())));
      return json(seeded.next_double());
    }
    Random fallback;
    return json((random ? *random : fallback).next_double());
  });
  b.set_function("uuid", [random](std::span<const std::optional<json>>) -> js::Outcome {
    Random fallback;
    return json(uuid_v4(random ? *random : fallback));
  });
  std::size_t max_payload_depth = env.max_payload_depth;
  b.set_function(
      "parse", [max_payload_depth](std::span<const std::optional<json>> args) -> js::Outcome {
        if (args.size() != 1 || !args[0] || !args[0]->is_string()) {
          return type_error("$parse", "a string");
        }
        Result<json> parsed =
            parse_json_limited(args[0]->get_ref<const std::string&>(), max_payload_depth);
        if (!parsed.ok()) {
          return js::Error{"D3140", 0, "$parse", "Malformed JSON: " + parsed.status().message()};
        }
        return std::move(parsed).value();
      });
}

bool check_delimiters(const json& v, const std::string& pointer, std::vector<Diagnostic>& diags,
                      std::vector<std::pair<std::string, std::string>>& found,
                      const std::string& relative) {
  bool constant = true;
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    bool opens = s.size() >= 2 && s.compare(0, 2, "{%") == 0;
    bool closes = s.size() >= 2 && s.compare(s.size() - 2, 2, "%}") == 0;
    if (opens && closes && s.size() >= 4) {
      found.emplace_back(relative, s);
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
      constant &= check_delimiters(it.value(), json_pointer_append(pointer, it.key()), diags, found,
                                   json_pointer_append(relative, it.key()));
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::string idx = std::to_string(i);
      constant &= check_delimiters(v[i], json_pointer_append(pointer, idx), diags, found,
                                   json_pointer_append(relative, idx));
    }
  }
  return constant;
}

}  // namespace

bool is_jsonata_string(std::string_view s) {
  return s.size() >= 4 && s.substr(0, 2) == "{%" && s.substr(s.size() - 2) == "%}";
}

std::string_view jsonata_body(std::string_view s) { return s.substr(2, s.size() - 4); }

JsonataValue JsonataValue::compile(const json& source, std::string_view pointer,
                                   std::vector<Diagnostic>& diagnostics) {
  JsonataValue v;
  v.source_ = source;
  std::vector<std::pair<std::string, std::string>> found;
  std::string base(pointer);
  v.constant_ = check_delimiters(source, base, diagnostics, found, "");
  auto compiled = std::make_shared<std::map<std::string, Compiled>>();
  for (const auto& [relative, text] : found) {
    std::string_view body = trim(jsonata_body(text));
    std::string at = base + relative;
    if (body.empty()) {
      diagnostics.push_back(
          {DiagnosticCode::kSchemaValidationFailed, at, "The JSONata expression is empty"});
      continue;
    }
    js::CompileResult r = js::Expression::compile(body);
    if (!r.ok()) {
      diagnostics.push_back({DiagnosticCode::kSchemaValidationFailed, at,
                             fmt::format("The JSONata expression '{}' is not valid: {}", body,
                                         r.error().to_string())});
      continue;
    }
    js::internal::Analysis uses = js::internal::analyze(*r.expression().program()->root);
    if (uses.functions.contains("eval")) {
      diagnostics.push_back({DiagnosticCode::kSchemaValidationFailed, at,
                             "The JSONata function $eval is not supported; use $parse"});
      continue;
    }
    Compiled c{std::move(r).expression(), std::string(body), {}};
    note_uses(uses, c);
    compiled->emplace(relative, std::move(c));
  }
  v.compiled_ = std::move(compiled);
  return v;
}

Outcome<std::optional<json>> JsonataValue::evaluate_node(const json& node,
                                                         const std::string& pointer,
                                                         const JsonataEnv& env,
                                                         const std::string& field) const {
  if (node.is_string()) {
    auto it = compiled_ ? compiled_->find(pointer) : decltype(compiled_->end()){};
    if (!compiled_ || it == compiled_->end()) return std::optional<json>(node);
    const Compiled& c = it->second;
    js::Bindings bindings;
    json states = json::object();
    if (env.input && (c.all_states || c.input)) states["input"] = *env.input;
    if (env.context && (c.all_states || c.execution)) {
      states["context"] = *env.context;
    } else if (env.context && c.context && env.context->is_object()) {
      json ctx = json::object();  // everything but Execution (which holds the whole input)
      for (auto it = env.context->begin(); it != env.context->end(); ++it) {
        if (it.key() != "Execution") ctx[it.key()] = it.value();
      }
      states["context"] = std::move(ctx);
    }
    if (env.result && (c.all_states || c.result)) states["result"] = *env.result;
    if (env.error_output && (c.all_states || c.error_output)) {
      states["errorOutput"] = *env.error_output;
    }
    bindings.set("states", states);
    if (env.variables) {
      for (const std::string& name : c.variables) {
        if (const json* value = env.variables->find(name)) bindings.set(name, *value);
      }
    }
    bind_aws_functions(bindings, env);
    js::EvaluateOptions options;
    options.max_depth = env.max_depth;
    options.max_steps = env.max_steps;
    options.now = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(env.now)));
    js::Outcome r = c.expression.evaluate(static_cast<const json*>(nullptr), &bindings, options);
    std::string where = field + pointer;
    switch (r.kind()) {
      case js::Outcome::Kind::kValue:
        return std::optional<json>(std::move(r).value());
      case js::Outcome::Kind::kUndefined:
        if (pointer.empty()) return std::optional<json>();
        // AWS fails on an undefined value nested in an object or array too (Output/result).
        return query_error(
            fmt::format("The JSONata expression '{}' specified for the field '{}' "
                        "returned nothing (undefined).",
                        c.text, where));
      case js::Outcome::Kind::kFunction:
        return query_error(
            fmt::format("The JSONata expression '{}' specified for the field '{}' "
                        "returned an unsupported result type.",
                        c.text, where));
      case js::Outcome::Kind::kError:
        return query_error(
            fmt::format("The JSONata expression '{}' specified for the field '{}' "
                        "threw an error during evaluation. {}: {}",
                        c.text, where, r.error().code, r.error().message));
    }
  }
  if (node.is_object()) {
    json out = json::object();
    for (auto it = node.begin(); it != node.end(); ++it) {
      auto v = evaluate_node(it.value(), json_pointer_append(pointer, it.key()), env, field);
      if (!v.ok()) return v.take_failure();
      if (v.value()) out[it.key()] = std::move(*v.value());
    }
    return std::optional<json>(std::move(out));
  }
  if (node.is_array()) {
    json out = json::array();
    for (std::size_t i = 0; i < node.size(); ++i) {
      auto v = evaluate_node(node[i], json_pointer_append(pointer, std::to_string(i)), env, field);
      if (!v.ok()) return v.take_failure();
      if (v.value()) out.push_back(std::move(*v.value()));
    }
    return std::optional<json>(std::move(out));
  }
  return std::optional<json>(node);
}

Outcome<std::optional<json>> JsonataValue::evaluate_optional(const JsonataEnv& env,
                                                             std::string_view field) const {
  if (constant_) return std::optional<json>(source_);
  return evaluate_node(source_, "", env, std::string(field));
}

Outcome<json> JsonataValue::evaluate(const JsonataEnv& env, std::string_view field) const {
  if (constant_) return source_;
  auto v = evaluate_node(source_, "", env, std::string(field));
  if (!v.ok()) return v.take_failure();
  if (!v.value()) {
    const Compiled& c = compiled_->begin()->second;
    return query_error(
        fmt::format("The JSONata expression '{}' specified for the field '{}' "
                    "returned nothing (undefined).",
                    c.text, field));
  }
  return std::move(*v.value());
}

}  // namespace stepwise::internal
