// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Model → ASL JSON. Every field is written from the compiled model (paths from their text,
// templates and JSONata values from their source), so a machine built or changed in C++ can be
// exported and deployed to AWS. Defaults that were not written are not emitted.
#include "parse/asl_parser.h"
#include "parse/field_names.h"

namespace stepwise::internal {
namespace {

namespace f = fields;

void put_path(json& out, std::string_view key, const OptionalPath& p) {
  switch (p.kind) {
    case OptionalPath::Kind::kDefault:
      break;
    case OptionalPath::Kind::kNull:
      out[std::string(key)] = nullptr;
      break;
    case OptionalPath::Kind::kPath:
      out[std::string(key)] = p.path.text();
      break;
  }
}

void put_dynamic(json& out, const DynamicField& d) {
  switch (d.kind()) {
    case DynamicField::Kind::kAbsent:
      break;
    case DynamicField::Kind::kLiteral:
      out[d.field()] = d.literal();
      break;
    case DynamicField::Kind::kPath:
      out[d.field()] = d.path().text();
      break;
    case DynamicField::Kind::kIntrinsic:
      out[d.field()] = d.intrinsic().text();
      break;
    case DynamicField::Kind::kJsonata:
      out[d.field()] = d.jsonata().source();
      break;
  }
}

void put_assign(json& out, const AssignSpec& a) {
  if (a.jsonpath) out[std::string(f::kAssign)] = a.jsonpath->source();
  if (a.jsonata) out[std::string(f::kAssign)] = a.jsonata->source();
}

json graph_json(const Graph& g, bool is_root);

json choice_rule_json(const ChoiceRule& r) {
  json out = json::object();
  if (r.comment) out[std::string(f::kComment)] = *r.comment;
  switch (r.op) {
    case ChoiceOp::kAnd:
    case ChoiceOp::kOr: {
      json list = json::array();
      for (const ChoiceRule& c : r.children) list.push_back(choice_rule_json(c));
      out[r.op_name] = std::move(list);
      return out;
    }
    case ChoiceOp::kNot:
      out[r.op_name] = r.children.empty() ? json::object() : choice_rule_json(r.children[0]);
      return out;
    default:
      out[std::string(f::kVariable)] = r.variable.text();
      out[r.op_name] = r.operand_is_path ? json(r.operand_path.text()) : r.operand;
      return out;
  }
}

json retrier_json(const Retrier& r) {
  json out = json::object();
  out[std::string(f::kErrorEquals)] = r.error_equals;
  if (r.has_interval) out[std::string(f::kIntervalSeconds)] = r.interval_seconds;
  if (r.has_max_attempts) out[std::string(f::kMaxAttempts)] = r.max_attempts;
  if (r.has_backoff) {
    if (r.backoff_is_integer) {
      out[std::string(f::kBackoffRate)] = static_cast<std::int64_t>(r.backoff_rate);
    } else {
      out[std::string(f::kBackoffRate)] = r.backoff_rate;
    }
  }
  if (r.max_delay_seconds) out[std::string(f::kMaxDelaySeconds)] = *r.max_delay_seconds;
  if (r.has_jitter) out[std::string(f::kJitterStrategy)] = r.jitter_full ? "FULL" : "NONE";
  if (r.comment) out[std::string(f::kComment)] = *r.comment;
  return out;
}

json catcher_json(const Catcher& c) {
  json out = json::object();
  out[std::string(f::kErrorEquals)] = c.error_equals;
  out[std::string(f::kNext)] = c.next_name;
  put_path(out, f::kResultPath, c.result_path);
  if (c.output) out[std::string(f::kOutput)] = c.output->source();
  put_assign(out, c.assign);
  if (c.comment) out[std::string(f::kComment)] = *c.comment;
  return out;
}

json state_json(const State& s) {
  json out = json::object();
  out[std::string(f::kType)] = std::string(state_type_name(s.type));
  if (s.comment) out[std::string(f::kComment)] = *s.comment;
  if (s.query_language_explicit) {
    out[std::string(f::kQueryLanguage)] =
        s.query_language == QueryLanguage::kJSONata ? "JSONata" : "JSONPath";
  }
  if (!s.next_name.empty()) out[std::string(f::kNext)] = s.next_name;
  if (s.end) out[std::string(f::kEnd)] = true;
  put_path(out, f::kInputPath, s.input_path);
  put_path(out, f::kOutputPath, s.output_path);
  put_path(out, f::kResultPath, s.result_path);
  if (s.parameters) out[std::string(f::kParameters)] = s.parameters->source();
  if (s.result_selector) out[std::string(f::kResultSelector)] = s.result_selector->source();
  if (s.result) out[std::string(f::kResult)] = *s.result;
  if (s.arguments) out[std::string(f::kArguments)] = s.arguments->source();
  if (s.output) out[std::string(f::kOutput)] = s.output->source();
  put_assign(out, s.assign);
  if (!s.resource.empty()) out[std::string(f::kResource)] = s.resource;
  put_dynamic(out, s.timeout_seconds);
  put_dynamic(out, s.heartbeat_seconds);
  if (s.credentials && s.credentials->jsonpath) {
    out[std::string(f::kCredentials)] = s.credentials->jsonpath->source();
  }
  if (s.credentials && s.credentials->jsonata) {
    out[std::string(f::kCredentials)] = s.credentials->jsonata->source();
  }
  if (!s.retry.empty()) {
    json list = json::array();
    for (const Retrier& r : s.retry) list.push_back(retrier_json(r));
    out[std::string(f::kRetry)] = std::move(list);
  }
  if (!s.catch_rules.empty()) {
    json list = json::array();
    for (const Catcher& c : s.catch_rules) list.push_back(catcher_json(c));
    out[std::string(f::kCatch)] = std::move(list);
  }
  if (s.type == StateType::kChoice) {
    json list = json::array();
    for (const ChoiceBranch& b : s.choices) {
      json rule = b.rule ? choice_rule_json(*b.rule) : json::object();
      if (b.condition) rule[std::string(f::kCondition)] = b.condition->source();
      if (b.output) rule[std::string(f::kOutput)] = b.output->source();
      put_assign(rule, b.assign);
      if (b.comment) rule[std::string(f::kComment)] = *b.comment;
      rule[std::string(f::kNext)] = b.next_name;
      list.push_back(std::move(rule));
    }
    out[std::string(f::kChoices)] = std::move(list);
    if (!s.default_name.empty()) out[std::string(f::kDefault)] = s.default_name;
  }
  if (s.wait) {
    put_dynamic(out, s.wait->seconds);
    put_dynamic(out, s.wait->timestamp);
  }
  if (s.fail) {
    put_dynamic(out, s.fail->error);
    put_dynamic(out, s.fail->cause);
  }
  if (s.type == StateType::kParallel) {
    json list = json::array();
    for (const auto& b : s.branches) list.push_back(graph_json(*b, false));
    out[std::string(f::kBranches)] = std::move(list);
  }
  if (s.type == StateType::kMap) {
    if (s.processor) {
      json proc = graph_json(*s.processor, false);
      if (s.processor_config) proc[std::string(f::kProcessorConfig)] = s.processor_config->source;
      out[std::string(s.processor_is_iterator ? f::kIterator : f::kItemProcessor)] =
          std::move(proc);
    }
    put_path(out, f::kItemsPath, s.items_path);
    if (s.items) out[std::string(f::kItems)] = s.items->source();
    if (s.item_selector) out[std::string(f::kItemSelector)] = s.item_selector->source();
    if (s.item_selector_jsonata) {
      out[std::string(f::kItemSelector)] = s.item_selector_jsonata->source();
    }
    if (s.item_reader) out[std::string(f::kItemReader)] = s.item_reader->source;
    if (s.item_batcher) out[std::string(f::kItemBatcher)] = s.item_batcher->source;
    if (s.result_writer) out[std::string(f::kResultWriter)] = *s.result_writer;
    put_dynamic(out, s.max_concurrency);
    put_dynamic(out, s.tolerated_failure_percentage);
    put_dynamic(out, s.tolerated_failure_count);
    if (s.label) out[std::string(f::kLabel)] = *s.label;
  }
  return out;
}

json graph_json(const Graph& g, bool is_root) {
  json out = json::object();
  if (g.comment) out[std::string(f::kComment)] = *g.comment;
  if (!is_root && g.query_language) {
    out[std::string(f::kQueryLanguage)] =
        *g.query_language == QueryLanguage::kJSONata ? "JSONata" : "JSONPath";
  }
  out[std::string(f::kStartAt)] = g.start_at_name;
  json states = json::object();
  for (const State& s : g.states) states[s.name] = state_json(s);
  out[std::string(f::kStates)] = std::move(states);
  return out;
}

}  // namespace

json serialize_machine(const MachineModel& model) {
  json out = graph_json(model.root, true);
  if (model.version) out[std::string(f::kVersion)] = *model.version;
  if (model.timeout_seconds) out[std::string(f::kTimeoutSeconds)] = *model.timeout_seconds;
  if (model.query_language_explicit) {
    out[std::string(f::kQueryLanguage)] =
        model.query_language == QueryLanguage::kJSONata ? "JSONata" : "JSONPath";
  }
  return out;
}

}  // namespace stepwise::internal
