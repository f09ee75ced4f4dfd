// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Whole-machine rules (ASL-REFERENCE.md section 14.2): transition targets resolved to indexes
// within their scope, terminal states, reachability, state names unique across all scopes,
// label rules, and variable scoping. Every problem is reported; none stops the walk.
#include <deque>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "parse/asl_parser.h"
#include "parse/field_names.h"
#include "util/utf8.h"

namespace stepwise::internal {
namespace {

namespace f = fields;

using AssignedVariables = std::vector<std::pair<std::string, std::string>>;

// An enclosing scope seen from a nested one: its variables as (name, pointer of the `Assign`
// key), and the Parallel or Map state of that scope whose branches or processor the walk is in.
struct OuterScope {
  const AssignedVariables* variables;
  const State* entered;
};

// True when the `Assign` key at `pointer` belongs to a Catcher of `state`: its pointer is
// `<state>/Catch/<i>/Assign/<name>` (pointers are RFC 6901-escaped, so the prefix is exact).
bool assigned_by_catcher_of(std::string_view pointer, const State& state) {
  return pointer.size() > state.pointer.size() + 7 && pointer.starts_with(state.pointer) &&
         pointer.substr(state.pointer.size(), 7) == "/Catch/";
}

class Validator {
 public:
  Validator(DiagnosticSink& sink) : sink_(sink) {}

  void run(MachineModel& model) {
    names_.reserve(model.total_states);
    std::vector<OuterScope> outer;
    validate_graph(model.root, outer);
  }

 private:
  StateId resolve(Graph& g, const std::string& name, const std::string& pointer) {
    auto it = g.by_name.find(name);
    if (it == g.by_name.end()) {
      sink_.error(pointer, DiagnosticCode::kMissingTransitionTarget,
                  fmt::format("Missing 'Next' target: {}", name));
      return kNoState;
    }
    return it->second;
  }

  // Variable scoping (ASL-REFERENCE.md section 4): an inner scope must not assign an outer
  // scope's variable. A Catcher's Assign on a Parallel or Map state assigns in the scope that
  // holds the state, yet AWS accepts the same name assigned inside that state's own branches or
  // processor (at any depth); other nested scopes of the outer scope still clash with it.
  void check_variable_scopes(const Graph& g, const std::vector<OuterScope>& outer) {
    for (const auto& [name, pointer] : g.assigned_variables) {
      const std::string* clash = nullptr;
      for (const OuterScope& scope : outer) {
        for (const auto& [outer_name, outer_pointer] : *scope.variables) {
          if (outer_name == name && !assigned_by_catcher_of(outer_pointer, *scope.entered)) {
            clash = &outer_pointer;
            break;
          }
        }
        if (clash != nullptr) break;
      }
      if (clash != nullptr) {
        sink_.schema(pointer, fmt::format("The variable '{}' is assigned in an outer scope "
                                          "({}) and cannot be assigned in a nested one",
                                          name, *clash));
      }
    }
  }

  void validate_graph(Graph& g, std::vector<OuterScope>& outer) {
    check_variable_scopes(g, outer);

    // A missing StartAt, and a missing, mistyped or empty States, are reported by the reader;
    // resolving StartAt against no states would only repeat them.
    if (g.start_at_given && !g.states.empty()) {
      g.start_at = resolve(g, g.start_at_name, json_pointer_append(g.pointer, f::kStartAt));
    }

    bool has_terminal = false;
    for (State& s : g.states) {
      check_name(s);
      if (!s.next_name.empty()) {
        s.next = resolve(g, s.next_name, json_pointer_append(s.pointer, f::kNext));
      }
      // A malformed state may have been meant as the terminal one; it is reported already.
      if (s.end || s.malformed || s.type == StateType::kSucceed || s.type == StateType::kFail) {
        has_terminal = true;
      }
      if (!s.default_name.empty()) {
        s.default_next = resolve(g, s.default_name, json_pointer_append(s.pointer, f::kDefault));
      }
      for (std::size_t i = 0; i < s.choices.size(); ++i) {
        ChoiceBranch& b = s.choices[i];
        if (b.next_name.empty()) continue;
        b.next = resolve(
            g, b.next_name,
            json_pointer_append(
                json_pointer_append(json_pointer_append(s.pointer, f::kChoices), std::to_string(i)),
                f::kNext));
      }
      for (std::size_t i = 0; i < s.catch_rules.size(); ++i) {
        Catcher& c = s.catch_rules[i];
        if (c.next_name.empty()) continue;
        c.next = resolve(
            g, c.next_name,
            json_pointer_append(
                json_pointer_append(json_pointer_append(s.pointer, f::kCatch), std::to_string(i)),
                f::kNext));
      }
      if (s.label) {
        auto [it, inserted] = labels_.emplace(*s.label, s.pointer);
        if (!inserted) {
          sink_.error(json_pointer_append(s.pointer, f::kLabel),
                      DiagnosticCode::kDuplicateLabelName,
                      fmt::format("The label '{}' is already used by the Map state at {}", *s.label,
                                  it->second));
        }
      }
    }

    if (!g.states.empty() && !has_terminal) {
      sink_.error(g.pointer, DiagnosticCode::kMissingEndState, "Workflow has no terminal state");
    } else if (g.start_at != kNoState) {
      check_reachability(g);
    }

    // Nested scopes, with this scope's variables visible as outer ones.
    for (State& s : g.states) {
      outer.push_back({&g.assigned_variables, &s});
      for (const auto& branch : s.branches) {
        validate_graph(const_cast<Graph&>(*branch), outer);
      }
      if (s.processor) validate_graph(const_cast<Graph&>(*s.processor), outer);
      outer.pop_back();
    }
  }

  void check_name(const State& s) {
    if (s.name.empty()) {
      sink_.error(s.pointer, DiagnosticCode::kInvalidStateName, "State name must not be empty");
    } else if (utf8::count_code_points(s.name) > 80) {
      sink_.error(s.pointer, DiagnosticCode::kInvalidStateName,
                  fmt::format("State name '{}' is longer than 80 characters", s.name));
    }
    auto [it, inserted] = names_.emplace(s.name, s.pointer);
    if (!inserted) {
      sink_.error(
          s.pointer, DiagnosticCode::kDuplicateStateName,
          fmt::format("Duplicate State name: '{}' is already defined at {}", s.name, it->second));
    }
  }

  void check_reachability(const Graph& g) {
    std::vector<bool> seen(g.states.size(), false);
    std::deque<StateId> queue{g.start_at};
    seen[g.start_at] = true;
    auto visit = [&](StateId id) {
      if (id != kNoState && !seen[id]) {
        seen[id] = true;
        queue.push_back(id);
      }
    };
    while (!queue.empty()) {
      const State& s = g.states[queue.front()];
      queue.pop_front();
      visit(s.next);
      visit(s.default_next);
      for (const ChoiceBranch& b : s.choices) visit(b.next);
      for (const Catcher& c : s.catch_rules) visit(c.next);
    }
    for (std::size_t i = 0; i < g.states.size(); ++i) {
      if (!seen[i]) {
        sink_.error(g.states[i].pointer, DiagnosticCode::kMissingTransitionTarget,
                    fmt::format("State \"{}\" is not reachable.", g.states[i].name));
      }
    }
  }

  DiagnosticSink& sink_;
  // Views into the model's states, which do not move while the validator runs.
  std::unordered_map<std::string_view, std::string_view> names_;
  std::unordered_map<std::string_view, std::string_view> labels_;
};

}  // namespace

void validate_machine(MachineModel& model, const ParseOptions& /*options*/, DiagnosticSink& sink) {
  Validator(sink).run(model);
}

}  // namespace stepwise::internal
