// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Runs the JSONata conformance suite through the public API only: loads each case (inline or
// dataset input, bindings, depth and time limits), evaluates it and compares the result,
// undefined-ness or error code with the expectation.
#include "jsonata_suite.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "cli_files.h"
#include "stepwise/jsonata.h"

namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

using stepwise::tools::read_whole_file;

std::string sorted_dump(const nlohmann::json& j) {
  if (!j.is_array()) return j.dump();
  std::vector<std::string> items;
  for (const auto& e : j) items.push_back(e.dump());
  std::sort(items.begin(), items.end());
  std::string out;
  for (const auto& s : items) out += s + "\n";
  return out;
}

// Returns an empty string on success, "skip" to skip, or a failure description.
std::string run_case(const fs::path& group_dir, const fs::path& datasets, const ojson& tc,
                     std::map<std::string, ojson>& dataset_cache) {
  std::string expr;
  if (tc.contains("expr")) {
    expr = tc["expr"].get<std::string>();
  } else if (tc.contains("expr-file")) {
    if (!read_whole_file(group_dir / tc["expr-file"].get<std::string>(), expr))
      return "cannot read expr-file";
  } else {
    return "skip";
  }
  std::optional<ojson> input;
  if (tc.contains("data")) {
    input = tc["data"];
  } else if (tc.contains("dataset") && tc["dataset"].is_string()) {
    std::string name = tc["dataset"].get<std::string>();
    auto it = dataset_cache.find(name);
    if (it == dataset_cache.end()) {
      std::string text;
      if (!read_whole_file(datasets / (name + ".json"), text)) return "missing dataset " + name;
      it = dataset_cache.emplace(name, ojson::parse(text)).first;
    }
    input = it->second;
  }
  stepwise::jsonata::Bindings bindings;
  if (tc.contains("bindings") && tc["bindings"].is_object()) {
    for (auto it = tc["bindings"].begin(); it != tc["bindings"].end(); ++it)
      bindings.set_ordered(it.key(), it.value());
  }
  stepwise::jsonata::EvaluateOptions options;
  if (tc.contains("depth") && tc["depth"].is_number()) options.max_depth = tc["depth"].get<int>();
  if (tc.contains("timelimit") && tc["timelimit"].is_number()) {
    options.time_limit = std::chrono::milliseconds(tc["timelimit"].get<long>());
  } else {
    options.time_limit = std::chrono::milliseconds(10000);
  }
  std::string expected_code;
  if (tc.contains("code")) expected_code = tc["code"].get<std::string>();
  if (tc.contains("error") && tc["error"].contains("code"))
    expected_code = tc["error"]["code"].get<std::string>();

  auto compiled = stepwise::jsonata::Expression::compile(expr);
  if (!compiled.ok()) {
    if (!expected_code.empty()) {
      return compiled.error().code == expected_code
                 ? ""
                 : "expected " + expected_code + ", got " + compiled.error().to_string();
    }
    return "compile error " + compiled.error().to_string();
  }
  stepwise::jsonata::Outcome out =
      compiled.expression().evaluate(input ? &*input : nullptr, &bindings, options);
  if (!expected_code.empty()) {
    if (out.is_error()) {
      return out.error().code == expected_code
                 ? ""
                 : "expected " + expected_code + ", got " + out.error().to_string();
    }
    return "expected error " + expected_code + ", got " +
           (out.is_value() ? out.value().dump() : "undefined");
  }
  if (out.is_error()) return "error " + out.error().to_string();
  if (tc.contains("undefinedResult")) {
    return out.is_undefined()
               ? ""
               : "expected undefined, got " + (out.is_value() ? out.value().dump() : "function");
  }
  if (tc.contains("result")) {
    if (!out.is_value())
      return std::string("expected ") + tc["result"].dump() + ", got " +
             (out.is_function() ? "function" : "undefined");
    nlohmann::json expected = nlohmann::json::parse(tc["result"].dump());
    bool same =
        tc.contains("unordered") && tc["unordered"].is_boolean() && tc["unordered"].get<bool>()
            ? sorted_dump(expected) == sorted_dump(out.value())
            : expected == out.value();
    if (same) return "";
    return "expected " + expected.dump() + ", got " + out.value().dump();
  }
  return "skip";
}

}  // namespace

int run_jsonata_suite(const std::string& dir, std::ostream& out) {
  fs::path root(dir);
  fs::path groups = root / "groups";
  fs::path datasets = root / "datasets";
  if (!fs::is_directory(groups)) {
    out << "no suite at " << dir << "\n0 passed, 0 failed, 0 skipped\n";
    return 0;
  }
  std::vector<fs::path> group_dirs;
  for (const auto& e : fs::directory_iterator(groups)) {
    if (e.is_directory()) group_dirs.push_back(e.path());
  }
  std::sort(group_dirs.begin(), group_dirs.end());
  std::map<std::string, ojson> dataset_cache;
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  for (const auto& gd : group_dirs) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(gd)) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    int gp = 0;
    int gf = 0;
    for (const auto& f : files) {
      std::string text;
      ojson doc;
      try {
        read_whole_file(f, text);
        doc = ojson::parse(text);
      } catch (const std::exception& e) {
        out << "FAIL " << gd.filename().string() << "/" << f.filename().string()
            << ": bad case file\n";
        ++failed;
        ++gf;
        continue;
      }
      std::vector<ojson> cases;
      if (doc.is_array()) {
        for (auto& c : doc) cases.push_back(c);
      } else {
        cases.push_back(doc);
      }
      for (std::size_t i = 0; i < cases.size(); ++i) {
        std::string name = gd.filename().string() + "/" + f.stem().string();
        if (doc.is_array()) name += "[" + std::to_string(i) + "]";
        std::string result;
        try {
          result = run_case(gd, datasets, cases[i], dataset_cache);
        } catch (const std::exception& e) {
          result = std::string("exception: ") + e.what();
        }
        if (result.empty()) {
          ++passed;
          ++gp;
        } else if (result == "skip") {
          ++skipped;
        } else {
          ++failed;
          ++gf;
          if (result.size() > 300) result = result.substr(0, 300) + "...";
          out << "FAIL " << name << ": " << result << "\n";
        }
      }
    }
    out << "group " << gd.filename().string() << ": " << gp << " passed, " << gf << " failed\n";
  }
  out << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
  return failed;
}
