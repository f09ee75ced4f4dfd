// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The ASL conformance runner. Task states calling LocalStack's test Lambdas are served by a
// scripted executor that reproduces each mock's behaviour (echo, constant, error,
// python_format, optional delay on the virtual clock, or a list of per-invocation responses);
// the result shapes follow AWS's Lambda integrations.
#include "asl_suite.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "stepwise/stepwise.h"
#include "stepwise/test_state.h"

namespace stepwise::tools {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<json> load_json(const fs::path& p) {
  if (!fs::exists(p)) return std::nullopt;
  try {
    return json::parse(slurp(p));
  } catch (...) {
    return std::nullopt;
  }
}

// Python's json.dumps (default separators, ensure_ascii), for Lambda's Content-Length.
void py_dumps(const json& v, std::string& out) {
  switch (v.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        out += json(it.key()).dump(-1, ' ', true);
        out += ": ";
        py_dumps(it.value(), out);
      }
      out += '}';
      break;
    }
    case json::value_t::array: {
      out += '[';
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ", ";
        py_dumps(v[i], out);
      }
      out += ']';
      break;
    }
    case json::value_t::number_float: {
      double d = v.get<double>();
      if (std::floor(d) == d && std::fabs(d) < 1e16) {
        out += std::to_string(static_cast<long long>(d)) + ".0";
      } else {
        out += v.dump();
      }
      break;
    }
    default:
      out += v.dump(-1, ' ', true);
  }
}

// Python's str() of a JSON-decoded value: {'a': 1, 'b': True, 'c': None}.
void py_str(const json& v, std::string& out, bool top) {
  switch (v.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        py_str(json(it.key()), out, false);
        out += ": ";
        py_str(it.value(), out, false);
      }
      out += '}';
      break;
    }
    case json::value_t::array: {
      out += '[';
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ", ";
        py_str(v[i], out, false);
      }
      out += ']';
      break;
    }
    case json::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      if (top) {
        out += s;
      } else {
        bool has_single = s.find('\'') != std::string::npos;
        bool has_double = s.find('"') != std::string::npos;
        char q = has_single && !has_double ? '"' : '\'';
        out += q;
        for (char c : s) {
          if (c == q || c == '\\') out += '\\';
          out += c;
        }
        out += q;
      }
      break;
    }
    case json::value_t::boolean:
      out += v.get<bool>() ? "True" : "False";
      break;
    case json::value_t::null:
      out += "None";
      break;
    case json::value_t::number_float: {
      std::string s;
      py_dumps(v, s);
      out += s;
      break;
    }
    default:
      out += v.dump();
  }
}

std::string function_name_of(const std::string& name_or_arn) {
  // arn:aws:lambda:region:acct:function:NAME[:qualifier]
  const std::string marker = ":function:";
  auto pos = name_or_arn.find(marker);
  if (pos == std::string::npos) return name_or_arn;
  std::string rest = name_or_arn.substr(pos + marker.size());
  auto colon = rest.find(':');
  return colon == std::string::npos ? rest : rest.substr(0, colon);
}

// Serves Task states from task_mocks.json. Completes synchronously unless the mock has a delay,
// in which case the completion is kept and delivered by the runner when the virtual clock
// reaches it.
class MockExecutor final : public TaskExecutor {
 public:
  struct Delayed {
    std::int64_t due;
    TaskCompletion completion;
    json output;
  };

  // `full_invoke_response`: without a recorded lambda:invoke result to copy, answer with the
  // whole Lambda Invoke response shape (HTTP metadata included) rather than a minimal one.
  MockExecutor(json mocks, std::shared_ptr<ManualClock> clock, bool full_invoke_response = false)
      : mocks_(std::move(mocks)), clock_(std::move(clock)) {
    for (const auto& call : mocks_.value("recorded_calls", json::array())) {
      if (call.contains("output") && call.value("resource", "") == "lambda:invoke" &&
          call["output"].is_object() && call["output"].contains("SdkHttpMetadata")) {
        invoke_template_ = call["output"];
        break;
      }
    }
    if (invoke_template_.is_null() && full_invoke_response) {
      const std::string request_id = "00000000-0000-0000-0000-000000000000";
      const std::string date = "Thu, 26 Nov 2026 00:00:00 GMT";
      const std::string trace = "Root=1-00000000-000000000000000000000000;Sampled=0";
      invoke_template_ = {{"ExecutedVersion", "$LATEST"},
                          {"SdkHttpMetadata",
                           {{"AllHttpHeaders",
                             {{"X-Amz-Executed-Version", {"$LATEST"}},
                              {"x-amzn-Remapped-Content-Length", {"0"}},
                              {"Connection", {"keep-alive"}},
                              {"x-amzn-RequestId", request_id},
                              {"Content-Length", {"0"}},
                              {"Date", date},
                              {"X-Amzn-Trace-Id", trace},
                              {"Content-Type", {"application/json"}}}},
                            {"HttpHeaders",
                             {{"Connection", "keep-alive"},
                              {"Content-Length", "0"},
                              {"Content-Type", "application/json"},
                              {"Date", date},
                              {"X-Amz-Executed-Version", "$LATEST"},
                              {"x-amzn-Remapped-Content-Length", "0"},
                              {"x-amzn-RequestId", request_id},
                              {"X-Amzn-Trace-Id", trace}}},
                            {"HttpStatusCode", 200}}},
                          {"SdkResponseMetadata", {{"RequestId", request_id}}},
                          {"StatusCode", 200}};
    }
  }

  void start(const TaskRequest& req, TaskCompletion completion) override {
    std::string resource(req.resource);
    const json& input = *req.input;
    bool invoke = resource.find(":states:::lambda:invoke") != std::string::npos;
    std::string fn;
    json event;
    if (invoke) {
      if (!input.is_object() || !input.contains("FunctionName") ||
          !input["FunctionName"].is_string()) {
        completion.fail("States.Runtime", "lambda:invoke needs a FunctionName");
        return;
      }
      fn = function_name_of(input["FunctionName"].get<std::string>());
      event = input.contains("Payload") ? input["Payload"] : json(nullptr);
      if (event.is_string()) {
        try {
          event = json::parse(event.get<std::string>());
        } catch (...) {
        }
      }
      if (event.is_null()) event = json::object();
    } else if (resource.find(":lambda:") != std::string::npos) {
      fn = function_name_of(resource);
      event = input;
    } else {
      completion.fail("States.TaskFailed", "no mock for resource " + resource);
      return;
    }
    const json& functions = mocks_["lambda_functions"];
    if (!functions.contains(fn)) {
      completion.fail("Lambda.ResourceNotFoundException",
                      "Function not found: arn:aws:lambda:us-east-1:111111111111:function:" + fn +
                          ":$LATEST (Service: AWSLambda; Status Code: 404; Error Code: "
                          "ResourceNotFoundException; Request ID: "
                          "00000000-0000-0000-0000-000000000000; Proxy: null)");
      return;
    }
    // A mock with "responses" answers its n-th invocation with responses[n] (the last one
    // repeats): a task that fails twice and then succeeds, for Retry cases.
    const json* mock = &functions[fn];
    if (mock->contains("responses") && (*mock)["responses"].is_array() &&
        !(*mock)["responses"].empty()) {
      const json& responses = (*mock)["responses"];
      std::size_t n = invocations_[fn]++;
      mock = &responses[std::min(n, responses.size() - 1)];
    }
    respond(*mock, invoke, event, std::move(completion));
  }

  std::vector<Delayed>& delayed() { return delayed_; }

 private:
  // Answers one invocation as `mock` says (behaviour echo, constant, error or python_format;
  // optional delay_seconds on the virtual clock).
  void respond(const json& mock, bool invoke, const json& event, TaskCompletion completion) {
    std::string behaviour = mock.value("behaviour", "echo");
    if (behaviour == "error") {
      std::string error = mock.value("error", "Exception");
      std::string cause = mock.contains("cause") && mock["cause"].is_string()
                              ? mock["cause"].get<std::string>()
                              : (mock.contains("cause") ? mock["cause"].dump() : "");
      if (!invoke) {
        // Direct Lambda ARNs report the function's error JSON as Python prints it.
        try {
          json parsed = json::parse(cause);
          if (parsed.is_object()) {
            std::string spaced;
            py_dumps(parsed, spaced);
            cause = spaced;
          }
        } catch (...) {
        }
      }
      completion.fail(error, cause);
      return;
    }
    json ret;
    if (behaviour == "constant") {
      ret = mock.value("value", json());
    } else if (behaviour == "python_format") {
      std::string s = "input-event-";
      py_str(event, s, true);
      ret = s;
    } else {
      ret = event;
    }
    json output = ret;
    if (invoke) {
      std::string body;
      py_dumps(ret, body);
      output = invoke_template_.is_null()
                   ? json{{"ExecutedVersion", "$LATEST"}, {"StatusCode", 200}}
                   : invoke_template_;
      output["Payload"] = ret;
      if (output.contains("SdkHttpMetadata")) {
        auto& meta = output["SdkHttpMetadata"];
        std::string len = std::to_string(body.size());
        if (meta.contains("AllHttpHeaders")) meta["AllHttpHeaders"]["Content-Length"] = {len};
        if (meta.contains("HttpHeaders")) meta["HttpHeaders"]["Content-Length"] = len;
      }
    }
    if (mock.contains("delay_seconds")) {
      std::int64_t due = clock_->now() + mock["delay_seconds"].get<std::int64_t>() * 1000000000LL;
      delayed_.push_back({due, std::move(completion), std::move(output)});
      return;
    }
    completion.succeed(std::move(output));
  }

  json mocks_;
  json invoke_template_;
  std::shared_ptr<ManualClock> clock_;
  std::vector<Delayed> delayed_;
  std::map<std::string, std::size_t> invocations_;  // per function name
};

// --- Comparison with placeholders ---

struct Wildcards {
  std::set<std::string> whole;  // whole-string replacements, e.g. "date"
  bool any_token = false;       // `<...>` tokens present
};

bool string_matches_expected(const std::string& expected, const std::string& actual,
                             const Wildcards& w) {
  if (expected == actual) return true;
  if (w.whole.count(expected)) return true;
  static const std::regex token(R"(<[A-Za-z0-9_:\-\.]+>)");
  std::string pattern;
  std::size_t last = 0;
  bool had_token = false;
  for (auto it = std::sregex_iterator(expected.begin(), expected.end(), token);
       it != std::sregex_iterator(); ++it) {
    had_token = true;
    std::string lit = expected.substr(last, static_cast<std::size_t>(it->position()) - last);
    pattern += std::regex_replace(lit, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
    pattern += "[\\s\\S]*?";
    last = static_cast<std::size_t>(it->position() + it->length());
  }
  if (!had_token) {
    // "date" replaces timestamps inside strings too.
    if (w.whole.count("date")) {
      static const std::regex iso(
          R"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)");
      return std::regex_replace(actual, iso, "date") == expected;
    }
    return false;
  }
  std::string lit = expected.substr(last);
  pattern += std::regex_replace(lit, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)");
  try {
    return std::regex_match(actual, std::regex(pattern));
  } catch (...) {
    return false;
  }
}

bool json_matches(const json& expected, const json& actual, const Wildcards& w,
                  std::string& where) {
  if (expected.is_string() &&
      (w.whole.count(expected.get<std::string>()) ||
       (w.any_token && expected.get<std::string>().find('<') != std::string::npos &&
        !actual.is_string()))) {
    return true;
  }
  if (expected.is_number() && actual.is_number()) {
    if (expected.get<double>() == actual.get<double>()) return true;
    where = expected.dump() + " != " + actual.dump();
    return false;
  }
  if (expected.type() != actual.type()) {
    where = "expected " + expected.dump() + ", got " + actual.dump();
    return false;
  }
  if (expected.is_object()) {
    if (expected.size() != actual.size()) {
      where = "expected " + expected.dump() + ", got " + actual.dump();
      return false;
    }
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      if (!actual.contains(it.key())) {
        where = "missing key '" + it.key() + "' in " + actual.dump();
        return false;
      }
      if (!json_matches(it.value(), actual[it.key()], w, where)) {
        where = "/" + it.key() + ": " + where;
        return false;
      }
    }
    return true;
  }
  if (expected.is_array()) {
    if (expected.size() != actual.size()) {
      where = "expected " + expected.dump() + ", got " + actual.dump();
      return false;
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (!json_matches(expected[i], actual[i], w, where)) {
        where = "/" + std::to_string(i) + ": " + where;
        return false;
      }
    }
    return true;
  }
  if (expected.is_string()) {
    if (string_matches_expected(expected.get<std::string>(), actual.get<std::string>(), w)) {
      return true;
    }
    where = "expected " + expected.dump() + ", got " + actual.dump();
    return false;
  }
  if (expected == actual) return true;
  where = "expected " + expected.dump() + ", got " + actual.dump();
  return false;
}

bool cause_matches(const std::string& expected, const std::string& actual, const Wildcards& w) {
  if (string_matches_expected(expected, actual, w)) return true;
  // Causes that are JSON object texts compare as JSON (the corpus re-serialized some).
  try {
    json e = json::parse(expected), a = json::parse(actual);
    std::string where;
    return json_matches(e, a, w, where);
  } catch (...) {
    return false;
  }
}

// "07-02-2024, 13:52:02" (day-month-year) → nanoseconds since the epoch.
std::optional<std::int64_t> recorded_time(const std::string& s) {
  int d, m, y, hh, mm, ss;
  if (std::sscanf(s.c_str(), "%d-%d-%d, %d:%d:%d", &d, &m, &y, &hh, &mm, &ss) != 6) {
    return std::nullopt;
  }
  auto days_from_civil = [](std::int64_t yy, unsigned mo, unsigned dd) {
    yy -= mo <= 2;
    const std::int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(yy - era * 400);
    const unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
  };
  std::int64_t days = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return ((days * 86400) + hh * 3600 + mm * 60 + ss) * 1000000000LL;
}

// Replaces each string holding a JSON object or array (the `input`, `output` and `parameters`
// texts of history events) by the value, so that histories compare as JSON, key order aside.
void parse_json_texts(json& v) {
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (!s.empty() && (s[0] == '{' || s[0] == '[')) {
      json parsed = json::parse(s, nullptr, /*allow_exceptions=*/false);
      if (!parsed.is_discarded()) v = std::move(parsed);
    }
  } else if (v.is_structured()) {
    for (auto& c : v) parse_json_texts(c);
  }
}

// Compares the execution's history with the case's history.json when that file is in
// GetExecutionHistory form ({"events": [...]}, as `stepwise run --history` writes it; the
// project's own cases under tests/cases). The AWS-recorded corpus keeps LocalStack's snapshot
// form (a bare array with normalised timestamps), which is not compared. With
// `write_missing`, a case without history.json gets one written from this run. Returns why
// the histories differ, or nullopt.
std::optional<std::string> check_history(const Engine& engine, ExecutionId id, const fs::path& dir,
                                         bool write_missing, const Wildcards& w) {
  Result<const History*> history = engine.history(id);
  if (!history.ok()) return "no history: " + history.status().to_string();
  json got = history_to_json(**history);
  fs::path file = dir / "history.json";
  if (!fs::exists(file)) {
    if (write_missing) std::ofstream(file) << got.dump(2) << "\n";
    return std::nullopt;
  }
  auto want = load_json(file);
  if (!want) return std::string("history.json is not JSON");
  if (!want->is_object() || !want->contains("events")) return std::nullopt;
  json we = (*want)["events"];
  json ge = got["events"];
  parse_json_texts(we);
  parse_json_texts(ge);
  for (std::size_t i = 0; i < std::max(we.size(), ge.size()); ++i) {
    if (i >= we.size()) return "history has an extra event " + ge[i].dump();
    if (i >= ge.size()) return "history lacks event " + we[i].dump();
    std::string where;
    if (!json_matches(we[i], ge[i], w, where)) {
      std::string text = "history event " + std::to_string(i + 1) + " differs: " + where;
      if (text.size() > 400) text = text.substr(0, 400) + "...";
      return text;
    }
  }
  return std::nullopt;
}

}  // namespace

// Case folders under `dir` (or `dir` itself): folders holding `marker`, not descending into
// folders named `skip` (when not empty) or into a case.
static std::vector<fs::path> find_case_dirs(const fs::path& dir, const char* marker,
                                            const char* skip) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (fs::exists(dir / marker)) {
    out.push_back(dir);
    return out;
  }
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       it != fs::recursive_directory_iterator(); ++it) {
    if (!it->is_directory()) continue;
    if (*skip != '\0' && it->path().filename() == skip) {
      it.disable_recursion_pending();
      continue;
    }
    if (fs::exists(it->path() / marker)) {
      out.push_back(it->path());
      it.disable_recursion_pending();
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> find_asl_cases(const fs::path& dir) {
  std::vector<fs::path> out;
  for (fs::path& c : find_case_dirs(dir, "expected.json", "test_state_api")) {
    if (fs::exists(c / "definition.json")) out.push_back(std::move(c));
  }
  return out;
}

CaseResult run_asl_case(const fs::path& dir, bool write_missing_history) {
  CaseResult r;
  r.name = dir.filename().string();
  r.group = dir.parent_path().filename().string();
  auto fail = [&](std::string why) {
    r.outcome = CaseResult::Outcome::kFailed;
    r.reason = std::move(why);
    return r;
  };
  std::string def_text = slurp(dir / "definition.json");
  auto expected = load_json(dir / "expected.json");
  if (!expected) return fail("expected.json is missing or not JSON");
  json meta = load_json(dir / "meta.json").value_or(json::object());
  json input = load_json(dir / "input.json").value_or(json::object());
  json mocks = load_json(dir / "task_mocks.json").value_or(json::object());

  ParseOptions popts;
  popts.express = meta.value("state_machine_type", "STANDARD") == "EXPRESS";
  ParseResult parsed = parse_state_machine(def_text, popts);
  if (!parsed.ok()) {
    std::string why = "definition rejected:";
    for (const auto& d : parsed.diagnostics()) why += " " + d.to_string() + ";";
    return fail(why);
  }

  std::int64_t start = 1704067200LL * 1000000000LL;
  if (meta.contains("source") && meta["source"].contains("recorded_date")) {
    if (auto t = recorded_time(meta["source"]["recorded_date"].get<std::string>())) start = *t;
  }
  auto clock = std::make_shared<ManualClock>(start);
  auto executor = std::make_shared<MockExecutor>(mocks, clock);
  EngineOptions eopts;
  eopts.clock = clock;
  eopts.task_executor = executor;
  eopts.role_arn = "snf_role_arn";
  Engine engine(std::move(eopts));
  StartOptions sopts;
  sopts.express = popts.express;
  sopts.synchronous = meta.value("sync_execution", false);
  sopts.name = "execution";
  Result<ExecutionId> id = engine.start(parsed.machine(), input, sopts);
  if (!id.ok()) return fail("start failed: " + id.status().to_string());

  // Drive the execution: step, then jump the virtual clock to the next deadline or the next
  // delayed mock completion.
  for (int guard = 0; guard < 1000000; ++guard) {
    StepReport report = engine.step();
    Result<ExecutionStatus> st = engine.status(*id);
    if (!st.ok() || *st != ExecutionStatus::kRunning) break;
    if (report.runnable) continue;
    auto& delayed = executor->delayed();
    std::optional<std::int64_t> next = report.next_deadline;
    for (const auto& d : delayed) {
      if (!next || d.due < *next) next = d.due;
    }
    if (!next) return fail("execution blocked with nothing to wait for");
    if (*next > clock->now()) clock->set(*next);
    for (auto it = delayed.begin(); it != delayed.end();) {
      if (it->due <= clock->now()) {
        it->completion.succeed(std::move(it->output));
        it = delayed.erase(it);
      } else {
        ++it;
      }
    }
  }
  Result<ExecutionResult> res = engine.result(*id);
  if (!res.ok()) return fail(res.status().to_string());

  Wildcards w;
  for (const auto& p : meta.value("placeholders_in_expected", json::array())) {
    std::string s = p.get<std::string>();
    if (!s.empty() && s[0] == '<') {
      w.any_token = true;
    } else {
      w.whole.insert(s);
    }
  }
  std::string want_status = expected->value("status", "");
  std::string got_status(execution_status_name(res->status));
  if (want_status != got_status) {
    std::string detail = res->status == ExecutionStatus::kSucceeded
                             ? res->output.dump()
                             : res->error.value_or("") + ": " + res->cause.value_or("");
    if (detail.size() > 300) detail = detail.substr(0, 300) + "...";
    return fail("status " + got_status + ", expected " + want_status + " (" + detail + ")");
  }
  if (expected->contains("output")) {
    std::string where;
    if (!json_matches((*expected)["output"], res->output, w, where)) {
      if (where.size() > 400) where = where.substr(0, 400) + "...";
      return fail("output differs: " + where);
    }
  }
  if (expected->contains("error")) {
    if (!res->error ||
        !string_matches_expected((*expected)["error"].get<std::string>(), *res->error, w)) {
      return fail("error " + res->error.value_or("(none)") + ", expected " +
                  (*expected)["error"].get<std::string>());
    }
  } else if (want_status == "FAILED" && res->error) {
    return fail("error " + *res->error + ", expected none");
  }
  if (expected->contains("cause")) {
    if (!res->cause || !cause_matches((*expected)["cause"].get<std::string>(), *res->cause, w)) {
      return fail("cause \"" + res->cause.value_or("(none)") + "\", expected \"" +
                  (*expected)["cause"].get<std::string>() + "\"");
    }
  } else if (want_status == "FAILED" && res->cause) {
    return fail("cause \"" + *res->cause + "\", expected none");
  }
  if (auto why = check_history(engine, *id, dir, write_missing_history, w)) return fail(*why);
  r.outcome = CaseResult::Outcome::kPassed;
  return r;
}

std::vector<fs::path> find_test_state_cases(const fs::path& dir) {
  return find_case_dirs(dir, "expected_test_state.json", "");
}

CaseResult run_test_state_case(const fs::path& dir) {
  CaseResult r;
  r.name = dir.filename().string();
  r.group = dir.parent_path().filename().string();
  auto fail = [&](std::string why) {
    r.outcome = CaseResult::Outcome::kFailed;
    r.reason = std::move(why);
    return r;
  };
  auto definition = load_json(dir / "definition.json");
  auto expected = load_json(dir / "expected_test_state.json");
  if (!definition || !expected)
    return fail("definition.json or expected_test_state.json is unreadable");
  json request = load_json(dir / "request.json").value_or(json::object());
  json meta = load_json(dir / "meta.json").value_or(json::object());
  json mocks = load_json(dir / "task_mocks.json").value_or(json::object());
  request["definition"] = *definition;
  request["input"] = load_json(dir / "input.json").value_or(json::object());
  Result<TestStateRequest> req = TestStateRequest::from_json(request);
  if (!req.ok()) return fail("request rejected: " + req.status().to_string());

  std::int64_t start = 1704067200LL * 1000000000LL;
  if (meta.contains("source") && meta["source"].contains("recorded_date")) {
    if (auto t = recorded_time(meta["source"]["recorded_date"].get<std::string>())) start = *t;
  }
  auto clock = std::make_shared<ManualClock>(start);
  TestStateOptions options;
  options.clock = clock;
  options.task_executor =
      std::make_shared<MockExecutor>(mocks, clock, /*full_invoke_response=*/true);
  Result<TestStateResponse> res = test_state(*req, options);
  if (!res.ok()) return fail("TestState failed: " + res.status().to_string());
  json got = res->to_json();

  Wildcards w;
  for (const auto& p : meta.value("placeholders_in_expected", json::array())) {
    std::string s = p.get<std::string>();
    if (!s.empty() && s[0] == '<') {
      w.any_token = true;
    } else {
      w.whole.insert(s);
    }
  }
  for (const char* key : {"status", "error", "cause", "nextState", "output", "inspectionData"}) {
    bool want = expected->contains(key), have = got.contains(key);
    if (want != have) {
      std::string detail = have ? got[key].dump() : (*expected)[key].dump();
      if (detail.size() > 300) detail = detail.substr(0, 300) + "...";
      return fail(std::string(key) + (want ? " missing" : " unexpected") + " (" + detail + ")");
    }
    if (!want) continue;
    std::string where;
    bool same = std::string(key) == "cause" ? cause_matches((*expected)[key].get<std::string>(),
                                                            got[key].get<std::string>(), w)
                                            : json_matches((*expected)[key], got[key], w, where);
    if (!same) {
      if (where.empty()) where = "expected " + (*expected)[key].dump() + ", got " + got[key].dump();
      if (where.size() > 400) where = where.substr(0, 400) + "...";
      return fail(std::string(key) + " differs: " + where);
    }
  }
  r.outcome = CaseResult::Outcome::kPassed;
  return r;
}

std::vector<CaseResult> run_asl_suite(const std::vector<fs::path>& dirs, std::ostream& out,
                                      const std::string& json_path, bool include_test_state,
                                      const std::function<void(std::size_t, std::size_t)>& on_case,
                                      bool write_missing_history) {
  std::vector<CaseResult> results;
  std::vector<fs::path> cases;
  for (const fs::path& d : dirs) {
    for (fs::path& c : find_asl_cases(d)) cases.push_back(std::move(c));
    if (include_test_state) {
      for (fs::path& c : find_test_state_cases(d)) cases.push_back(std::move(c));
    }
  }
  for (const fs::path& c : cases) {
    bool test_state = fs::exists(c / "expected_test_state.json");
    results.push_back(test_state ? run_test_state_case(c) : run_asl_case(c, write_missing_history));
    if (on_case) on_case(results.size(), cases.size());
  }
  std::map<std::string, std::array<int, 3>> groups;
  int passed = 0, failed = 0, skipped = 0;
  for (const CaseResult& r : results) {
    auto& g = groups[r.group];
    switch (r.outcome) {
      case CaseResult::Outcome::kPassed:
        ++passed;
        ++g[0];
        break;
      case CaseResult::Outcome::kFailed:
        ++failed;
        ++g[1];
        out << "FAIL " << r.group << "/" << r.name << ": " << r.reason << "\n";
        break;
      case CaseResult::Outcome::kSkipped:
        ++skipped;
        ++g[2];
        break;
    }
  }
  for (const auto& [name, g] : groups) {
    out << "group " << name << ": " << g[0] << " passed, " << g[1] << " failed, " << g[2]
        << " skipped\n";
  }
  out << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
  if (!json_path.empty()) {
    json list = json::array();
    for (const CaseResult& r : results) {
      list.push_back({{"group", r.group},
                      {"case", r.name},
                      {"outcome", r.outcome == CaseResult::Outcome::kPassed   ? "passed"
                                  : r.outcome == CaseResult::Outcome::kFailed ? "failed"
                                                                              : "skipped"},
                      {"reason", r.reason}});
    }
    std::ofstream(json_path) << list.dump(2) << "\n";
  }
  return results;
}

}  // namespace stepwise::tools
