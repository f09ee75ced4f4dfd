// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// State machine actions of the API server: Create/Describe/Update/Delete/ListStateMachines,
// ValidateStateMachineDefinition, versions and aliases, tags, and TestState.
#include <algorithm>
#include <cstdio>
#include <functional>

#include "server/api_error.h"
#include "server/server_impl.h"
#include "stepwise/parser.h"
#include "stepwise/test_state.h"

namespace stepwise {

using internal::ActivityRecord;
using internal::ApiError;
using internal::Arn;
using internal::epoch_seconds;
using internal::MachineAlias;
using internal::MachineRecord;
using internal::MachineVersion;
using nlohmann::json;

namespace {

// A revision id: the hash of what a revision is made of, as 32 hex digits (AWS uses UUIDs).
std::string revision_of(const std::string& definition, const std::string& role_arn,
                        std::int64_t time) {
  std::size_t a = std::hash<std::string>{}(definition);
  std::size_t b = std::hash<std::string>{}(role_arn + "#" + std::to_string(time));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016zx%016zx", a, b);
  return std::string(buf, 8) + "-" + std::string(buf + 8, 4) + "-" + std::string(buf + 12, 4) +
         "-" + std::string(buf + 16, 4) + "-" + std::string(buf + 20, 12);
}

// The diagnostics of `definition` as AWS's InvalidDefinition message, or "" when valid.
std::string definition_problems(const std::string& definition, bool express) {
  ParseOptions options;
  options.express = express;
  ParseResult r = parse_state_machine(definition, options);
  if (r.ok()) return "";
  std::string message = "Invalid State Machine Definition: '";
  bool first = true;
  for (const Diagnostic& d : r.diagnostics()) {
    if (!d.is_error()) continue;
    if (!first) message += ", ";
    first = false;
    message += std::string(diagnostic_code_name(d.code)) + ": " + d.message;
    if (!d.pointer.empty()) message += " at " + d.pointer;
  }
  return message + "'";
}

std::string checked_type(const json& body) {
  std::string type = internal::string_member(body, "type").value_or("STANDARD");
  if (type != "STANDARD" && type != "EXPRESS") {
    throw internal::validation_error("type",
                                     "Member must satisfy enum value set: [STANDARD, EXPRESS]");
  }
  return type;
}

json logging_of(const json& body) {
  auto it = body.find("loggingConfiguration");
  if (it != body.end() && it->is_object()) return *it;
  return {{"level", "OFF"}, {"includeExecutionData", false}};
}

json tracing_of(const json& body) {
  auto it = body.find("tracingConfiguration");
  if (it != body.end() && it->is_object()) return *it;
  return {{"enabled", false}};
}

internal::Tags tags_of(const json& body) {
  internal::Tags tags;
  auto it = body.find("tags");
  if (it == body.end() || it->is_null()) return tags;
  if (!it->is_array()) throw ApiError("SerializationException", "Expected a list for 'tags'");
  for (const json& t : *it) {
    if (!t.is_object() || !t.contains("key") || !t["key"].is_string()) {
      throw internal::validation_error("tags", "Member must have a key");
    }
    tags[t["key"].get<std::string>()] = t.value("value", "");
  }
  return tags;
}

json tags_json(const internal::Tags& tags) {
  json out = json::array();
  for (const auto& [k, v] : tags) out.push_back({{"key", k}, {"value", v}});
  return out;
}

// A version number from an ARN qualifier; nullopt when the qualifier is not a number.
std::optional<std::int64_t> version_number(const std::string& qualifier) {
  if (qualifier.empty() || qualifier.size() > 18) return std::nullopt;
  std::int64_t n = 0;
  for (char c : qualifier) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

MachineRecord& Server::Impl::machine_for(const std::string& arn) {
  Arn parsed = arns.parse(arn, "stateMachine");
  auto it = catalog.machines.find(parsed.name);
  if (it == catalog.machines.end() || !parsed.qualifier.empty()) {
    throw ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  }
  return it->second;
}

json Server::Impl::machine_summary(const MachineRecord& m) const {
  return {{"stateMachineArn", arns.state_machine(m.name)},
          {"name", m.name},
          {"type", m.type},
          {"creationDate", epoch_seconds(m.created)}};
}

json Server::Impl::create_state_machine(const json& body) {
  std::string name = internal::required_string(body, "name");
  std::string definition = internal::required_string(body, "definition");
  std::string role_arn = internal::required_string(body, "roleArn");
  internal::check_resource_name(name);
  std::string type = checked_type(body);
  std::string problems = definition_problems(definition, type == "EXPRESS");
  if (!problems.empty()) throw ApiError("InvalidDefinition", problems);
  bool publish = internal::bool_member(body, "publish", false);
  std::lock_guard<std::mutex> lock(catalog.mu);
  auto it = catalog.machines.find(name);
  if (it != catalog.machines.end()) {
    const MachineRecord& m = it->second;
    // AWS answers a repeated identical create with the existing machine.
    if (m.definition == definition && m.role_arn == role_arn && m.type == type && !publish) {
      return {{"stateMachineArn", arns.state_machine(name)},
              {"creationDate", epoch_seconds(m.created)}};
    }
    throw ApiError("StateMachineAlreadyExists",
                   "State Machine Already Exists: '" + arns.state_machine(name) + "'");
  }
  MachineRecord m;
  m.name = name;
  m.type = type;
  m.definition = definition;
  m.role_arn = role_arn;
  m.logging = logging_of(body);
  m.tracing = tracing_of(body);
  m.created = m.updated = now();
  m.revision_id = revision_of(definition, role_arn, m.created);
  m.tags = tags_of(body);
  json out = {{"stateMachineArn", arns.state_machine(name)},
              {"creationDate", epoch_seconds(m.created)}};
  if (publish) {
    std::int64_t number =
        m.publish(internal::string_member(body, "versionDescription").value_or(""), m.created);
    out["stateMachineVersionArn"] = arns.version(name, number);
  }
  catalog.save_machine(m);
  catalog.machines[name] = std::move(m);
  return out;
}

json Server::Impl::describe_state_machine(const json& body) {
  std::string arn = internal::required_string(body, "stateMachineArn");
  Arn parsed = arns.parse(arn, "stateMachine");
  std::lock_guard<std::mutex> lock(catalog.mu);
  auto it = catalog.machines.find(parsed.name);
  auto missing = [&] {
    return ApiError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  };
  if (it == catalog.machines.end()) throw missing();
  const MachineRecord& m = it->second;
  json out = {{"stateMachineArn", arn},
              {"name", m.name},
              {"status", "ACTIVE"},
              {"type", m.type},
              {"loggingConfiguration", m.logging},
              {"tracingConfiguration", m.tracing}};
  if (parsed.qualifier.empty()) {
    out["definition"] = m.definition;
    out["roleArn"] = m.role_arn;
    out["creationDate"] = epoch_seconds(m.created);
    out["revisionId"] = m.revision_id;
    if (!m.description.empty()) out["description"] = m.description;
    return out;
  }
  std::optional<std::int64_t> number = version_number(parsed.qualifier);
  if (!number || !m.versions.count(*number)) throw missing();
  const MachineVersion& v = m.versions.at(*number);
  out["definition"] = v.definition;
  out["roleArn"] = v.role_arn;
  out["creationDate"] = epoch_seconds(v.created);
  out["revisionId"] = v.revision_id;
  if (!v.description.empty()) out["description"] = v.description;
  return out;
}

json Server::Impl::update_state_machine(const json& body) {
  std::string arn = internal::required_string(body, "stateMachineArn");
  std::optional<std::string> definition = internal::string_member(body, "definition");
  std::optional<std::string> role_arn = internal::string_member(body, "roleArn");
  bool has_logging = body.contains("loggingConfiguration");
  bool has_tracing = body.contains("tracingConfiguration");
  bool publish = internal::bool_member(body, "publish", false);
  if (!definition && !role_arn && !has_logging && !has_tracing) {
    throw ApiError("MissingRequiredParameter",
                   "Either the definition, the role ARN, the LoggingConfiguration, or the "
                   "TracingConfiguration must be specified");
  }
  std::lock_guard<std::mutex> lock(catalog.mu);
  MachineRecord& m = machine_for(arn);
  if (definition) {
    std::string problems = definition_problems(*definition, m.type == "EXPRESS");
    if (!problems.empty()) throw ApiError("InvalidDefinition", problems);
  }
  MachineRecord updated = m;
  if (definition) updated.definition = *definition;
  if (role_arn) updated.role_arn = *role_arn;
  if (has_logging) updated.logging = logging_of(body);
  if (has_tracing) updated.tracing = tracing_of(body);
  updated.updated = now();
  if (definition || role_arn) {
    updated.revision_id = revision_of(updated.definition, updated.role_arn, updated.updated);
  }
  json out = {{"updateDate", epoch_seconds(updated.updated)}, {"revisionId", updated.revision_id}};
  if (publish) {
    std::int64_t number = updated.publish(
        internal::string_member(body, "versionDescription").value_or(""), updated.updated);
    out["stateMachineVersionArn"] = arns.version(updated.name, number);
  }
  catalog.save_machine(updated);
  m = std::move(updated);
  return out;
}

json Server::Impl::delete_state_machine(const json& body) {
  std::string arn = internal::required_string(body, "stateMachineArn");
  Arn parsed = arns.parse(arn, "stateMachine");
  std::lock_guard<std::mutex> lock(catalog.mu);
  auto it = catalog.machines.find(parsed.name);
  if (it == catalog.machines.end()) return json::object();  // AWS: deleting twice is fine
  if (!parsed.qualifier.empty()) {
    // A version ARN deletes that version (DeleteStateMachineVersion's behaviour).
    std::optional<std::int64_t> number = version_number(parsed.qualifier);
    if (number) it->second.versions.erase(*number);
    catalog.save_machine(it->second);
    return json::object();
  }
  catalog.erase_machine(parsed.name);
  catalog.machines.erase(it);
  return json::object();
}

json Server::Impl::list_state_machines(const json& body) {
  std::size_t limit = internal::max_results(body, 100);
  std::size_t offset = internal::page_offset(body, "ListStateMachines");
  json items = json::array();
  std::lock_guard<std::mutex> lock(catalog.mu);
  std::size_t i = 0;
  for (const auto& [name, m] : catalog.machines) {
    if (i++ < offset) continue;
    if (items.size() == limit) {
      return {{"stateMachines", items},
              {"nextToken", internal::make_page_token("ListStateMachines", offset + limit)}};
    }
    items.push_back(machine_summary(m));
  }
  return {{"stateMachines", items}};
}

json Server::Impl::validate_state_machine_definition(const json& body) {
  std::string definition = internal::required_string(body, "definition");
  std::string type = checked_type(body);
  std::string severity = internal::string_member(body, "severity").value_or("ERROR");
  if (severity != "ERROR" && severity != "WARNING") {
    throw internal::validation_error("severity",
                                     "Member must satisfy enum value set: [ERROR, WARNING]");
  }
  std::size_t limit = internal::max_results(body, 100);
  ParseOptions options;
  options.express = type == "EXPRESS";
  options.warnings = severity == "WARNING";
  ParseResult r = parse_state_machine(definition, options);
  json diagnostics = json::array();
  bool truncated = false;
  bool failed = false;
  for (const Diagnostic& d : r.diagnostics()) {
    failed = failed || d.is_error();
    if (diagnostics.size() == limit) {
      truncated = true;
      continue;
    }
    diagnostics.push_back({{"severity", d.is_error() ? "ERROR" : "WARNING"},
                           {"code", std::string(diagnostic_code_name(d.code))},
                           {"message", d.message},
                           {"location", d.pointer}});
  }
  return {
      {"result", failed ? "FAIL" : "OK"}, {"diagnostics", diagnostics}, {"truncated", truncated}};
}

json Server::Impl::publish_state_machine_version(const json& body) {
  std::string arn = internal::required_string(body, "stateMachineArn");
  std::optional<std::string> revision = internal::string_member(body, "revisionId");
  std::lock_guard<std::mutex> lock(catalog.mu);
  MachineRecord& m = machine_for(arn);
  if (revision && *revision != m.revision_id) {
    throw ApiError("ConflictException",
                   "Failed to publish the State Machine version for revision " + *revision +
                       ". The current State Machine revision is " + m.revision_id + ".");
  }
  // Publishing an unchanged revision again gives the version already published.
  if (!m.versions.empty() && m.versions.rbegin()->second.revision_id == m.revision_id) {
    const MachineVersion& v = m.versions.rbegin()->second;
    return {{"creationDate", epoch_seconds(v.created)},
            {"stateMachineVersionArn", arns.version(m.name, v.number)}};
  }
  MachineRecord updated = m;
  std::int64_t created = now();
  std::int64_t number =
      updated.publish(internal::string_member(body, "description").value_or(""), created);
  json out = {{"creationDate", epoch_seconds(created)},
              {"stateMachineVersionArn", arns.version(m.name, number)}};
  catalog.save_machine(updated);
  m = std::move(updated);
  return out;
}

json Server::Impl::list_state_machine_versions(const json& body) {
  std::string arn = internal::required_string(body, "stateMachineArn");
  std::size_t limit = internal::max_results(body, 100);
  std::size_t offset = internal::page_offset(body, "ListStateMachineVersions:" + arn);
  std::lock_guard<std::mutex> lock(catalog.mu);
  MachineRecord& m = machine_for(arn);
  json items = json::array();
  std::size_t i = 0;
  for (auto it = m.versions.rbegin(); it != m.versions.rend(); ++it) {  // newest first
    if (i++ < offset) continue;
    if (items.size() == limit) {
      return {{"stateMachineVersions", items},
              {"nextToken",
               internal::make_page_token("ListStateMachineVersions:" + arn, offset + limit)}};
    }
    items.push_back({{"stateMachineVersionArn", arns.version(m.name, it->first)},
                     {"creationDate", epoch_seconds(it->second.created)}});
  }
  return {{"stateMachineVersions", items}};
}

namespace {

// The routing of an alias: one or two versions of machine `m` whose weights add up to 100.
std::vector<std::pair<std::int64_t, int>> routing_of(const json& body, const MachineRecord& m,
                                                     const internal::ArnScheme& arns) {
  auto it = body.find("routingConfiguration");
  if (it == body.end() || !it->is_array() || it->empty() || it->size() > 2) {
    throw internal::validation_error("routingConfiguration",
                                     "Member must have length less than or equal to 2 and "
                                     "greater than or equal to 1");
  }
  std::vector<std::pair<std::int64_t, int>> routing;
  int total = 0;
  for (const json& r : *it) {
    std::string varn = internal::required_string(r, "stateMachineVersionArn");
    Arn parsed = arns.parse(varn, "stateMachine");
    std::optional<std::int64_t> n = version_number(parsed.qualifier);
    if (parsed.name != m.name || !n) {
      throw internal::validation_error("routingConfiguration",
                                       "Member must be a version of " + arns.state_machine(m.name));
    }
    if (!m.versions.count(*n)) {
      throw ApiError("ResourceNotFound", "Resource not found: '" + varn + "'");
    }
    std::optional<std::int64_t> weight = internal::int_member(r, "weight");
    if (!weight || *weight < 0 || *weight > 100) {
      throw internal::validation_error("routingConfiguration.weight",
                                       "Member must have value between 0 and 100");
    }
    total += static_cast<int>(*weight);
    routing.emplace_back(*n, static_cast<int>(*weight));
  }
  if (total != 100) {
    throw internal::validation_error("routingConfiguration", "The sum of the weights must be 100");
  }
  return routing;
}

json routing_json(const MachineAlias& a, const std::string& machine,
                  const internal::ArnScheme& arns) {
  json out = json::array();
  for (const auto& [n, w] : a.routing) {
    out.push_back({{"stateMachineVersionArn", arns.version(machine, n)}, {"weight", w}});
  }
  return out;
}

}  // namespace

json Server::Impl::create_state_machine_alias(const json& body) {
  std::string name = internal::required_string(body, "name");
  internal::check_resource_name(name);
  if (version_number(name)) {
    throw internal::validation_error("name", "Member must not be a number");
  }
  auto rc = body.find("routingConfiguration");
  if (rc == body.end() || !rc->is_array() || rc->empty() || !(*rc)[0].is_object()) {
    throw internal::missing_member("routingConfiguration");
  }
  std::string first = internal::required_string((*rc)[0], "stateMachineVersionArn");
  std::lock_guard<std::mutex> lock(catalog.mu);
  Arn parsed = arns.parse(first, "stateMachine");
  MachineRecord& m = machine_for(arns.state_machine(parsed.name));
  MachineAlias a;
  a.name = name;
  a.description = internal::string_member(body, "description").value_or("");
  a.routing = routing_of(body, m, arns);
  a.created = a.updated = now();
  auto existing = m.aliases.find(name);
  if (existing != m.aliases.end()) {
    if (existing->second.routing == a.routing && existing->second.description == a.description) {
      return {{"stateMachineAliasArn", arns.alias(m.name, name)},
              {"creationDate", epoch_seconds(existing->second.created)}};
    }
    throw ApiError("ConflictException", "Alias already exists: '" + arns.alias(m.name, name) + "'");
  }
  MachineRecord updated = m;
  updated.aliases[name] = a;
  catalog.save_machine(updated);
  m = std::move(updated);
  return {{"stateMachineAliasArn", arns.alias(m.name, name)},
          {"creationDate", epoch_seconds(a.created)}};
}

namespace {

struct AliasRef {
  std::string machine;
  std::string alias;
};

AliasRef alias_ref(const std::string& arn, const internal::ArnScheme& arns) {
  Arn parsed = arns.parse(arn, "stateMachine");
  if (parsed.qualifier.empty() || version_number(parsed.qualifier)) {
    throw ApiError("InvalidArn", "Invalid Arn: '" + arn + "'");
  }
  return {parsed.name, parsed.qualifier};
}

// The machine that has alias `ref` (catalog.mu held); ResourceNotFound otherwise.
std::map<std::string, MachineRecord>::iterator alias_owner(internal::Catalog& catalog,
                                                           const AliasRef& ref,
                                                           const std::string& arn) {
  auto m = catalog.machines.find(ref.machine);
  if (m == catalog.machines.end() || !m->second.aliases.count(ref.alias)) {
    throw ApiError("ResourceNotFound", "Resource not found: '" + arn + "'");
  }
  return m;
}

}  // namespace

json Server::Impl::describe_state_machine_alias(const json& body) {
  std::string arn = internal::required_string(body, "stateMachineAliasArn");
  AliasRef ref = alias_ref(arn, arns);
  std::lock_guard<std::mutex> lock(catalog.mu);
  auto m = alias_owner(catalog, ref, arn);
  const MachineAlias& a = m->second.aliases.at(ref.alias);
  json out = {{"stateMachineAliasArn", arn},
              {"name", a.name},
              {"routingConfiguration", routing_json(a, ref.machine, arns)},
              {"creationDate", epoch_seconds(a.created)},
              {"updateDate", epoch_seconds(a.updated)}};
  if (!a.description.empty()) out["description"] = a.description;
  return out;
}

json Server::Impl::update_state_machine_alias(const json& body) {
  std::string arn = internal::required_string(body, "stateMachineAliasArn");
  AliasRef ref = alias_ref(arn, arns);
  std::lock_guard<std::mutex> lock(catalog.mu);
  auto m = alias_owner(catalog, ref, arn);
  MachineRecord updated = m->second;
  MachineAlias& a = updated.aliases.at(ref.alias);
  if (body.contains("routingConfiguration")) a.routing = routing_of(body, updated, arns);
  if (auto d = internal::string_member(body, "description")) a.description = *d;
  a.updated = now();
  json out = {{"updateDate", epoch_seconds(a.updated)}};
  catalog.save_machine(updated);
  m->second = std::move(updated);
  return out;
}

json Server::Impl::delete_state_machine_alias(const json& body) {
  std::string arn = internal::required_string(body, "stateMachineAliasArn");
  AliasRef ref = alias_ref(arn, arns);
  std::lock_guard<std::mutex> lock(catalog.mu);
  auto m = alias_owner(catalog, ref, arn);
  MachineRecord updated = m->second;
  updated.aliases.erase(ref.alias);
  catalog.save_machine(updated);
  m->second = std::move(updated);
  return json::object();
}

json Server::Impl::list_state_machine_aliases(const json& body) {
  std::string arn = internal::required_string(body, "stateMachineArn");
  std::lock_guard<std::mutex> lock(catalog.mu);
  MachineRecord& m = machine_for(arn);
  json items = json::array();
  for (const auto& [name, a] : m.aliases) {
    items.push_back({{"stateMachineAliasArn", arns.alias(m.name, name)},
                     {"creationDate", epoch_seconds(a.created)}});
  }
  return {{"stateMachineAliases", items}};
}

namespace {

// The tags of the machine or activity `arn` (catalog.mu held); ResourceNotFound otherwise.
internal::Tags& tags_for(internal::Catalog& catalog, const internal::ArnScheme& arns,
                         const std::string& arn, std::function<void()>& save) {
  auto not_found = [&] {
    return ApiError("ResourceNotFound", "Resource not found: '" + arn + "'");
  };
  if (arn.rfind(arns.prefix() + "activity:", 0) == 0) {
    Arn parsed = arns.parse(arn, "activity");
    auto it = catalog.activities.find(parsed.name);
    if (it == catalog.activities.end()) throw not_found();
    ActivityRecord* a = &it->second;
    save = [&catalog, a] { catalog.save_activity(*a); };
    return a->tags;
  }
  Arn parsed = arns.parse(arn, "stateMachine");
  auto it = catalog.machines.find(parsed.name);
  if (it == catalog.machines.end() || !parsed.qualifier.empty()) throw not_found();
  MachineRecord* m = &it->second;
  save = [&catalog, m] { catalog.save_machine(*m); };
  return m->tags;
}

}  // namespace

json Server::Impl::tag_resource(const json& body) {
  std::string arn = internal::required_string(body, "resourceArn");
  internal::Tags add = tags_of(body);
  std::lock_guard<std::mutex> lock(catalog.mu);
  std::function<void()> save;
  internal::Tags& tags = tags_for(catalog, arns, arn, save);
  internal::Tags before = tags;
  for (const auto& [k, v] : add) tags[k] = v;
  if (tags.size() > 50) {
    tags = before;
    throw ApiError("TooManyTags", "Too many tags: a resource has at most 50");
  }
  save();
  return json::object();
}

json Server::Impl::untag_resource(const json& body) {
  std::string arn = internal::required_string(body, "resourceArn");
  auto keys = body.find("tagKeys");
  if (keys == body.end() || !keys->is_array()) throw internal::missing_member("tagKeys");
  std::lock_guard<std::mutex> lock(catalog.mu);
  std::function<void()> save;
  internal::Tags& tags = tags_for(catalog, arns, arn, save);
  for (const json& k : *keys) {
    if (k.is_string()) tags.erase(k.get<std::string>());
  }
  save();
  return json::object();
}

json Server::Impl::list_tags_for_resource(const json& body) {
  std::string arn = internal::required_string(body, "resourceArn");
  std::lock_guard<std::mutex> lock(catalog.mu);
  std::function<void()> save;
  return {{"tags", tags_json(tags_for(catalog, arns, arn, save))}};
}

json Server::Impl::test_state(const json& body) {
  internal::required_string(body, "definition");
  Result<TestStateRequest> request = TestStateRequest::from_json(body);
  if (!request.ok()) {
    std::string m = request.status().message();
    if (m.find("definition") != std::string::npos) {
      throw ApiError("InvalidDefinition", "Invalid State Machine Definition: '" + m + "'");
    }
    throw ApiError("ValidationException", m);
  }
  TestStateOptions to;
  to.task_executor = options.task_executor;
  to.partition = options.partition;
  to.region = options.region;
  to.account = options.account;
  to.random_seed = options.random_seed;
  Result<TestStateResponse> response = stepwise::test_state(*request, to);
  if (!response.ok()) {
    const Status& s = response.status();
    if (s.code() == StatusCode::kInvalidArgument) {
      throw ApiError("InvalidDefinition",
                     "Invalid State Machine Definition: '" + s.message() + "'");
    }
    throw ApiError("InternalServerError", s.message(), 500);
  }
  // The API carries payloads as JSON text, as AWS answers them.
  json out = response->to_json();
  if (out.contains("output") && !out["output"].is_string()) out["output"] = out["output"].dump();
  auto inspection = out.find("inspectionData");
  if (inspection != out.end() && inspection->is_object()) {
    for (const char* key :
         {"input", "afterInputPath", "afterParameters", "result", "afterResultSelector",
          "afterResultPath", "afterArguments", "afterItemsPath", "variables"}) {
      auto v = inspection->find(key);
      if (v != inspection->end() && !v->is_string()) *v = v->dump();
    }
  }
  return out;
}

}  // namespace stepwise
