// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONPath-mode payload templates compiled into a tree (ASL-REFERENCE.md section 3.2). Subtrees
// without any `.$` key become constant nodes that are copied as json; objects and arrays that
// contain one become nodes with children; a `.$` value becomes a compiled `JsonPath` or
// `IntrinsicCall`. Problems found while compiling are reported as diagnostics, every one of
// them, and the template is still returned.
#include "expr/payload_template.h"

#include <set>
#include <utility>

#include <fmt/format.h>

namespace stepwise::internal {
namespace {

using nlohmann::json;

constexpr std::string_view kDollarSuffix = ".$";

struct Node {
  enum class Kind : std::uint8_t { kConstant, kObject, kArray, kPath, kCall };
  Kind kind = Kind::kConstant;
  json constant;
  // kObject: output keys and their nodes, in parallel (a vector of pair<string, Node> would
  // need Node complete, which Clang's libstdc++ checks).
  std::vector<std::string> field_keys;
  std::vector<Node> field_values;
  std::vector<Node> items;  // kArray
  std::string source_key;   // kPath/kCall: the key with `.$`
  JsonPath path;
  IntrinsicCall call;
};

bool has_dollar_suffix(std::string_view key) {
  return key.size() >= kDollarSuffix.size() &&
         key.substr(key.size() - kDollarSuffix.size()) == kDollarSuffix;
}

bool contains_dynamic(const json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (has_dollar_suffix(it.key()) || contains_dynamic(it.value())) return true;
    }
  } else if (v.is_array()) {
    for (const json& e : v) {
      if (contains_dynamic(e)) return true;
    }
  }
  return false;
}

// True when a literal string value would be a valid path or intrinsic call.
bool looks_dynamic(const std::string& s) {
  if (!s.empty() && s[0] == '$') return JsonPath::parse(s).ok();
  return IntrinsicCall::looks_like_call(s) && IntrinsicCall::parse(s).ok();
}

class Compiler {
 public:
  explicit Compiler(std::vector<Diagnostic>& diagnostics) : diagnostics_(diagnostics) {}

  Node compile(const json& v, const std::string& pointer) {
    Node node;
    if (!contains_dynamic(v)) {
      node.kind = Node::Kind::kConstant;
      node.constant = v;
      warn_no_dollar(v, pointer);
      return node;
    }
    if (v.is_array()) {
      node.kind = Node::Kind::kArray;
      node.items.reserve(v.size());
      for (std::size_t i = 0; i < v.size(); ++i) {
        node.items.push_back(compile(v[i], json_pointer_append(pointer, std::to_string(i))));
      }
      return node;
    }
    node.kind = Node::Kind::kObject;
    // Output keys, to find collisions between `a` and `a.$`.
    std::set<std::string, std::less<>> seen;
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& key = it.key();
      const bool dynamic = has_dollar_suffix(key);
      std::string out_key = dynamic ? key.substr(0, key.size() - kDollarSuffix.size()) : key;
      if (!seen.insert(out_key).second) {
        error(pointer, fmt::format("The field '{}' is defined more than once (as '{}' and '{}')",
                                   out_key, out_key, std::string(out_key) + ".$"));
        continue;
      }
      if (!dynamic) {
        std::string child = json_pointer_append(pointer, key);
        if (it.value().is_string()) warn_if_dynamic(key, it.value(), child);
        node.field_keys.push_back(std::move(out_key));
        node.field_values.push_back(compile(it.value(), child));
        continue;
      }
      Node leaf;
      leaf.source_key = key;
      if (!compile_dynamic(it.value(), leaf)) {
        error(pointer, fmt::format("The value for the field '{}' must be a valid JSONPath or a "
                                   "valid intrinsic function call",
                                   key));
        continue;
      }
      node.field_keys.push_back(std::move(out_key));
      node.field_values.push_back(std::move(leaf));
    }
    return node;
  }

 private:
  static bool compile_dynamic(const json& value, Node& leaf) {
    if (!value.is_string()) return false;
    const std::string& text = value.get_ref<const std::string&>();
    if (!text.empty() && text[0] == '$') {
      Result<JsonPath> path = JsonPath::parse(text);
      if (!path.ok()) return false;
      leaf.kind = Node::Kind::kPath;
      leaf.path = std::move(path).value();
      return true;
    }
    Result<IntrinsicCall> call = IntrinsicCall::parse(text);
    if (!call.ok()) return false;
    leaf.kind = Node::Kind::kCall;
    leaf.call = std::move(call).value();
    return true;
  }

  // NO_DOLLAR: a key without `.$` whose string value looks like a path or an intrinsic call.
  void warn_no_dollar(const json& v, const std::string& pointer) {
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) {
        std::string child = json_pointer_append(pointer, it.key());
        if (it.value().is_string()) {
          warn_if_dynamic(it.key(), it.value(), child);
        } else {
          warn_no_dollar(it.value(), child);
        }
      }
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string())
          warn_no_dollar(v[i], json_pointer_append(pointer, std::to_string(i)));
      }
    }
  }

  void warn_if_dynamic(const std::string& key, const json& value, const std::string& pointer) {
    if (!looks_dynamic(value.get_ref<const std::string&>())) return;
    diagnostics_.push_back(Diagnostic{
        DiagnosticCode::kNoDollar, pointer,
        fmt::format("The value of the field '{}' looks like a JSONPath or an intrinsic function "
                    "call, but the field name does not end with '.$'",
                    key),
        Severity::kWarning});
  }

  void error(const std::string& pointer, std::string message) {
    diagnostics_.push_back(Diagnostic{DiagnosticCode::kSchemaValidationFailed, pointer,
                                      std::move(message), Severity::kError});
  }

  std::vector<Diagnostic>& diagnostics_;
};

Outcome<json> evaluate_node(const Node& node, const PathRoots& roots, IntrinsicEnv& env) {
  switch (node.kind) {
    case Node::Kind::kConstant:
      return node.constant;
    case Node::Kind::kObject: {
      json out(json::value_t::object);
      auto& fields = out.get_ref<json::object_t&>();
      for (std::size_t i = 0; i < node.field_keys.size(); ++i) {
        Outcome<json> v = evaluate_node(node.field_values[i], roots, env);
        if (!v.ok()) return v;
        // Keys come in the template's (sorted) order, so each one goes at the end; the hint
        // only saves comparisons and never changes the result.
        fields.emplace_hint(fields.end(), node.field_keys[i], std::move(v).value());
      }
      return out;
    }
    case Node::Kind::kArray: {
      json out = json::array();
      out.get_ref<json::array_t&>().reserve(node.items.size());
      for (const Node& child : node.items) {
        Outcome<json> v = evaluate_node(child, roots, env);
        if (!v.ok()) return v;
        out.push_back(std::move(v).value());
      }
      return out;
    }
    case Node::Kind::kPath: {
      if (node.path.is_definite()) {
        if (const json* found = node.path.find(roots)) return *found;
      } else {
        Outcome<json> v = node.path.evaluate(roots);
        if (v.ok()) return v;
      }
      // AWS names the state input even for `$$` paths (corpus: scenarios/
      // base_scenarios__invalid_jsonpath__INVALID_JSONPATH_IN_STRING_EXPR_CONTEXTPATH).
      const json* named = roots.input;
      return runtime_failure(fmt::format(
          "The JSONPath '{}' specified for the field '{}' could not be found in the input '{}'",
          node.path.text(), node.source_key,
          named ? named->dump(-1, ' ', false, json::error_handler_t::replace) : "null"));
    }
    case Node::Kind::kCall:
      return node.call.evaluate(roots, env);
  }
  return json();
}

}  // namespace

struct PayloadTemplate::Impl {
  json source;
  Node root;
};

PayloadTemplate PayloadTemplate::compile(const nlohmann::json& tmpl, std::string_view pointer,
                                         std::vector<Diagnostic>& diagnostics) {
  auto impl = std::make_shared<Impl>();
  impl->source = tmpl;
  Compiler compiler(diagnostics);
  impl->root = compiler.compile(tmpl, std::string(pointer));
  PayloadTemplate out;
  out.impl_ = std::move(impl);
  return out;
}

PayloadTemplate::PayloadTemplate() : impl_(std::make_shared<const Impl>()) {}
PayloadTemplate::~PayloadTemplate() = default;
PayloadTemplate::PayloadTemplate(const PayloadTemplate&) = default;
PayloadTemplate& PayloadTemplate::operator=(const PayloadTemplate&) = default;
PayloadTemplate::PayloadTemplate(PayloadTemplate&&) noexcept = default;
PayloadTemplate& PayloadTemplate::operator=(PayloadTemplate&&) noexcept = default;

const nlohmann::json& PayloadTemplate::source() const { return impl_->source; }

bool PayloadTemplate::is_constant() const { return impl_->root.kind == Node::Kind::kConstant; }

Outcome<nlohmann::json> PayloadTemplate::evaluate(const PathRoots& roots, IntrinsicEnv& env) const {
  if (impl_->root.kind == Node::Kind::kConstant) return impl_->source;
  return evaluate_node(impl_->root, roots, env);
}

}  // namespace stepwise::internal
