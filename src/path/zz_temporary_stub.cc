// TEMPORARY stand-in until the path/intrinsics branch lands; deleted at merge.
#include "intrinsics/intrinsics.h"
#include "path/json_path.h"
#include "path/payload_template.h"

namespace stepwise::internal {
struct JsonPath::Impl { std::string text; Root root = Root::kInput; std::string var; bool definite = true; };
Result<JsonPath> JsonPath::parse(std::string_view text) {
  if (text.empty() || text[0] != '$') return invalid_argument_error("path must start with '$'");
  JsonPath p; auto impl = std::make_shared<Impl>(); impl->text = std::string(text);
  if (text.size() > 1 && text[1] == '$') impl->root = Root::kContext;
  else if (text.size() > 1 && text[1] != '.' && text[1] != '[') { impl->root = Root::kVariable; }
  impl->definite = text.find_first_of("*?:,") == std::string_view::npos && text.find("..") == std::string_view::npos;
  p.impl_ = impl; return p;
}
JsonPath::JsonPath() : impl_(std::make_shared<Impl>()) {}
JsonPath::~JsonPath() = default;
JsonPath::JsonPath(const JsonPath&) = default;
JsonPath& JsonPath::operator=(const JsonPath&) = default;
JsonPath::JsonPath(JsonPath&&) noexcept = default;
JsonPath& JsonPath::operator=(JsonPath&&) noexcept = default;
JsonPath::Root JsonPath::root() const { return impl_->root; }
const std::string& JsonPath::variable_name() const { return impl_->var; }
const std::string& JsonPath::text() const { return impl_->text; }
bool JsonPath::is_root_only() const { return impl_->text == "$" || impl_->text == "$$"; }
bool JsonPath::is_definite() const { return impl_->definite; }
std::string JsonPath::normalized() const { return impl_->text; }
Outcome<json> JsonPath::evaluate(const PathRoots&) const { return runtime_failure("stub"); }
const json* JsonPath::find(const PathRoots&) const { return nullptr; }
Outcome<std::monostate> JsonPath::assign(json&, json) const { return runtime_failure("stub"); }

struct IntrinsicCall::Impl { std::string text, name; };
bool IntrinsicCall::looks_like_call(std::string_view t) { return t.find('(') != std::string_view::npos; }
Result<IntrinsicCall> IntrinsicCall::parse(std::string_view text) {
  auto paren = text.find('(');
  if (paren == std::string_view::npos || text.back() != ')') return invalid_argument_error("not a call");
  IntrinsicCall c; auto impl = std::make_shared<Impl>(); impl->text = std::string(text); impl->name = std::string(text.substr(0, paren));
  if (impl->name.rfind("States.", 0) != 0) return invalid_argument_error("unknown intrinsic function '" + impl->name + "'");
  c.impl_ = impl; return c;
}
IntrinsicCall::IntrinsicCall() : impl_(std::make_shared<Impl>()) {}
IntrinsicCall::~IntrinsicCall() = default;
IntrinsicCall::IntrinsicCall(const IntrinsicCall&) = default;
IntrinsicCall& IntrinsicCall::operator=(const IntrinsicCall&) = default;
IntrinsicCall::IntrinsicCall(IntrinsicCall&&) noexcept = default;
IntrinsicCall& IntrinsicCall::operator=(IntrinsicCall&&) noexcept = default;
const std::string& IntrinsicCall::name() const { return impl_->name; }
const std::string& IntrinsicCall::text() const { return impl_->text; }
bool IntrinsicCall::returns_string() const { return true; }
Outcome<nlohmann::json> IntrinsicCall::evaluate(const PathRoots&, IntrinsicEnv&) const { return runtime_failure("stub"); }

struct PayloadTemplate::Impl { json source; };
PayloadTemplate PayloadTemplate::compile(const nlohmann::json& t, std::string_view pointer, std::vector<Diagnostic>& d) {
  PayloadTemplate p; auto impl = std::make_shared<Impl>(); impl->source = t; p.impl_ = impl;
  std::function<void(const json&, std::string)> walk = [&](const json& v, std::string ptr) {
    if (v.is_object()) for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string& k = it.key();
      if (k.size() >= 2 && k.substr(k.size()-2) == ".$") {
        bool ok = it->is_string() && (JsonPath::parse(it->get<std::string>()).ok() || IntrinsicCall::parse(it->get<std::string>()).ok());
        if (!ok) d.push_back({DiagnosticCode::kSchemaValidationFailed, std::string(pointer), "The value for the field '" + k + "' must be a valid JSONPath or a valid intrinsic function call"});
      } else walk(*it, json_pointer_append(ptr, k));
    } else if (v.is_array()) for (std::size_t i = 0; i < v.size(); ++i) walk(v[i], json_pointer_append(ptr, std::to_string(i)));
  };
  walk(t, std::string(pointer));
  return p;
}
PayloadTemplate::PayloadTemplate() : impl_(std::make_shared<Impl>()) {}
PayloadTemplate::~PayloadTemplate() = default;
PayloadTemplate::PayloadTemplate(const PayloadTemplate&) = default;
PayloadTemplate& PayloadTemplate::operator=(const PayloadTemplate&) = default;
PayloadTemplate::PayloadTemplate(PayloadTemplate&&) noexcept = default;
PayloadTemplate& PayloadTemplate::operator=(PayloadTemplate&&) noexcept = default;
const nlohmann::json& PayloadTemplate::source() const { return impl_->source; }
bool PayloadTemplate::is_constant() const { return false; }
Outcome<nlohmann::json> PayloadTemplate::evaluate(const PathRoots&, IntrinsicEnv&) const { return runtime_failure("stub"); }
}  // namespace stepwise::internal
