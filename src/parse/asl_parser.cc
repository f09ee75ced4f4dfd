// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The ASL reader: one function per state type, field tables per query language
// (ASL-REFERENCE.md section 2.1), and compilation of every path, template, intrinsic call and
// JSONata value at load time.
#include "parse/asl_parser.h"

#include <algorithm>
#include <array>
#include <limits>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "jsonata/analysis.h"
#include "jsonata/ast.h"
#include "parse/field_names.h"
#include "util/timestamp.h"
#include "util/utf8.h"

namespace stepwise::internal {
namespace {

using namespace std::string_view_literals;
namespace f = fields;

constexpr std::int64_t kMaxSeconds = 99999999;

// Fields allowed per state type and query language (ASL-REFERENCE.md section 2.1).
struct FieldTable {
  std::vector<std::string_view> common;
  std::vector<std::string_view> jsonpath;
  std::vector<std::string_view> jsonata;
};

const FieldTable& field_table(StateType type) {
  static const std::array<FieldTable, 8> tables = [] {
    std::array<FieldTable, 8> t;
    auto& task = t[static_cast<int>(StateType::kTask)];
    task.common = {
        f::kType,        f::kComment, f::kQueryLanguage, f::kNext,           f::kEnd,
        f::kResource,    f::kRetry,   f::kCatch,         f::kTimeoutSeconds, f::kHeartbeatSeconds,
        f::kCredentials, f::kAssign};
    task.jsonpath = {f::kInputPath,           f::kOutputPath,     f::kResultPath,
                     f::kParameters,          f::kResultSelector, f::kTimeoutSecondsPath,
                     f::kHeartbeatSecondsPath};
    task.jsonata = {f::kArguments, f::kOutput};
    auto& pass = t[static_cast<int>(StateType::kPass)];
    pass.common = {f::kType, f::kComment, f::kQueryLanguage, f::kNext, f::kEnd, f::kAssign};
    pass.jsonpath = {f::kInputPath, f::kOutputPath, f::kResultPath, f::kParameters, f::kResult};
    pass.jsonata = {f::kOutput};
    auto& choice = t[static_cast<int>(StateType::kChoice)];
    choice.common = {f::kType,    f::kComment, f::kQueryLanguage,
                     f::kChoices, f::kDefault, f::kAssign};
    choice.jsonpath = {f::kInputPath, f::kOutputPath};
    choice.jsonata = {f::kOutput};
    auto& wait = t[static_cast<int>(StateType::kWait)];
    wait.common = {f::kType, f::kComment, f::kQueryLanguage, f::kNext,
                   f::kEnd,  f::kSeconds, f::kTimestamp,     f::kAssign};
    wait.jsonpath = {f::kInputPath, f::kOutputPath, f::kSecondsPath, f::kTimestampPath};
    wait.jsonata = {f::kOutput};
    auto& succeed = t[static_cast<int>(StateType::kSucceed)];
    succeed.common = {f::kType, f::kComment, f::kQueryLanguage};
    succeed.jsonpath = {f::kInputPath, f::kOutputPath};
    succeed.jsonata = {f::kOutput};
    auto& fail = t[static_cast<int>(StateType::kFail)];
    fail.common = {f::kType, f::kComment, f::kQueryLanguage, f::kError, f::kCause};
    fail.jsonpath = {f::kErrorPath, f::kCausePath};
    auto& parallel = t[static_cast<int>(StateType::kParallel)];
    parallel.common = {f::kType,     f::kComment, f::kQueryLanguage, f::kNext,  f::kEnd,
                       f::kBranches, f::kRetry,   f::kCatch,         f::kAssign};
    parallel.jsonpath = {f::kInputPath, f::kOutputPath, f::kResultPath, f::kParameters,
                         f::kResultSelector};
    parallel.jsonata = {f::kArguments, f::kOutput};
    auto& map = t[static_cast<int>(StateType::kMap)];
    map.common = {f::kType,
                  f::kComment,
                  f::kQueryLanguage,
                  f::kNext,
                  f::kEnd,
                  f::kItemProcessor,
                  f::kIterator,
                  f::kItemSelector,
                  f::kItemReader,
                  f::kItemBatcher,
                  f::kResultWriter,
                  f::kMaxConcurrency,
                  f::kToleratedFailurePercentage,
                  f::kToleratedFailureCount,
                  f::kLabel,
                  f::kRetry,
                  f::kCatch,
                  f::kAssign};
    map.jsonpath = {f::kInputPath,
                    f::kOutputPath,
                    f::kResultPath,
                    f::kParameters,
                    f::kResultSelector,
                    f::kItemsPath,
                    f::kMaxConcurrencyPath,
                    f::kToleratedFailurePercentagePath,
                    f::kToleratedFailureCountPath};
    map.jsonata = {f::kItems, f::kOutput};
    return t;
  }();
  return tables[static_cast<int>(type)];
}

bool contains(const std::vector<std::string_view>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::optional<StateType> parse_state_type(std::string_view s) {
  if (s == "Task") return StateType::kTask;
  if (s == "Pass") return StateType::kPass;
  if (s == "Choice") return StateType::kChoice;
  if (s == "Wait") return StateType::kWait;
  if (s == "Succeed") return StateType::kSucceed;
  if (s == "Fail") return StateType::kFail;
  if (s == "Parallel") return StateType::kParallel;
  if (s == "Map") return StateType::kMap;
  return std::nullopt;
}

struct ChoiceOpInfo {
  std::string_view name;
  ChoiceOp op;
  enum class Operand { kString, kNumber, kBoolean, kTimestamp, kPath } operand;
};

const std::vector<ChoiceOpInfo>& choice_ops() {
  using O = ChoiceOpInfo::Operand;
  static const std::vector<ChoiceOpInfo> ops = {
      {"StringEquals", ChoiceOp::kStringEquals, O::kString},
      {"StringEqualsPath", ChoiceOp::kStringEquals, O::kPath},
      {"StringLessThan", ChoiceOp::kStringLessThan, O::kString},
      {"StringLessThanPath", ChoiceOp::kStringLessThan, O::kPath},
      {"StringGreaterThan", ChoiceOp::kStringGreaterThan, O::kString},
      {"StringGreaterThanPath", ChoiceOp::kStringGreaterThan, O::kPath},
      {"StringLessThanEquals", ChoiceOp::kStringLessThanEquals, O::kString},
      {"StringLessThanEqualsPath", ChoiceOp::kStringLessThanEquals, O::kPath},
      {"StringGreaterThanEquals", ChoiceOp::kStringGreaterThanEquals, O::kString},
      {"StringGreaterThanEqualsPath", ChoiceOp::kStringGreaterThanEquals, O::kPath},
      {"StringMatches", ChoiceOp::kStringMatches, O::kString},
      {"NumericEquals", ChoiceOp::kNumericEquals, O::kNumber},
      {"NumericEqualsPath", ChoiceOp::kNumericEquals, O::kPath},
      {"NumericLessThan", ChoiceOp::kNumericLessThan, O::kNumber},
      {"NumericLessThanPath", ChoiceOp::kNumericLessThan, O::kPath},
      {"NumericGreaterThan", ChoiceOp::kNumericGreaterThan, O::kNumber},
      {"NumericGreaterThanPath", ChoiceOp::kNumericGreaterThan, O::kPath},
      {"NumericLessThanEquals", ChoiceOp::kNumericLessThanEquals, O::kNumber},
      {"NumericLessThanEqualsPath", ChoiceOp::kNumericLessThanEquals, O::kPath},
      {"NumericGreaterThanEquals", ChoiceOp::kNumericGreaterThanEquals, O::kNumber},
      {"NumericGreaterThanEqualsPath", ChoiceOp::kNumericGreaterThanEquals, O::kPath},
      {"BooleanEquals", ChoiceOp::kBooleanEquals, O::kBoolean},
      {"BooleanEqualsPath", ChoiceOp::kBooleanEquals, O::kPath},
      {"TimestampEquals", ChoiceOp::kTimestampEquals, O::kTimestamp},
      {"TimestampEqualsPath", ChoiceOp::kTimestampEquals, O::kPath},
      {"TimestampLessThan", ChoiceOp::kTimestampLessThan, O::kTimestamp},
      {"TimestampLessThanPath", ChoiceOp::kTimestampLessThan, O::kPath},
      {"TimestampGreaterThan", ChoiceOp::kTimestampGreaterThan, O::kTimestamp},
      {"TimestampGreaterThanPath", ChoiceOp::kTimestampGreaterThan, O::kPath},
      {"TimestampLessThanEquals", ChoiceOp::kTimestampLessThanEquals, O::kTimestamp},
      {"TimestampLessThanEqualsPath", ChoiceOp::kTimestampLessThanEquals, O::kPath},
      {"TimestampGreaterThanEquals", ChoiceOp::kTimestampGreaterThanEquals, O::kTimestamp},
      {"TimestampGreaterThanEqualsPath", ChoiceOp::kTimestampGreaterThanEquals, O::kPath},
      {"IsNull", ChoiceOp::kIsNull, O::kBoolean},
      {"IsPresent", ChoiceOp::kIsPresent, O::kBoolean},
      {"IsNumeric", ChoiceOp::kIsNumeric, O::kBoolean},
      {"IsString", ChoiceOp::kIsString, O::kBoolean},
      {"IsBoolean", ChoiceOp::kIsBoolean, O::kBoolean},
      {"IsTimestamp", ChoiceOp::kIsTimestamp, O::kBoolean},
  };
  return ops;
}

const ChoiceOpInfo* find_choice_op(std::string_view name) {
  for (const ChoiceOpInfo& info : choice_ops()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

// True for a Unicode-aware approximation of UAX #31 identifiers: ASCII letters, digits and `_`
// with the usual first-character rule; any non-ASCII code point is accepted.
bool valid_variable_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c >= 0x80) continue;
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (i == 0 ? !alpha : !(alpha || digit)) return false;
  }
  return true;
}

// True for `arn:<partition>:states:::s3:<action>` (ItemReader and ResultWriter resources).
bool is_s3_resource(std::string_view res, std::string_view action) {
  if (res.substr(0, 4) != "arn:") return false;
  auto colon = res.find(':', 4);
  if (colon == std::string_view::npos || colon == 4) return false;
  std::string_view rest = res.substr(colon);
  return rest.size() == 13 + action.size() && rest.substr(0, 13) == ":states:::s3:" &&
         rest.substr(13) == action;
}

class AslReader {
 public:
  AslReader(const ParseOptions& options, DiagnosticSink& sink) : options_(options), sink_(sink) {}

  std::shared_ptr<MachineModel> read(const json& doc) {
    auto model = std::make_shared<MachineModel>();
    if (!doc.is_object()) {
      sink_.schema("", "Definition must be a valid JSON object");
      return model;
    }
    Reader r(doc, "", sink_);
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      static constexpr std::array kRootFields = {
          f::kComment, f::kStartAt, f::kStates, f::kTimeoutSeconds, f::kVersion, f::kQueryLanguage};
      if (std::find(kRootFields.begin(), kRootFields.end(), it.key()) == kRootFields.end()) {
        sink_.schema(r.pointer_of(it.key()), fmt::format("Field '{}' is not supported", it.key()));
      }
    }
    std::vector<std::string_view> missing;
    if (!r.has(f::kStates)) missing.push_back(f::kStates);
    if (!r.has(f::kStartAt)) missing.push_back(f::kStartAt);
    if (!missing.empty()) {
      std::string list;
      for (std::string_view m : missing) list += (list.empty() ? "" : ", ") + std::string(m);
      sink_.schema("", fmt::format("These fields are required: [{}]", list));
    }
    if (auto v = r.string(f::kVersion)) {
      model->version = *v;
      if (*v != "1.0") {
        sink_.schema(r.pointer_of(f::kVersion),
                     fmt::format("The field 'Version' must be \"1.0\", but was \"{}\"", *v));
      }
    }
    model->timeout_seconds = r.integer(f::kTimeoutSeconds, 0, kMaxSeconds);
    if (auto ql = read_query_language(r)) {
      model->query_language = *ql;
      model->query_language_explicit = true;
    }
    machine_ql_ = model->query_language;
    read_graph(doc, "", model->root, 0, /*is_root=*/true);
    model->total_states = total_states_;
    model->truncated = truncated_;
    return model;
  }

 private:
  std::optional<QueryLanguage> read_query_language(const Reader& r) {
    auto v = r.string(f::kQueryLanguage);
    if (!v) return std::nullopt;
    if (*v == "JSONPath") return QueryLanguage::kJSONPath;
    if (*v == "JSONata") return QueryLanguage::kJSONata;
    sink_.schema(r.pointer_of(f::kQueryLanguage),
                 fmt::format("The field 'QueryLanguage' should have one of these values: "
                             "[JSONPath, JSONata], but was \"{}\"",
                             *v));
    return std::nullopt;
  }

  // Reads {StartAt, States, Comment, ...} at `pointer` into `graph`.
  void read_graph(const json& obj, const std::string& pointer, Graph& graph, int depth,
                  bool is_root) {
    graph.pointer = pointer;
    Reader r(obj, pointer, sink_);
    if (!is_root) {
      if (auto ql = read_query_language(r)) graph.query_language = *ql;
      if (auto c = r.string(f::kComment)) graph.comment = *c;
    } else if (auto c = r.string(f::kComment)) {
      graph.comment = *c;
    }
    if (auto s = r.string(f::kStartAt, /*required=*/!is_root)) {
      graph.start_at_name = *s;
      graph.start_at_given = true;
    }
    const json* states = is_root
                             ? (r.find(f::kStates) && r.find(f::kStates)->is_object()
                                    ? r.find(f::kStates)
                                    : (r.find(f::kStates) ? r.object_field(f::kStates) : nullptr))
                             : r.object_field(f::kStates, /*required=*/true);
    if (states == nullptr) return;
    std::string states_ptr = r.pointer_of(f::kStates);
    if (states->empty()) {
      sink_.schema(states_ptr, "Value cannot be empty");
    }
    graph.states.reserve(states->size());
    graph.by_name.reserve(states->size());
    for (auto it = states->begin(); it != states->end(); ++it) {
      if (truncated_) return;  // reported once, where the limit was crossed
      if (total_states_ >= options_.max_states) {
        sink_.error(states_ptr, DiagnosticCode::kTooManyStates,
                    fmt::format("The definition has more than {} states", options_.max_states));
        truncated_ = true;
        return;
      }
      ++total_states_;
      State& state = graph.states.emplace_back();
      state.name = it.key();
      state.pointer = json_pointer_append(states_ptr, it.key());
      graph.by_name.emplace(state.name, static_cast<StateId>(graph.states.size() - 1));
      read_state(it.value(), state, depth);
    }
  }

  void read_state(const json& obj, State& s, int depth) {
    if (!obj.is_object()) {
      sink_.schema(s.pointer, fmt::format("The state '{}' must be an object, but was {}", s.name,
                                          json_type_name(obj)));
      s.malformed = true;
      return;
    }
    Reader r(obj, s.pointer, sink_);
    auto type_text = r.string(f::kType, /*required=*/true);
    std::optional<StateType> type;
    if (type_text) {
      type = parse_state_type(*type_text);
      if (!type) {
        sink_.schema(r.pointer_of(f::kType),
                     "The field 'Type' should have one of these values: "
                     "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]");
      }
    }
    if (!type) {
      // Keep a readable `Next` so the states after this one are still reachable.
      s.malformed = true;
      const json* next = r.find(f::kNext);
      if (next != nullptr && next->is_string()) s.next_name = next->get<std::string>();
      return;
    }
    s.type = *type;
    s.query_language = machine_ql_;
    if (auto ql = read_query_language(r)) {
      s.query_language = *ql;
      s.query_language_explicit = true;
      if (machine_ql_ == QueryLanguage::kJSONata && *ql == QueryLanguage::kJSONPath) {
        sink_.schema(s.pointer,
                     "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state "
                     "machine");
      }
    }
    if (auto c = r.string(f::kComment)) s.comment = *c;
    check_fields(r, s);

    switch (s.type) {
      case StateType::kTask:
        read_task(r, s);
        break;
      case StateType::kPass:
        read_pass(r, s);
        break;
      case StateType::kChoice:
        read_choice(r, s);
        break;
      case StateType::kWait:
        read_wait(r, s);
        break;
      case StateType::kSucceed:
        read_io(r, s);
        break;
      case StateType::kFail:
        read_fail(r, s);
        break;
      case StateType::kParallel:
        read_parallel(r, s, depth);
        break;
      case StateType::kMap:
        read_map(r, s, depth);
        break;
    }
    if (s.type != StateType::kChoice && s.type != StateType::kSucceed &&
        s.type != StateType::kFail) {
      read_transition(r, s);
    }
  }

  // Unknown fields, and fields of the other query language.
  void check_fields(const Reader& r, const State& s) {
    const FieldTable& table = field_table(s.type);
    bool jsonata = s.query_language == QueryLanguage::kJSONata;
    for (auto it = r.object().begin(); it != r.object().end(); ++it) {
      const std::string& key = it.key();
      if (contains(table.common, key)) continue;
      if (contains(jsonata ? table.jsonata : table.jsonpath, key)) continue;
      if (contains(jsonata ? table.jsonpath : table.jsonata, key)) {
        sink_.schema(
            r.pointer_of(key),
            fmt::format("The field '{}' is not supported in a {} state; it requires "
                        "QueryLanguage {}",
                        key, jsonata ? "JSONata" : "JSONPath", jsonata ? "JSONPath" : "JSONata"));
      } else {
        sink_.schema(r.pointer_of(key), fmt::format("Field '{}' is not supported", key));
      }
    }
  }

  void read_transition(const Reader& r, State& s) {
    auto next = r.string(f::kNext);
    auto end = r.boolean(f::kEnd);
    bool has_end = end.value_or(false);
    if (r.has(f::kEnd) && end && !*end) {
      sink_.schema(r.pointer_of(f::kEnd), "The field 'End' must be true when present");
    }
    if (next && has_end) {
      sink_.schema(s.pointer, "The fields 'Next' and 'End' cannot both be set");
    } else if (!next && !r.has(f::kNext) && !r.has(f::kEnd)) {
      sink_.schema(s.pointer, "Either 'Next' or 'End' is required");
    }
    // Neither a usable Next nor End: reported above (or as a wrong type by the readers).
    if (!next && !has_end) s.malformed = true;
    if (next) s.next_name = *next;
    s.end = has_end && !next;
  }

  // --- Shared field readers ---

  OptionalPath read_optional_path(const Reader& r, std::string_view key, bool reference,
                                  bool allow_context = true, bool allow_variables = true) {
    OptionalPath p;
    const json* v = r.find(key);
    if (v == nullptr) return p;
    if (v->is_null()) {
      p.kind = OptionalPath::Kind::kNull;
      return p;
    }
    if (!v->is_string()) {
      sink_.schema(r.pointer_of(key),
                   fmt::format("The field '{}' must be a string or null, but was {}", key,
                               json_type_name(*v)));
      return p;
    }
    if (auto path =
            compile_path(*v, r.pointer_of(key), key, reference, allow_context, allow_variables)) {
      p.kind = OptionalPath::Kind::kPath;
      p.path = std::move(*path);
    }
    return p;
  }

  std::optional<JsonPath> compile_path(const json& v, const std::string& pointer,
                                       std::string_view key, bool reference, bool allow_context,
                                       bool allow_variables) {
    if (!v.is_string()) {
      sink_.schema(pointer, fmt::format("The field '{}' must be a string, but was {}", key,
                                        json_type_name(v)));
      return std::nullopt;
    }
    const std::string& text = v.get_ref<const std::string&>();
    Result<JsonPath> path = JsonPath::parse(text);
    if (!path.ok()) {
      sink_.schema(pointer, fmt::format("The value for the field '{}' must be a valid JSONPath: {}",
                                        key, path.status().message()));
      return std::nullopt;
    }
    if (reference && !path->is_definite()) {
      sink_.schema(pointer, fmt::format("The value for the field '{}' must be a valid reference "
                                        "path (a single node, no wildcards or filters): '{}'",
                                        key, text));
      return std::nullopt;
    }
    if (!allow_context && path->root() == JsonPath::Root::kContext) {
      sink_.schema(pointer, fmt::format("The field '{}' cannot reference the context object: '{}'",
                                        key, text));
      return std::nullopt;
    }
    if (!allow_variables && path->root() == JsonPath::Root::kVariable) {
      sink_.schema(pointer,
                   fmt::format("The field '{}' cannot reference a variable: '{}'", key, text));
      return std::nullopt;
    }
    return std::move(path).value();
  }

  std::optional<PayloadTemplate> read_template(const Reader& r, std::string_view key) {
    const json* v = r.find(key);
    if (v == nullptr) return std::nullopt;
    std::vector<Diagnostic> diags;
    PayloadTemplate t = PayloadTemplate::compile(*v, r.pointer_of(key), diags);
    sink_.absorb(diags);
    return t;
  }

  std::optional<JsonataValue> read_jsonata(const Reader& r, std::string_view key) {
    const json* v = r.find(key);
    if (v == nullptr) return std::nullopt;
    return compile_jsonata(*v, r.pointer_of(key));
  }

  JsonataValue compile_jsonata(const json& v, const std::string& pointer) {
    std::vector<Diagnostic> diags;
    JsonataValue value = JsonataValue::compile(v, pointer, diags);
    sink_.absorb(diags);
    check_jsonata_restrictions(v, pointer);
    return value;
  }

  // AWS's JSONata restrictions (ASL-REFERENCE.md section 5): no `$` or `$$` at the top level
  // of an expression (no input document is bound), `$states.result` only in the Output and
  // Assign of a Task, Map or Parallel, `$states.errorOutput` only in a Catcher's Output and
  // Assign. `allow_result_`/`allow_error_output_` say where the reader is. The uses come from
  // the expression's syntax tree (jsonata/analysis.h): a member counts when written as a path
  // step `$states.<member>`, never inside a string, a comment or a backtick-quoted name. An
  // expression that does not parse is reported by `JsonataValue::compile` alone.
  void check_jsonata_restrictions(const json& v, const std::string& pointer) {
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) {
        check_jsonata_restrictions(it.value(), json_pointer_append(pointer, it.key()));
      }
      return;
    }
    if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        check_jsonata_restrictions(v[i], json_pointer_append(pointer, std::to_string(i)));
      }
      return;
    }
    if (!v.is_string() || !is_jsonata_string(v.get_ref<const std::string&>())) return;
    std::string_view body = jsonata_body(v.get_ref<const std::string&>());
    std::string_view trimmed =
        body.substr(std::min(body.find_first_not_of(" \t\r\n"), body.size()));
    jsonata::CompileResult compiled = jsonata::Expression::compile(body);
    if (!compiled.ok()) return;
    jsonata::internal::Analysis uses =
        jsonata::internal::analyze(*compiled.expression().program()->root);
    if (!allow_result_ && uses.states_members.contains("result")) {
      sink_.schema(pointer, fmt::format("The JSONata expression '{}' cannot use $states.result: it "
                                        "is available only in the Output and Assign of a Task, "
                                        "Map or Parallel state",
                                        trimmed));
    }
    if (!allow_error_output_ && uses.states_members.contains("errorOutput")) {
      sink_.schema(pointer, fmt::format("The JSONata expression '{}' cannot use "
                                        "$states.errorOutput: it is available only in a Catcher's "
                                        "Output and Assign",
                                        trimmed));
    }
    if (uses.top_level_context) {
      sink_.schema(pointer, fmt::format("The JSONata expression '{}' cannot use '$' or '$$' "
                                        "at its top level: no input document is bound; use "
                                        "$states.input",
                                        trimmed));
    }
  }

  bool allow_result_ = false;
  bool allow_error_output_ = false;

  AssignSpec read_assign(const Reader& r, QueryLanguage ql,
                         std::vector<std::pair<std::string, std::string>>* names) {
    AssignSpec spec;
    const json* v = r.object_field(f::kAssign);
    if (v == nullptr) return spec;
    std::string ptr = r.pointer_of(f::kAssign);
    for (auto it = v->begin(); it != v->end(); ++it) {
      std::string name = it.key();
      if (ql == QueryLanguage::kJSONPath && name.size() >= 2 &&
          name.compare(name.size() - 2, 2, ".$") == 0) {
        name.resize(name.size() - 2);
      }
      std::string key_ptr = json_pointer_append(ptr, it.key());
      if (name == "states") {
        sink_.schema(key_ptr, "The variable name 'states' is reserved and cannot be assigned");
      } else if (!valid_variable_name(name)) {
        sink_.schema(key_ptr, fmt::format("The variable name '{}' is not valid: it must start "
                                          "with a letter or '_' and contain only letters, digits "
                                          "and '_'",
                                          name));
      } else if (utf8::count_code_points(name) > 80) {
        sink_.schema(key_ptr,
                     fmt::format("The variable name '{}' is longer than 80 characters", name));
      } else if (names != nullptr) {
        names->emplace_back(name, key_ptr);
      }
    }
    if (ql == QueryLanguage::kJSONPath) {
      std::vector<Diagnostic> diags;
      spec.jsonpath = PayloadTemplate::compile(*v, ptr, diags);
      sink_.absorb(diags);
    } else {
      spec.jsonata = compile_jsonata(*v, ptr);
    }
    return spec;
  }

  // Reads `key` and `key + "Path"` (JSONPath) or a JSONata string (JSONata) into a field.
  // `literal_ok` validates a literal value and reports problems itself.
  // The `...Path` form exists only in JSONPath; in JSONata it is reported by the field table.
  // `check_both` is false where the caller reports conflicting forms itself (Wait).
  template <typename LiteralCheck>
  DynamicField read_dynamic(const Reader& r, const State& s, std::string_view key,
                            std::string_view path_key, LiteralCheck literal_ok,
                            bool check_both = true) {
    DynamicField field;
    const json* v = r.find(key);
    const json* p = path_key.empty() || s.query_language != QueryLanguage::kJSONPath
                        ? nullptr
                        : r.find(path_key);
    if (check_both && v != nullptr && p != nullptr) {
      sink_.schema(r.pointer(),
                   fmt::format("You cannot set both {} and {} at the same time.", key, path_key));
    }
    if (v != nullptr) {
      if (s.query_language == QueryLanguage::kJSONata && v->is_string() &&
          is_jsonata_string(v->get_ref<const std::string&>())) {
        field = DynamicField::of_jsonata(std::string(key), compile_jsonata(*v, r.pointer_of(key)));
      } else if (literal_ok(*v, r.pointer_of(key))) {
        field = DynamicField::of_literal(std::string(key), *v);
      }
    } else if (p != nullptr && s.query_language == QueryLanguage::kJSONPath) {
      if (auto path = compile_path(*p, r.pointer_of(path_key), path_key, true, true, true)) {
        field = DynamicField::of_path(std::string(path_key), std::move(*path));
      }
    }
    return field;
  }

  auto int_check(std::string_view key, std::int64_t min, std::int64_t max) {
    return [this, key, min, max](const json& v, const std::string& ptr) {
      std::int64_t n = 0;
      if (!integral_value(v, n)) {
        sink_.schema(ptr, fmt::format("The field '{}' must be an integer, but was {}", key,
                                      v.is_number() ? v.dump() : std::string(json_type_name(v))));
        return false;
      }
      if (n < min || n > max) {
        sink_.schema(ptr, fmt::format("The field '{}' must be between {} and {}, but was {}", key,
                                      min, max, n));
        return false;
      }
      return true;
    };
  }

  // --- Error handling ---

  void check_error_equals(const Reader& r, const json* list, const std::string& ptr,
                          std::vector<std::string>& out) {
    if (list == nullptr) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const json& e = (*list)[i];
      std::string eptr = json_pointer_append(ptr, std::to_string(i));
      if (!e.is_string()) {
        sink_.schema(eptr,
                     fmt::format("The error name must be a string, but was {}", json_type_name(e)));
        continue;
      }
      out.push_back(e.get<std::string>());
    }
    (void)r;
    auto all = std::find(out.begin(), out.end(), errors::kAll);
    if (all != out.end() && out.size() > 1) {
      sink_.schema(ptr, "The error name 'States.ALL' must appear alone in 'ErrorEquals'");
    }
  }

  void read_retry(const Reader& r, State& s) {
    const json* list = r.array_field(f::kRetry, false, false);
    if (list == nullptr) return;
    std::string ptr = r.pointer_of(f::kRetry);
    for (std::size_t i = 0; i < list->size(); ++i) {
      std::string rptr = json_pointer_append(ptr, std::to_string(i));
      const json& obj = (*list)[i];
      if (!obj.is_object()) {
        sink_.schema(rptr, "A retrier must be an object");
        continue;
      }
      Reader rr(obj, rptr, sink_);
      for (auto it = obj.begin(); it != obj.end(); ++it) {
        static constexpr std::array kFields = {
            f::kErrorEquals,     f::kIntervalSeconds, f::kMaxAttempts, f::kBackoffRate,
            f::kMaxDelaySeconds, f::kJitterStrategy,  f::kComment};
        if (std::find(kFields.begin(), kFields.end(), it.key()) == kFields.end()) {
          sink_.schema(rr.pointer_of(it.key()),
                       fmt::format("Field '{}' is not supported", it.key()));
        }
      }
      Retrier retrier;
      check_error_equals(rr, rr.array_field(f::kErrorEquals, true, true),
                         rr.pointer_of(f::kErrorEquals), retrier.error_equals);
      if (auto v = rr.integer(f::kIntervalSeconds, 0, kMaxSeconds)) {
        retrier.interval_seconds = *v;
        retrier.has_interval = true;
      }
      if (auto v = rr.integer(f::kMaxAttempts, 0, kMaxSeconds)) {
        retrier.max_attempts = *v;
        retrier.has_max_attempts = true;
      }
      if (auto v = rr.number(f::kBackoffRate, 1.0, 1e9)) {
        retrier.backoff_rate = *v;
        retrier.has_backoff = true;
        retrier.backoff_is_integer = rr.find(f::kBackoffRate)->is_number_integer();
      }
      retrier.max_delay_seconds = rr.integer(f::kMaxDelaySeconds, 1, 31622400);
      if (auto v = rr.string(f::kJitterStrategy)) {
        if (*v == "FULL" || *v == "NONE") {
          retrier.jitter_full = *v == "FULL";
          retrier.has_jitter = true;
        } else {
          sink_.schema(rr.pointer_of(f::kJitterStrategy),
                       "The field 'JitterStrategy' should have one of these values: [FULL, NONE]");
        }
      }
      if (auto c = rr.string(f::kComment)) retrier.comment = *c;
      bool has_all = std::find(retrier.error_equals.begin(), retrier.error_equals.end(),
                               errors::kAll) != retrier.error_equals.end();
      if (has_all && i + 1 != list->size()) {
        sink_.schema(json_pointer_append(rptr, f::kErrorEquals),
                     "The error name 'States.ALL' must appear only in the last retrier");
      }
      s.retry.push_back(std::move(retrier));
    }
  }

  void read_catch(const Reader& r, State& s,
                  std::vector<std::pair<std::string, std::string>>* outer_assigned) {
    const json* list = r.array_field(f::kCatch, false, false);
    if (list == nullptr) return;
    std::string ptr = r.pointer_of(f::kCatch);
    bool jsonata = s.query_language == QueryLanguage::kJSONata;
    for (std::size_t i = 0; i < list->size(); ++i) {
      std::string cptr = json_pointer_append(ptr, std::to_string(i));
      const json& obj = (*list)[i];
      if (!obj.is_object()) {
        sink_.schema(cptr, "A catcher must be an object");
        continue;
      }
      Reader cr(obj, cptr, sink_);
      for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string& key = it.key();
        if (key == f::kErrorEquals || key == f::kNext || key == f::kComment || key == f::kAssign) {
          continue;
        }
        if (key == f::kResultPath && !jsonata) continue;
        if (key == f::kOutput && jsonata) continue;
        if (key == f::kResultPath || key == f::kOutput) {
          sink_.schema(
              cr.pointer_of(key),
              fmt::format("The field '{}' is not supported in a {} state; it requires "
                          "QueryLanguage {}",
                          key, jsonata ? "JSONata" : "JSONPath", jsonata ? "JSONPath" : "JSONata"));
        } else {
          sink_.schema(cr.pointer_of(key), fmt::format("Field '{}' is not supported", key));
        }
      }
      Catcher c;
      check_error_equals(cr, cr.array_field(f::kErrorEquals, true, true),
                         cr.pointer_of(f::kErrorEquals), c.error_equals);
      if (auto n = cr.string(f::kNext, true)) c.next_name = *n;
      if (!jsonata) {
        c.result_path = read_optional_path(cr, f::kResultPath, true, false, false);
      } else {
        allow_error_output_ = true;
        c.output = read_jsonata(cr, f::kOutput);
      }
      allow_error_output_ = jsonata;
      c.assign = read_assign(cr, s.query_language, outer_assigned);
      allow_error_output_ = false;
      if (auto v = cr.string(f::kComment)) c.comment = *v;
      bool has_all = std::find(c.error_equals.begin(), c.error_equals.end(), errors::kAll) !=
                     c.error_equals.end();
      if (has_all && i + 1 != list->size()) {
        sink_.schema(json_pointer_append(cptr, f::kErrorEquals),
                     "The error name 'States.ALL' must appear only in the last catcher");
      }
      s.catch_rules.push_back(std::move(c));
    }
  }

  // --- I/O common to the JSONPath / JSONata pipelines ---

  void read_io(const Reader& r, State& s) {
    allow_result_ =
        s.type == StateType::kTask || s.type == StateType::kMap || s.type == StateType::kParallel;
    if (s.query_language == QueryLanguage::kJSONPath) {
      s.input_path = read_optional_path(r, f::kInputPath, false);
      s.output_path = read_optional_path(r, f::kOutputPath, false);
    } else {
      s.output = read_jsonata(r, f::kOutput);
    }
    if (s.type != StateType::kSucceed && s.type != StateType::kFail) {
      s.assign = read_assign(r, s.query_language, current_assigned_);
    }
    allow_result_ = false;
  }

  void read_result_processing(const Reader& r, State& s) {
    if (s.query_language == QueryLanguage::kJSONPath) {
      s.result_path = read_optional_path(r, f::kResultPath, true, false, false);
      s.parameters = read_template(r, f::kParameters);
      s.result_selector = read_template(r, f::kResultSelector);
    } else {
      s.arguments = read_jsonata(r, f::kArguments);
    }
  }

  // --- State types ---

  void read_task(const Reader& r, State& s) {
    s.resource_info = ResourceInfo();
    read_io(r, s);
    read_result_processing(r, s);
    if (auto res = r.string(f::kResource, true)) {
      s.resource = *res;
      parse_resource(r, s);
    }
    s.timeout_seconds = read_dynamic(r, s, f::kTimeoutSeconds, f::kTimeoutSecondsPath,
                                     int_check(f::kTimeoutSeconds, 1, kMaxSeconds));
    s.heartbeat_seconds = read_dynamic(r, s, f::kHeartbeatSeconds, f::kHeartbeatSecondsPath,
                                       int_check(f::kHeartbeatSeconds, 1, kMaxSeconds));
    if (s.timeout_seconds.kind() == DynamicField::Kind::kLiteral &&
        s.heartbeat_seconds.kind() == DynamicField::Kind::kLiteral &&
        s.heartbeat_seconds.literal().get<double>() >= s.timeout_seconds.literal().get<double>()) {
      sink_.schema(r.pointer_of(f::kHeartbeatSeconds),
                   "The field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'");
    }
    if (const json* cred = r.object_field(f::kCredentials)) {
      s.credentials = CredentialsSpec{*cred, std::nullopt, std::nullopt};
      CredentialsSpec& credentials = *s.credentials;
      std::string ptr = r.pointer_of(f::kCredentials);
      Reader cr(*cred, ptr, sink_);
      bool has_role = cr.has("RoleArn") ||
                      (s.query_language == QueryLanguage::kJSONPath && cr.has("RoleArn.$"));
      if (!has_role) cr.missing("RoleArn");
      if (s.query_language == QueryLanguage::kJSONPath) {
        std::vector<Diagnostic> diags;
        credentials.jsonpath = PayloadTemplate::compile(*cred, ptr, diags);
        sink_.absorb(diags);
      } else {
        credentials.jsonata = compile_jsonata(*cred, ptr);
      }
    }
    read_retry(r, s);
    read_catch(r, s, current_assigned_);
  }

  void parse_resource(const Reader& r, State& s) {
    const std::string& res = s.resource;
    ResourceInfo& info = *s.resource_info;
    std::string ptr = r.pointer_of(f::kResource);
    if (is_jsonata_string(res)) {
      sink_.schema(ptr, "The field 'Resource' does not accept JSONata");
      return;
    }
    if (res.empty() || res.find(':') == std::string::npos) {
      sink_.error(ptr, DiagnosticCode::kInvalidResource,
                  fmt::format("The resource provided '{}' is not a valid resource URI", res));
      return;
    }
    // arn:partition:service:region:account:resource...
    std::vector<std::string_view> parts;
    std::string_view rest(res);
    for (int i = 0; i < 5; ++i) {
      auto colon = rest.find(':');
      if (colon == std::string_view::npos) break;
      parts.push_back(rest.substr(0, colon));
      rest.remove_prefix(colon + 1);
    }
    parts.push_back(rest);
    if (parts.size() < 6 || parts[0] != "arn") {
      info.kind = ResourceInfo::Kind::kOther;
      return;
    }
    info.partition = std::string(parts[1]);
    info.region = std::string(parts[3]);
    std::string_view tail = parts[5];
    if (parts[2] == "lambda" && tail.substr(0, 9) == "function:") {
      info.kind = ResourceInfo::Kind::kLambdaFunction;
      info.service = "lambda";
      info.action = std::string(tail.substr(9));
    } else if (parts[2] == "states" && tail.substr(0, 9) == "activity:") {
      info.kind = ResourceInfo::Kind::kActivity;
      info.action = std::string(tail.substr(9));
    } else if (parts[2] == "states" && parts[3].empty() && parts[4].empty()) {
      // arn:aws:states:::service:action[.pattern] or arn:aws:states:::aws-sdk:service:action
      std::string_view svc_action = tail;
      auto colon = svc_action.find(':');
      if (colon == std::string_view::npos) {
        sink_.error(ptr, DiagnosticCode::kInvalidResource,
                    fmt::format("The resource provided {} is not recognized. The value is not a "
                                "valid resource ARN, or the resource is not available in this "
                                "region.",
                                res));
        return;
      }
      std::string_view service = svc_action.substr(0, colon);
      std::string_view action = svc_action.substr(colon + 1);
      if (service == "aws-sdk") {
        auto c2 = action.find(':');
        if (c2 == std::string_view::npos) {
          sink_.error(ptr, DiagnosticCode::kInvalidResource,
                      fmt::format("The resource provided {} is not recognized. The value is not "
                                  "a valid resource ARN, or the resource is not available in "
                                  "this region.",
                                  res));
          return;
        }
        info.kind = ResourceInfo::Kind::kSdk;
        info.service = "aws-sdk:" + std::string(action.substr(0, c2));
        action = action.substr(c2 + 1);
      } else {
        info.kind = ResourceInfo::Kind::kService;
        info.service = std::string(service);
      }
      info.action = std::string(action);
      auto dot = action.rfind('.');
      if (dot != std::string_view::npos) {
        std::string_view suffix = action.substr(dot + 1);
        if (suffix == "sync") {
          info.pattern = ResourceInfo::Pattern::kSync;
        } else if (suffix == "waitForTaskToken") {
          info.pattern = ResourceInfo::Pattern::kWaitForTaskToken;
        } else if (suffix == "sync:2") {
          info.pattern = ResourceInfo::Pattern::kSync2;
        }
      }
      if (action.size() > 7 && action.substr(action.size() - 7) == ".sync:2") {
        info.pattern = ResourceInfo::Pattern::kSync2;
      }
    }
    if (options_.express) {
      if (info.kind == ResourceInfo::Kind::kActivity) {
        sink_.schema(ptr, "Express state machine does not support Activity ARN");
      } else if (info.pattern == ResourceInfo::Pattern::kSync ||
                 info.pattern == ResourceInfo::Pattern::kSync2) {
        sink_.schema(ptr, "Express state machine does not support '.sync' service integration");
      } else if (info.pattern == ResourceInfo::Pattern::kWaitForTaskToken) {
        sink_.schema(ptr,
                     "Express state machine does not support '.waitForTaskToken' service "
                     "integration");
      }
    }
  }

  void read_pass(const Reader& r, State& s) {
    read_io(r, s);
    if (s.query_language == QueryLanguage::kJSONPath) {
      s.result_path = read_optional_path(r, f::kResultPath, true, false, false);
      s.parameters = read_template(r, f::kParameters);
      if (const json* res = r.find(f::kResult)) {
        s.result = *res;
        warn_static_paths(*res, r.pointer_of(f::kResult));
      }
    }
  }

  void warn_static_paths(const json& v, const std::string& ptr) {
    if (v.is_string()) {
      const std::string& str = v.get_ref<const std::string&>();
      if (str.size() >= 2 && str[0] == '$' && (str[1] == '.' || str[1] == '[' || str[1] == '$')) {
        sink_.warning(ptr, DiagnosticCode::kPassResultIsStatic,
                      "The value of 'Result' looks like a path but is not evaluated");
      }
    } else if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) {
        warn_static_paths(it.value(), json_pointer_append(ptr, it.key()));
      }
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        warn_static_paths(v[i], json_pointer_append(ptr, std::to_string(i)));
      }
    }
  }

  void read_wait(const Reader& r, State& s) {
    read_io(r, s);
    int count = r.has(f::kSeconds) + r.has(f::kTimestamp) +
                (s.query_language == QueryLanguage::kJSONPath
                     ? r.has(f::kSecondsPath) + r.has(f::kTimestampPath)
                     : 0);
    if (count != 1) {
      sink_.schema(s.pointer, s.query_language == QueryLanguage::kJSONPath
                                  ? "A Wait state must have exactly one of 'Seconds', "
                                    "'Timestamp', 'SecondsPath' or 'TimestampPath'"
                                  : "A Wait state must have exactly one of 'Seconds' or "
                                    "'Timestamp'");
    }
    s.wait = WaitSpec();
    WaitSpec& wait = *s.wait;
    wait.seconds = read_dynamic(r, s, f::kSeconds, f::kSecondsPath,
                                int_check(f::kSeconds, 0, kMaxSeconds), /*check_both=*/false);
    wait.timestamp = read_dynamic(
        r, s, f::kTimestamp, f::kTimestampPath,
        [this, &wait](const json& v, const std::string& ptr) {
          if (!v.is_string()) {
            sink_.schema(ptr, "The field 'Timestamp' must be a string");
            return false;
          }
          auto t = parse_rfc3339(v.get_ref<const std::string&>());
          if (!t) {
            sink_.schema(ptr, "String does not match RFC3339 timestamp");
            return false;
          }
          wait.timestamp_literal_nanos = *t;
          return true;
        },
        /*check_both=*/false);
  }

  void read_fail(const Reader& r, State& s) {
    auto string_check = [this](std::string_view key) {
      return [this, key](const json& v, const std::string& ptr) {
        if (!v.is_string()) {
          sink_.schema(ptr, fmt::format("The field '{}' must be a string, but was {}", key,
                                        json_type_name(v)));
          return false;
        }
        return true;
      };
    };
    s.fail = FailSpec();
    FailSpec& fail = *s.fail;
    fail.error = read_fail_field(r, s, f::kError, f::kErrorPath, string_check(f::kError));
    fail.cause = read_fail_field(r, s, f::kCause, f::kCausePath, string_check(f::kCause));
  }

  template <typename Check>
  DynamicField read_fail_field(const Reader& r, const State& s, std::string_view key,
                               std::string_view path_key, Check check) {
    const json* p = r.find(path_key);
    if (s.query_language == QueryLanguage::kJSONPath && p != nullptr && p->is_string() &&
        !r.has(key)) {
      const std::string& text = p->get_ref<const std::string&>();
      if (!text.empty() && text[0] != '$') {
        Result<IntrinsicCall> call = IntrinsicCall::parse(text);
        if (!call.ok()) {
          sink_.schema(r.pointer_of(path_key),
                       fmt::format("The value for the field '{}' must be a valid JSONPath or a "
                                   "valid intrinsic function call: {}",
                                   path_key, call.status().message()));
          return DynamicField();
        }
        if (!call->returns_string()) {
          sink_.schema(r.pointer_of(path_key),
                       fmt::format("The intrinsic function {} cannot be used in '{}': it must "
                                   "return a string",
                                   call->name(), path_key));
          return DynamicField();
        }
        return DynamicField::of_intrinsic(std::string(path_key), std::move(call).value());
      }
    }
    return read_dynamic(r, s, key, path_key, check);
  }

  void read_choice(const Reader& r, State& s) {
    read_io(r, s);
    if (auto d = r.string(f::kDefault)) s.default_name = *d;
    if (r.has(f::kNext) || r.has(f::kEnd)) {
      // Already reported as unsupported fields by check_fields.
    }
    const json* choices = r.array_field(f::kChoices, true, true);
    if (choices == nullptr) return;
    std::string ptr = r.pointer_of(f::kChoices);
    for (std::size_t i = 0; i < choices->size(); ++i) {
      std::string cptr = json_pointer_append(ptr, std::to_string(i));
      const json& obj = (*choices)[i];
      if (!obj.is_object()) {
        sink_.schema(cptr, "A choice rule must be an object");
        continue;
      }
      Reader cr(obj, cptr, sink_);
      ChoiceBranch branch;
      if (auto n = cr.string(f::kNext, true)) branch.next_name = *n;
      branch.assign = read_assign(cr, s.query_language, current_assigned_);
      if (auto c = cr.string(f::kComment)) branch.comment = *c;
      if (s.query_language == QueryLanguage::kJSONata) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
          const std::string& key = it.key();
          if (key == f::kNext || key == f::kAssign || key == f::kComment || key == f::kCondition ||
              key == f::kOutput) {
            continue;
          }
          sink_.schema(cr.pointer_of(key), fmt::format("Field '{}' is not supported", key));
        }
        const json* cond = cr.find(f::kCondition);
        if (cond == nullptr) {
          cr.missing(f::kCondition);
        } else if (!cond->is_boolean() &&
                   !(cond->is_string() && is_jsonata_string(cond->get_ref<const std::string&>()))) {
          sink_.schema(cr.pointer_of(f::kCondition),
                       "The field 'Condition' must be a boolean or a JSONata expression");
        } else {
          branch.condition = compile_jsonata(*cond, cr.pointer_of(f::kCondition));
        }
        branch.output = read_jsonata(cr, f::kOutput);
      } else {
        branch.rule = read_choice_rule(cr, /*top_level=*/true, 0);
      }
      s.choices.push_back(std::move(branch));
    }
  }

  ChoiceRule read_choice_rule(const Reader& r, bool top_level, int depth) {
    ChoiceRule rule;
    if (depth > 100) {
      sink_.error(r.pointer(), DiagnosticCode::kTooDeeplyNested,
                  "Choice rules are nested more than 100 deep");
      return rule;
    }
    std::vector<std::string> operators = choice_rule_operators(r, top_level);
    if (auto c = r.string(f::kComment)) rule.comment = *c;
    if (operators.empty()) {
      sink_.schema(r.pointer(), "A choice rule must have a comparison operator, or And, Or or Not");
      return rule;
    }
    if (operators.size() > 1) {
      sink_.schema(r.pointer(), "Each Choice Rule can only have one comparison operator");
      return rule;
    }
    const std::string& op = operators.front();
    rule.op_name = op;
    if (op == f::kAnd || op == f::kOr || op == f::kNot) {
      read_boolean_rule(r, op, rule, depth);
    } else {
      read_comparison(r, op, rule);
    }
    return rule;
  }

  // The keys of a choice rule that name its operator (And, Or, Not or a comparison); every
  // other key that a rule at this level may not hold is reported.
  std::vector<std::string> choice_rule_operators(const Reader& r, bool top_level) {
    const json& obj = r.object();
    std::vector<std::string> operators;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const std::string& key = it.key();
      if (key == f::kVariable || key == f::kComment) continue;
      if (top_level && (key == f::kNext || key == f::kAssign)) continue;
      if (key == f::kAnd || key == f::kOr || key == f::kNot || find_choice_op(key) != nullptr) {
        operators.push_back(key);
        continue;
      }
      if (!top_level && (key == f::kNext || key == f::kAssign)) {
        sink_.schema(r.pointer_of(key),
                     fmt::format("Field '{}' is not supported in a nested choice rule", key));
        continue;
      }
      if (key == f::kCondition || key == f::kOutput) {
        sink_.schema(r.pointer_of(key),
                     fmt::format("The field '{}' is not supported in a JSONPath state; it "
                                 "requires QueryLanguage JSONata",
                                 key));
        continue;
      }
      sink_.schema(r.pointer_of(key), fmt::format("Field '{}' is not supported", key));
    }
    return operators;
  }

  // And, Or (a list of rules) and Not (one rule): the nested rules, one level deeper.
  void read_boolean_rule(const Reader& r, const std::string& op, ChoiceRule& rule, int depth) {
    if (op == f::kAnd || op == f::kOr) {
      rule.op = op == f::kAnd ? ChoiceOp::kAnd : ChoiceOp::kOr;
      if (r.has(f::kVariable)) {
        sink_.schema(r.pointer_of(f::kVariable),
                     fmt::format("Field 'Variable' is not supported with '{}'", op));
      }
      const json* list = r.array_field(op, true, true);
      if (list == nullptr) return;
      for (std::size_t i = 0; i < list->size(); ++i) {
        std::string ptr = json_pointer_append(r.pointer_of(op), std::to_string(i));
        if (!(*list)[i].is_object()) {
          sink_.schema(ptr, "A choice rule must be an object");
          continue;
        }
        rule.children.push_back(read_choice_rule(Reader((*list)[i], ptr, sink_), false, depth + 1));
      }
      return;
    }
    rule.op = ChoiceOp::kNot;
    if (r.has(f::kVariable)) {
      sink_.schema(r.pointer_of(f::kVariable), "Field 'Variable' is not supported with 'Not'");
    }
    if (const json* inner = r.object_field(f::kNot)) {
      rule.children.push_back(
          read_choice_rule(Reader(*inner, r.pointer_of(f::kNot), sink_), false, depth + 1));
    }
  }

  // A comparison (StringEquals, NumericLessThanPath, IsPresent, ...): its Variable and its
  // operand, checked against the type the operator takes.
  void read_comparison(const Reader& r, const std::string& op, ChoiceRule& rule) {
    const ChoiceOpInfo* info = find_choice_op(op);
    rule.op = info->op;
    if (const json* var = r.find(f::kVariable)) {
      if (auto p =
              compile_path(*var, r.pointer_of(f::kVariable), f::kVariable, false, true, true)) {
        rule.variable = std::move(*p);
      }
    } else {
      r.missing(f::kVariable);
    }
    const json& operand = r.object()[op];
    std::string optr = r.pointer_of(op);
    using O = ChoiceOpInfo::Operand;
    switch (info->operand) {
      case O::kPath:
        rule.operand_is_path = true;
        if (auto p = compile_path(operand, optr, op, false, true, true)) {
          rule.operand_path = std::move(*p);
        }
        break;
      case O::kString:
        if (!operand.is_string()) {
          sink_.schema(optr, fmt::format("The field '{}' must be a string, but was {}", op,
                                         json_type_name(operand)));
        }
        break;
      case O::kNumber:
        if (!operand.is_number()) {
          sink_.schema(optr, fmt::format("The field '{}' must be a number, but was {}", op,
                                         json_type_name(operand)));
        }
        break;
      case O::kBoolean:
        if (!operand.is_boolean()) {
          sink_.schema(optr, fmt::format("The field '{}' must be a boolean, but was {}", op,
                                         json_type_name(operand)));
        }
        break;
      case O::kTimestamp:
        if (!operand.is_string()) {
          sink_.schema(optr, fmt::format("The field '{}' must be a string, but was {}", op,
                                         json_type_name(operand)));
        } else if (auto t = parse_rfc3339(operand.get_ref<const std::string&>())) {
          rule.timestamp_nanos = *t;
        } else {
          sink_.schema(optr, "String does not match RFC3339 timestamp");
        }
        break;
    }
    rule.operand = operand;
  }

  void read_parallel(const Reader& r, State& s, int depth) {
    read_io(r, s);
    read_result_processing(r, s);
    read_retry(r, s);
    read_catch(r, s, current_assigned_);
    const json* branches = r.array_field(f::kBranches, true, true);
    if (branches == nullptr) return;
    if (!check_nesting(s, depth)) return;
    std::string ptr = r.pointer_of(f::kBranches);
    for (std::size_t i = 0; i < branches->size(); ++i) {
      std::string bptr = json_pointer_append(ptr, std::to_string(i));
      const json& b = (*branches)[i];
      auto graph = std::make_shared<Graph>();
      if (!b.is_object()) {
        sink_.schema(bptr, "A branch must be an object");
      } else {
        check_root_fields(b, bptr, /*map=*/false);
        read_nested_graph(b, bptr, *graph, depth + 1);
      }
      s.branches.push_back(std::move(graph));
    }
  }

  bool check_nesting(const State& s, int depth) {
    if (static_cast<std::size_t>(depth + 1) > options_.max_state_nesting) {
      sink_.error(
          s.pointer, DiagnosticCode::kTooDeeplyNested,
          fmt::format("States are nested more than {} levels deep", options_.max_state_nesting));
      return false;
    }
    return true;
  }

  void check_root_fields(const json& obj, const std::string& ptr, bool map) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const std::string& key = it.key();
      if (key == f::kStartAt || key == f::kStates || key == f::kComment ||
          key == f::kQueryLanguage || (map && key == f::kProcessorConfig)) {
        continue;
      }
      sink_.schema(json_pointer_append(ptr, key), fmt::format("Field '{}' is not supported", key));
    }
  }

  void read_nested_graph(const json& obj, const std::string& ptr, Graph& graph, int depth) {
    auto* saved = current_assigned_;
    current_assigned_ = &graph.assigned_variables;
    read_graph(obj, ptr, graph, depth, false);
    current_assigned_ = saved;
  }

  void read_map(const Reader& r, State& s, int depth) {
    read_io(r, s);
    bool jsonata = s.query_language == QueryLanguage::kJSONata;
    read_map_items(r, s, jsonata);
    read_retry(r, s);
    read_catch(r, s, current_assigned_);
    read_map_limits(r, s);
    if (auto label = r.string(f::kLabel)) {
      s.label = *label;
      check_label(*label, r.pointer_of(f::kLabel));
    }
    read_item_processor(r, s, depth);
    read_item_reader(r, s);
    read_item_batcher(r, s);
    read_result_writer(r, s, jsonata);
  }

  // Where a Map's items come from and what each iteration receives: ItemsPath, Parameters or
  // ItemSelector and the result fields (JSONPath), or Items and ItemSelector (JSONata).
  void read_map_items(const Reader& r, State& s, bool jsonata) {
    if (!jsonata) {
      s.result_path = read_optional_path(r, f::kResultPath, true, false, false);
      s.result_selector = read_template(r, f::kResultSelector);
      s.items_path = read_optional_path(r, f::kItemsPath, true);
      if (r.has(f::kParameters) && r.has(f::kItemSelector)) {
        sink_.schema(r.pointer(),
                     "You cannot set both ItemSelector and Parameters at the same time.");
      }
      s.parameters = read_template(r, f::kParameters);
      s.item_selector = read_template(r, f::kItemSelector);
    } else {
      if (const json* items = r.find(f::kItems)) {
        if (!items->is_array() &&
            !(items->is_string() && is_jsonata_string(items->get_ref<const std::string&>())) &&
            !items->is_object()) {
          sink_.schema(r.pointer_of(f::kItems),
                       "The field 'Items' must be an array or a JSONata expression");
        }
        s.items = compile_jsonata(*items, r.pointer_of(f::kItems));
      }
      s.item_selector_jsonata = read_jsonata(r, f::kItemSelector);
    }
  }

  // MaxConcurrency and the tolerated failure count and percentage, each a value or a path.
  void read_map_limits(const Reader& r, State& s) {
    s.max_concurrency = read_dynamic(r, s, f::kMaxConcurrency, f::kMaxConcurrencyPath,
                                     int_check(f::kMaxConcurrency, 0, kMaxSeconds));
    s.tolerated_failure_count = read_dynamic(
        r, s, f::kToleratedFailureCount, f::kToleratedFailureCountPath,
        int_check(f::kToleratedFailureCount, 0, std::numeric_limits<std::int64_t>::max()));
    s.tolerated_failure_percentage = read_dynamic(
        r, s, f::kToleratedFailurePercentage, f::kToleratedFailurePercentagePath,
        [this](const json& v, const std::string& ptr) {
          if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 100) {
            sink_.schema(ptr,
                         "The field 'ToleratedFailurePercentage' must be a number between 0 "
                         "and 100");
            return false;
          }
          return true;
        });
  }

  // ItemProcessor (or the older Iterator): its ProcessorConfig and its states, one level deeper.
  void read_item_processor(const Reader& r, State& s, int depth) {
    const json* proc = nullptr;
    std::string proc_ptr;
    if (r.has(f::kItemProcessor) && r.has(f::kIterator)) {
      sink_.schema(r.pointer(), "You cannot set both ItemProcessor and Iterator at the same time.");
    }
    if (r.has(f::kItemProcessor)) {
      proc = r.object_field(f::kItemProcessor);
      proc_ptr = r.pointer_of(f::kItemProcessor);
    } else if (r.has(f::kIterator)) {
      proc = r.object_field(f::kIterator);
      proc_ptr = r.pointer_of(f::kIterator);
      s.processor_is_iterator = true;
    } else {
      r.missing(f::kItemProcessor);
    }
    if (proc != nullptr && check_nesting(s, depth)) {
      check_root_fields(*proc, proc_ptr, /*map=*/true);
      Reader pr(*proc, proc_ptr, sink_);
      if (const json* cfg = pr.object_field(f::kProcessorConfig)) {
        read_processor_config(Reader(*cfg, pr.pointer_of(f::kProcessorConfig), sink_), s);
      }
      if (s.distributed && options_.express) {
        sink_.schema(s.pointer, "Express state machine does not support Distributed Map");
      }
      auto graph = std::make_shared<Graph>();
      read_nested_graph(*proc, proc_ptr, *graph, depth + 1);
      s.processor = std::move(graph);
    }
  }

  // ProcessorConfig: Mode (INLINE or DISTRIBUTED) and ExecutionType (required when distributed).
  void read_processor_config(const Reader& cr, State& s) {
    const json& cfg = cr.object();
    s.processor_config = ProcessorConfigSpec{cfg, std::nullopt};
    for (auto it = cfg.begin(); it != cfg.end(); ++it) {
      if (it.key() != f::kMode && it.key() != f::kExecutionType) {
        sink_.schema(cr.pointer_of(it.key()), fmt::format("Field '{}' is not supported", it.key()));
      }
    }
    if (auto mode = cr.string(f::kMode)) {
      if (*mode == "DISTRIBUTED") {
        s.distributed = true;
      } else if (*mode != "INLINE") {
        sink_.schema(cr.pointer_of(f::kMode),
                     "The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]");
      }
    }
    if (auto et = cr.string(f::kExecutionType)) {
      s.processor_config->execution_type = *et;
      if (*et != "STANDARD" && *et != "EXPRESS") {
        sink_.schema(cr.pointer_of(f::kExecutionType),
                     "The field 'ExecutionType' should have one of these values: "
                     "[STANDARD, EXPRESS]");
      }
    } else if (s.distributed) {
      cr.missing(f::kExecutionType);
    }
  }

  // ResultWriter: its fields, its S3 resource and WriterConfig (ASL-REFERENCE.md section 11.5).
  void read_result_writer(const Reader& r, State& s, bool jsonata) {
    if (const json* rw = r.object_field(f::kResultWriter)) {
      s.result_writer = *rw;
      Reader wr(*rw, r.pointer_of(f::kResultWriter), sink_);
      if (rw->empty()) sink_.schema(wr.pointer(), "The field 'ResultWriter' cannot be empty");
      for (auto it = rw->begin(); it != rw->end(); ++it) {
        const std::string& key = it.key();
        if (key == f::kResource || key == "WriterConfig" || (key == f::kParameters && !jsonata) ||
            (key == f::kArguments && jsonata)) {
          continue;
        }
        sink_.schema(wr.pointer_of(key), fmt::format("Field '{}' is not supported", key));
      }
      if (auto res = wr.string(f::kResource)) {
        if (!is_s3_resource(*res, "putObject")) {
          sink_.schema(
              wr.pointer_of(f::kResource),
              fmt::format("The resource provided {} is not supported by ResultWriter", *res));
        }
      }
      // Valid combinations (ASL-REFERENCE.md section 11.5): WriterConfig alone, or Resource with
      // Parameters (Arguments in JSONata), with or without WriterConfig.
      std::string_view args_key = jsonata ? f::kArguments : f::kParameters;
      if (wr.has(f::kResource) && !wr.has(args_key)) {
        wr.missing(args_key);
      } else if (!wr.has(f::kResource) && wr.has(args_key)) {
        wr.missing(f::kResource);
      }
      if (const json* wc = wr.object_field("WriterConfig")) {
        Reader cr(*wc, wr.pointer_of("WriterConfig"), sink_);
        if (auto ot = cr.string("OutputType", true)) {
          if (*ot != "JSON" && *ot != "JSONL") {
            sink_.schema(cr.pointer_of("OutputType"),
                         "The field 'OutputType' should have one of these values: [JSON, JSONL]");
          }
        }
        if (auto tr = cr.string("Transformation")) {
          if (*tr != "NONE" && *tr != "COMPACT" && *tr != "FLATTEN") {
            sink_.schema(cr.pointer_of("Transformation"),
                         "The field 'Transformation' should have one of these values: "
                         "[NONE, COMPACT, FLATTEN]");
          }
        }
      }
    }
  }

  void check_label(const std::string& label, const std::string& ptr) {
    bool bad = label.empty() || utf8::count_code_points(label) > 40;
    for (unsigned char c : label) {
      if (c <= 0x20 || c == 0x7F ||
          std::string_view("?*<>{}[]:;,\\|^~$#%&`\"").find(static_cast<char>(c)) !=
              std::string_view::npos) {
        bad = true;
      }
    }
    if (bad) {
      sink_.error(ptr, DiagnosticCode::kInvalidLabelName,
                  fmt::format("The label '{}' is not valid: at most 40 characters, without "
                              "whitespace, control characters or any of ?*<>{{}}[]:;,\\|^~$#%&`\"",
                              label));
    }
  }

  void read_item_reader(const Reader& r, State& s) {
    const json* ir = r.object_field(f::kItemReader);
    if (ir == nullptr) return;
    bool jsonata = s.query_language == QueryLanguage::kJSONata;
    ItemReaderSpec spec;
    spec.source = *ir;
    Reader rr(*ir, r.pointer_of(f::kItemReader), sink_);
    for (auto it = ir->begin(); it != ir->end(); ++it) {
      const std::string& key = it.key();
      if (key == f::kResource || key == "ReaderConfig" || (key == f::kParameters && !jsonata) ||
          (key == f::kArguments && jsonata)) {
        continue;
      }
      sink_.schema(rr.pointer_of(key), fmt::format("Field '{}' is not supported", key));
    }
    if (auto res = rr.string(f::kResource, true)) {
      spec.resource = *res;
      if (!is_s3_resource(*res, "getObject") && !is_s3_resource(*res, "listObjectsV2")) {
        sink_.schema(rr.pointer_of(f::kResource),
                     fmt::format("The resource provided {} is not supported by ItemReader", *res));
      }
    }
    if (!jsonata) {
      spec.parameters = read_template(rr, f::kParameters);
    } else {
      spec.arguments = read_jsonata(rr, f::kArguments);
    }
    if (const json* cfg = rr.object_field("ReaderConfig")) {
      Reader cr(*cfg, rr.pointer_of("ReaderConfig"), sink_);
      auto check_enum = [&](std::string_view key, std::initializer_list<std::string_view> values) {
        if (auto v = cr.string(key)) {
          if (std::find(values.begin(), values.end(), *v) == values.end()) {
            std::string list;
            for (std::string_view x : values) list += (list.empty() ? "" : ", ") + std::string(x);
            sink_.schema(cr.pointer_of(key), fmt::format("The field '{}' should have one of these "
                                                         "values: [{}]",
                                                         key, list));
          }
        }
      };
      check_enum("InputType", {"CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"});
      check_enum("Transformation", {"NONE", "LOAD_AND_FLATTEN"});
      check_enum("ManifestType", {"ATHENA_DATA", "S3_INVENTORY"});
      check_enum("CSVDelimiter", {"COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"});
      check_enum("CSVHeaderLocation", {"FIRST_ROW", "GIVEN"});
      for (auto it = cfg->begin(); it != cfg->end(); ++it) {
        static constexpr std::array kFields = {
            "InputType"sv,    "Transformation"sv,    "ManifestType"sv,
            "CSVDelimiter"sv, "CSVHeaderLocation"sv, "CSVHeaders"sv,
            "MaxItems"sv,     "MaxItemsPath"sv,      "ItemsPointer"sv};
        if (std::find(kFields.begin(), kFields.end(), it.key()) == kFields.end()) {
          sink_.schema(cr.pointer_of(it.key()),
                       fmt::format("Field '{}' is not supported", it.key()));
        }
      }
      // Read directly: check_enum has already reported a CSVHeaderLocation of the wrong type.
      const json* header_location = cr.find("CSVHeaderLocation");
      if (header_location != nullptr && *header_location == "GIVEN") {
        cr.array_field("CSVHeaders", true, true);
      }
      spec.max_items = read_dynamic(cr, s, "MaxItems", jsonata ? "" : "MaxItemsPath",
                                    int_check("MaxItems", 1, 100000000));
    }
    s.item_reader = std::move(spec);
  }

  void read_item_batcher(const Reader& r, State& s) {
    const json* ib = r.object_field(f::kItemBatcher);
    if (ib == nullptr) return;
    bool jsonata = s.query_language == QueryLanguage::kJSONata;
    ItemBatcherSpec spec;
    spec.source = *ib;
    Reader br(*ib, r.pointer_of(f::kItemBatcher), sink_);
    for (auto it = ib->begin(); it != ib->end(); ++it) {
      const std::string& key = it.key();
      if (key == "MaxItemsPerBatch" || key == "MaxInputBytesPerBatch" || key == "BatchInput" ||
          (!jsonata && (key == "MaxItemsPerBatchPath" || key == "MaxInputBytesPerBatchPath"))) {
        continue;
      }
      sink_.schema(br.pointer_of(key), fmt::format("Field '{}' is not supported", key));
    }
    spec.max_items_per_batch =
        read_dynamic(br, s, "MaxItemsPerBatch", jsonata ? "" : "MaxItemsPerBatchPath",
                     int_check("MaxItemsPerBatch", 1, 100000000));
    spec.max_input_bytes_per_batch =
        read_dynamic(br, s, "MaxInputBytesPerBatch", jsonata ? "" : "MaxInputBytesPerBatchPath",
                     int_check("MaxInputBytesPerBatch", 1, 262144));
    if (!br.has("MaxItemsPerBatch") && !br.has("MaxInputBytesPerBatch") &&
        !br.has("MaxItemsPerBatchPath") && !br.has("MaxInputBytesPerBatchPath")) {
      sink_.schema(br.pointer(),
                   "The ItemBatcher must set at least one of 'MaxItemsPerBatch', "
                   "'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch' or "
                   "'MaxInputBytesPerBatchPath'");
    }
    if (!jsonata) {
      spec.batch_input = read_template(br, "BatchInput");
    } else {
      spec.batch_input_jsonata = read_jsonata(br, "BatchInput");
    }
    s.item_batcher = std::move(spec);
  }

  const ParseOptions& options_;
  DiagnosticSink& sink_;
  QueryLanguage machine_ql_ = QueryLanguage::kJSONPath;
  std::size_t total_states_ = 0;
  bool truncated_ = false;
  std::vector<std::pair<std::string, std::string>>* current_assigned_ = nullptr;

 public:
  void set_root_assigned(std::vector<std::pair<std::string, std::string>>* v) {
    current_assigned_ = v;
  }
};

}  // namespace

std::shared_ptr<MachineModel> read_machine(const json& definition, const ParseOptions& options,
                                           DiagnosticSink& sink) {
  AslReader reader(options, sink);
  // The root scope's Assign names are collected into the root graph once it exists; read()
  // creates the model, so collect into a temporary and move it in.
  std::vector<std::pair<std::string, std::string>> root_assigned;
  reader.set_root_assigned(&root_assigned);
  std::shared_ptr<MachineModel> model = reader.read(definition);
  model->root.assigned_variables = std::move(root_assigned);
  return model;
}

}  // namespace stepwise::internal
