// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Step Functions Local mock configuration files (ASL-REFERENCE.md section 18): the checker,
// which reports every problem with its JSON pointer, and the executor that serves mocked Task
// states by invocation number.
#include "stepwise/mock_config.h"
#include "stepwise/diagnostic.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "stepwise/errors.h"
#include "util/json_limits.h"
#include "util/thread_annotations.h"

namespace stepwise {
namespace {

using nlohmann::json;

std::string child(const std::string& pointer, std::string_view key) {
  return json_pointer_append(pointer, key);
}

std::string type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

// A non-negative decimal integer with no sign, spaces or leading zeros ("0", "12").
bool parse_index(std::string_view s, std::int64_t& out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

class Checker {
 public:
  void problem(const std::string& pointer, std::string message) {
    problems_.push_back(fmt::format("{}: {}", pointer.empty() ? "/" : pointer, message));
  }
  bool ok() const { return problems_.empty(); }
  std::string text() const {
    std::string out;
    for (const std::string& p : problems_) {
      if (!out.empty()) out += '\n';
      out += p;
    }
    return out;
  }

  // Requires `v` to be an object; reports it otherwise.
  bool object(const json& v, const std::string& pointer, std::string_view what) {
    if (v.is_object()) return true;
    problem(pointer, fmt::format("{} must be an object, not {}", what, type_name(v)));
    return false;
  }

 private:
  std::vector<std::string> problems_;
};

// An invocation key, "0" or an inclusive range "1-2", into entry.first and entry.last.
bool read_invocation_key(const std::string& key, MockedResponseEntry& entry) {
  auto dash = key.find('-');
  if (dash == std::string::npos) {
    bool ok = parse_index(key, entry.first);
    entry.last = entry.first;
    return ok;
  }
  return parse_index(std::string_view(key).substr(0, dash), entry.first) &&
         parse_index(std::string_view(key).substr(dash + 1), entry.last);
}

// The "Throw" of a response into `entry`; false after reporting its problems.
bool read_throw(Checker& c, const json& t, const std::string& tp, MockedResponseEntry& entry) {
  if (!c.object(t, tp, "\"Throw\"")) return false;
  bool throw_ok = true;
  for (const char* field : {"Error", "Cause"}) {
    auto v = t.find(field);
    if (v == t.end()) {
      c.problem(tp, fmt::format("\"{}\" is required", field));
      throw_ok = false;
    } else if (!v->is_string()) {
      c.problem(child(tp, field),
                fmt::format("\"{}\" must be a string, not {}", field, type_name(*v)));
      throw_ok = false;
    }
  }
  for (auto f = t.begin(); f != t.end(); ++f) {
    if (f.key() != "Error" && f.key() != "Cause") {
      c.problem(child(tp, f.key()), "unknown field (expected \"Error\" and \"Cause\")");
      throw_ok = false;
    }
  }
  if (!throw_ok) return false;
  entry.is_throw = true;
  entry.error = t["Error"].get<std::string>();
  entry.cause = t["Cause"].get<std::string>();
  return true;
}

// One invocation's response (`key` in the mocked response at `ep`'s parent); nullopt after
// reporting its problems.
std::optional<MockedResponseEntry> read_response_entry(Checker& c, const std::string& key,
                                                       const json& body, const std::string& ep) {
  MockedResponseEntry entry;
  if (!read_invocation_key(key, entry)) {
    c.problem(ep, "an invocation key must be a number (\"0\") or an inclusive range (\"1-2\")");
    return std::nullopt;
  }
  if (entry.last < entry.first) {
    c.problem(ep,
              fmt::format("the range ends ({}) before it starts ({})", entry.last, entry.first));
    return std::nullopt;
  }
  if (!c.object(body, ep, "an invocation's response")) return std::nullopt;
  bool has_return = body.contains("Return"), has_throw = body.contains("Throw");
  for (auto f = body.begin(); f != body.end(); ++f) {
    if (f.key() != "Return" && f.key() != "Throw") {
      c.problem(child(ep, f.key()), "unknown field (expected \"Return\" or \"Throw\")");
    }
  }
  if (has_return == has_throw) {
    c.problem(ep, has_return ? "a response has either \"Return\" or \"Throw\", not both"
                             : "a response needs \"Return\" or \"Throw\"");
    return std::nullopt;
  }
  if (has_return) {
    entry.value = body["Return"];
  } else if (!read_throw(c, body["Throw"], child(ep, "Throw"), entry)) {
    return std::nullopt;
  }
  return entry;
}

// The entries of one mocked response (an object at `rp`), sorted by first invocation, with
// overlapping invocations reported. An empty response is accepted, as Step Functions Local
// accepts it: the state that names it fails with States.Runtime when it is invoked.
std::vector<MockedResponseEntry> read_mocked_response(Checker& c, const json& response,
                                                      const std::string& rp) {
  std::vector<MockedResponseEntry> entries;
  for (auto e = response.begin(); e != response.end(); ++e) {
    std::optional<MockedResponseEntry> entry =
        read_response_entry(c, e.key(), e.value(), child(rp, e.key()));
    if (entry) entries.push_back(std::move(*entry));
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].first <= entries[i - 1].last) {
      c.problem(rp, fmt::format("invocation {} has more than one response", entries[i].first));
    }
  }
  return entries;
}

// The test cases of one state machine (an object at `mp`) into `cases_out`: test case → state
// → response name. `responses` is the document's MockedResponses, or null when it is absent.
void read_test_cases(Checker& c, const json& machine, const std::string& mp, const json* responses,
                     std::map<std::string, std::map<std::string, std::string>>& cases_out) {
  for (auto f = machine.begin(); f != machine.end(); ++f) {
    if (f.key() != "TestCases") {
      c.problem(child(mp, f.key()), "unknown field (expected \"TestCases\")");
    }
  }
  auto cases = machine.find("TestCases");
  if (cases == machine.end()) {
    c.problem(mp, "\"TestCases\" is required");
    return;
  }
  std::string cp = child(mp, "TestCases");
  if (!c.object(*cases, cp, "\"TestCases\"")) return;
  for (auto t = cases->begin(); t != cases->end(); ++t) {
    std::string tp = child(cp, t.key());
    if (!c.object(t.value(), tp, "a test case")) continue;
    auto& states = cases_out[t.key()];
    for (auto s = t.value().begin(); s != t.value().end(); ++s) {
      std::string sp = child(tp, s.key());
      if (!s.value().is_string()) {
        c.problem(sp, fmt::format("a mocked state names a mocked response (a string), not {}",
                                  type_name(s.value())));
        continue;
      }
      const std::string& name = s.value().get_ref<const std::string&>();
      if (responses != nullptr && responses->is_object() && !responses->contains(name)) {
        c.problem(sp, fmt::format("no mocked response named \"{}\" in /MockedResponses", name));
        continue;
      }
      states.emplace(s.key(), name);
    }
  }
}

}  // namespace

Result<MockConfig> MockConfig::parse(const json& doc) {
  // Mocked results are payloads: bounded before anything copies them (a few levels more for
  // the configuration's own structure).
  const std::size_t max_depth = internal::record_depth_limit(internal::kDefaultMaxPayloadDepth);
  if (internal::json_depth_exceeds(doc, max_depth)) {
    return invalid_argument_error(internal::depth_limit_cause("The mock configuration", max_depth));
  }
  Checker c;
  MockConfig config;
  if (!c.object(doc, "", "the mock configuration")) return invalid_argument_error(c.text());
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "StateMachines" && it.key() != "MockedResponses") {
      c.problem(child("", it.key()),
                "unknown field (expected \"StateMachines\" and \"MockedResponses\")");
    }
  }

  // MockedResponses first, so test cases can be checked against them.
  auto responses = doc.find("MockedResponses");
  if (responses == doc.end()) {
    c.problem("/MockedResponses", "\"MockedResponses\" is required");
  } else if (c.object(*responses, "/MockedResponses", "\"MockedResponses\"")) {
    for (auto r = responses->begin(); r != responses->end(); ++r) {
      std::string rp = child("/MockedResponses", r.key());
      if (!c.object(r.value(), rp, "a mocked response")) continue;
      config.responses_.emplace(r.key(), read_mocked_response(c, r.value(), rp));
    }
  }

  auto machines = doc.find("StateMachines");
  if (machines == doc.end()) {
    c.problem("/StateMachines", "\"StateMachines\" is required");
  } else if (c.object(*machines, "/StateMachines", "\"StateMachines\"")) {
    for (auto m = machines->begin(); m != machines->end(); ++m) {
      std::string mp = child("/StateMachines", m.key());
      if (!c.object(m.value(), mp, "a state machine")) continue;
      read_test_cases(c, m.value(), mp, responses == doc.end() ? nullptr : &*responses,
                      config.machines_[m.key()]);
    }
  }
  if (!c.ok()) return invalid_argument_error(c.text());
  return config;
}

Result<MockConfig> MockConfig::parse_text(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return invalid_argument_error(
        fmt::format("the mock configuration is not valid JSON (byte {}): {}", e.byte, e.what()));
  }
  return parse(doc);
}

Result<MockConfig> MockConfig::load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return not_found_error(fmt::format("{}: cannot read the mock configuration", path.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  Result<MockConfig> r = parse_text(ss.str());
  if (!r.ok()) {
    std::string message;
    std::istringstream lines(r.status().message());
    std::string line;
    while (std::getline(lines, line)) {
      if (!message.empty()) message += '\n';
      message += path.string() + ":" + line;
    }
    return Status(r.status().code(), message);
  }
  return r;
}

std::vector<std::string> MockConfig::state_machines() const {
  std::vector<std::string> out;
  for (const auto& [name, cases] : machines_) out.push_back(name);
  return out;
}

std::vector<std::string> MockConfig::test_cases(std::string_view state_machine) const {
  std::vector<std::string> out;
  auto m = machines_.find(state_machine);
  if (m == machines_.end()) return out;
  for (const auto& [name, states] : m->second) out.push_back(name);
  return out;
}

Result<std::map<std::string, std::string>> MockConfig::test_case(std::string_view state_machine,
                                                                 std::string_view test_case) const {
  auto m = machines_.find(state_machine);
  if (m == machines_.end()) {
    std::string known;
    for (const auto& [name, cases] : machines_) known += (known.empty() ? "" : ", ") + name;
    return not_found_error(
        fmt::format("{}: no state machine named \"{}\" in the mock configuration (it has: {})",
                    json_pointer_append("/StateMachines", state_machine), state_machine,
                    known.empty() ? "none" : known));
  }
  auto t = m->second.find(std::string(test_case));
  if (t == m->second.end()) {
    std::string known;
    for (const auto& [name, states] : m->second) known += (known.empty() ? "" : ", ") + name;
    return not_found_error(fmt::format(
        "{}: no test case named \"{}\" for state machine \"{}\" (it has: {})",
        json_pointer_append(json_pointer_append("/StateMachines", state_machine) + "/TestCases",
                            test_case),
        test_case, state_machine, known.empty() ? "none" : known));
  }
  return t->second;
}

const std::vector<MockedResponseEntry>* MockConfig::response(std::string_view name) const {
  auto it = responses_.find(name);
  return it == responses_.end() ? nullptr : &it->second;
}

Result<std::shared_ptr<TaskExecutor>> MockConfig::executor(
    std::string_view state_machine, std::string_view test_case,
    std::shared_ptr<TaskExecutor> fallback) const {
  Result<std::map<std::string, std::string>> tc = this->test_case(state_machine, test_case);
  if (!tc.ok()) return tc.status();
  std::map<std::string, std::vector<MockedResponseEntry>> states;
  for (const auto& [state, response_name] : *tc) states.emplace(state, *response(response_name));
  return std::shared_ptr<TaskExecutor>(std::make_shared<MockTaskExecutor>(
      std::string(test_case), std::move(states), std::move(fallback)));
}

// --- MockTaskExecutor ---

struct MockTaskExecutor::Counts {
  internal::Mutex mu;
  std::map<std::pair<std::string, std::string>, std::int64_t> by_state GUARDED_BY(mu);
};

MockTaskExecutor::MockTaskExecutor(std::string test_case,
                                   std::map<std::string, std::vector<MockedResponseEntry>> states,
                                   std::shared_ptr<TaskExecutor> fallback)
    : test_case_(std::move(test_case)),
      fallback_(std::move(fallback)),
      counts_(std::make_unique<Counts>()) {
  for (auto& [name, entries] : states) states_.emplace(name, std::move(entries));
}

MockTaskExecutor::~MockTaskExecutor() = default;

void MockTaskExecutor::start(const TaskRequest& request, TaskCompletion completion) {
  auto it = states_.find(request.state_name);
  if (it == states_.end()) {
    // Not mocked in this test case: the real executor does the work (the "hybrid" case).
    if (fallback_) {
      fallback_->start(request, std::move(completion));
    } else {
      completion.fail(std::string(errors::kTaskFailed),
                      fmt::format("the state '{}' is not mocked in test case '{}' and no "
                                  "fallback executor is configured",
                                  request.state_name, test_case_));
    }
    return;
  }
  std::int64_t n;
  {
    internal::MutexLock lock(counts_->mu);
    n = counts_->by_state[{std::string(request.execution_name), std::string(request.state_name)}]++;
  }
  for (const MockedResponseEntry& e : it->second) {
    if (n < e.first || n > e.last) continue;
    if (e.is_throw) {
      completion.fail(e.error, e.cause);
    } else {
      completion.succeed(e.value);
    }
    return;
  }
  // Step Functions Local fails the execution (States.Runtime) when an invocation has no
  // mocked response.
  std::string defined;
  for (const auto& e : it->second) {
    if (!defined.empty()) defined += ", ";
    defined +=
        e.first == e.last ? fmt::format("{}", e.first) : fmt::format("{}-{}", e.first, e.last);
  }
  completion.fail(std::string(errors::kRuntime),
                  fmt::format("No mocked response for invocation {} of state '{}' in test case "
                              "'{}': its mocked response defines {}",
                              n, request.state_name, test_case_,
                              defined.empty() ? "no invocation" : "invocations " + defined));
}

void MockTaskExecutor::cancel(std::string_view task_token) {
  if (fallback_) fallback_->cancel(task_token);
}

std::int64_t MockTaskExecutor::invocations(std::string_view execution_name,
                                           std::string_view state_name) const {
  internal::MutexLock lock(counts_->mu);
  auto it = counts_->by_state.find({std::string(execution_name), std::string(state_name)});
  return it == counts_->by_state.end() ? 0 : it->second;
}

void MockTaskExecutor::reset() {
  internal::MutexLock lock(counts_->mu);
  counts_->by_state.clear();
}

}  // namespace stepwise
