// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `parse_state_machine`: the loader's entry points. Applies the size and depth limits before
// any recursive work, converts JSON syntax errors (with line and column) at the boundary, then
// reads, validates and freezes the model.
#include "stepwise/parser.h"

#include <fmt/format.h>

#include "parse/asl_parser.h"
#include "parse/model.h"
#include "util/digest.h"

namespace stepwise {
namespace {

using internal::DiagnosticSink;

// Depth of the deepest object/array nesting in `text`, stopping early past `limit`. Strings
// are skipped, so brackets inside them do not count. Linear, no recursion.
std::size_t json_depth(std::string_view text, std::size_t limit, std::size_t& offset) {
  std::size_t depth = 0, max_depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        max_depth = depth;
        if (max_depth > limit) {
          offset = i;
          return max_depth;
        }
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return max_depth;
}

std::string line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return fmt::format("line {}, column {}", line, col);
}

// Depth of a parsed document (for the json overload), iterative.
std::size_t value_depth(const nlohmann::json& root, std::size_t limit) {
  std::vector<std::pair<const nlohmann::json*, std::size_t>> stack{{&root, 1}};
  std::size_t max_depth = 0;
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    if (!v->is_structured()) continue;
    max_depth = std::max(max_depth, d);
    if (max_depth > limit) return max_depth;
    for (const auto& child : *v) stack.emplace_back(&child, d + 1);
  }
  return max_depth;
}

ParseResult finish(std::vector<Diagnostic> diagnostics, std::size_t limit) {
  if (diagnostics.size() > limit) {
    std::size_t dropped = diagnostics.size() - limit;
    diagnostics.resize(limit);
    diagnostics.push_back({DiagnosticCode::kSchemaValidationFailed, "",
                           fmt::format("{} more problem(s) not shown", dropped)});
  }
  return ParseResult(nullptr, std::move(diagnostics));
}

ParseResult load(const nlohmann::json& doc, const ParseOptions& options) {
  DiagnosticSink sink(options.warnings);
  if (doc.is_null()) {
    sink.error("", DiagnosticCode::kMissingDescription, "The definition is null");
    return finish(std::move(sink.diagnostics()), options.max_diagnostics);
  }
  std::shared_ptr<internal::MachineModel> model = internal::read_machine(doc, options, sink);
  if (doc.is_object() && !model->truncated) internal::validate_machine(*model, options, sink);
  if (sink.error_count() > 0) return finish(std::move(sink.diagnostics()), options.max_diagnostics);
  model->fingerprint = internal::hex_digest("SHA-256", doc.dump()).value_or("");
  auto machine = std::make_shared<const StateMachine>(std::move(model));
  return ParseResult(std::move(machine), std::move(sink.diagnostics()));
}

}  // namespace

ParseResult parse_state_machine(std::string_view text, const ParseOptions& options) {
  std::vector<Diagnostic> diags;
  if (text.size() > options.max_definition_bytes) {
    diags.push_back({DiagnosticCode::kDefinitionTooLarge, "",
                     fmt::format("The definition is {} bytes, more than the limit of {} bytes",
                                 text.size(), options.max_definition_bytes)});
    return ParseResult(nullptr, std::move(diags));
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diags.push_back(
        {DiagnosticCode::kSchemaValidationFailed, "", "Definition must be a valid JSON object"});
    return ParseResult(nullptr, std::move(diags));
  }
  std::size_t offset = 0;
  if (json_depth(text, options.max_json_depth, offset) > options.max_json_depth) {
    diags.push_back({DiagnosticCode::kTooDeeplyNested, "",
                     fmt::format("The definition nests objects and arrays more than {} deep "
                                 "(at {})",
                                 options.max_json_depth, line_column(text, offset))});
    return ParseResult(nullptr, std::move(diags));
  }
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    // nlohmann's text is "[json.exception.parse_error.101] parse error at line L, column C: ...".
    auto colon = what.find(": ");
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    diags.push_back({DiagnosticCode::kInvalidJsonDescription, "",
                     fmt::format("Invalid JSON at {}: {}", line_column(text, at), detail)});
    return ParseResult(nullptr, std::move(diags));
  } catch (const nlohmann::json::exception& e) {
    // Not a syntax error but a value nlohmann cannot hold, e.g. "number overflow parsing
    // '1e999'" (out_of_range.406). It carries no offset, so locate the token it names.
    std::string what = e.what();
    auto bracket = what.find("] ");
    std::string detail = bracket == std::string::npos ? what : what.substr(bracket + 2);
    std::string where;
    auto quote = detail.find("parsing '");
    if (quote != std::string::npos && detail.back() == '\'') {
      std::string token = detail.substr(quote + 9, detail.size() - quote - 10);
      auto at = token.empty() ? std::string_view::npos : text.find(token);
      if (at != std::string_view::npos) where = " at " + line_column(text, at);
    }
    diags.push_back({DiagnosticCode::kInvalidJsonDescription, "",
                     fmt::format("Invalid JSON{}: {}", where, detail)});
    return ParseResult(nullptr, std::move(diags));
  }
  return load(doc, options);
}

ParseResult parse_state_machine(const nlohmann::json& definition, const ParseOptions& options) {
  if (value_depth(definition, options.max_json_depth) > options.max_json_depth) {
    std::vector<Diagnostic> diags;
    diags.push_back({DiagnosticCode::kTooDeeplyNested, "",
                     fmt::format("The definition nests objects and arrays more than {} deep",
                                 options.max_json_depth)});
    return ParseResult(nullptr, std::move(diags));
  }
  try {
    return load(definition, options);
  } catch (const nlohmann::json::exception& e) {
    // Defensive: a malformed value (e.g. invalid UTF-8 in a string built in C++) that a dump
    // rejects.
    std::vector<Diagnostic> diags;
    diags.push_back({DiagnosticCode::kInvalidJsonDescription, "", e.what()});
    return ParseResult(nullptr, std::move(diags));
  }
}

}  // namespace stepwise
