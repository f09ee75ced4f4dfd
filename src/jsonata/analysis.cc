// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The syntax-tree walk behind `analyze` (analysis.h): a stack of names bound in the current
// position, pushed by blocks, lambdas and path bindings and popped when they end.
#include "jsonata/analysis.h"

#include <algorithm>
#include <vector>

#include "jsonata/ast.h"
#include "jsonata/evaluator.h"

namespace stepwise::jsonata::internal {
namespace {

constexpr std::string_view kStates = "states";
constexpr std::string_view kContext = "context";

// True for a step that only names something: no predicate, stage, binding or grouping.
bool plain(const AstNode* n) {
  return n->predicates.empty() && n->stages.empty() && !n->group && !n->has_focus && !n->has_index;
}

bool is_name(const AstNode* n) { return n != nullptr && n->type == NodeType::kName; }

class Walker {
 public:
  Walker(Analysis& out, std::span<const std::string_view> host) : out_(out), host_(host) {}

  void walk(const AstNode* n, bool top) {
    if (n == nullptr) return;
    if (n->type == NodeType::kPath) {
      walk_path(n, top);
      return;
    }
    std::size_t mark = scope_.size();
    walk_core(n, top);
    walk_stages(n->predicates);
    walk_stages(n->stages);
    scope_.resize(mark);
    walk_group(n->group.get());
  }

 private:
  bool bound(std::string_view name) const {
    return std::find(scope_.rbegin(), scope_.rend(), name) != scope_.rend();
  }

  void read(std::string_view name, bool top) {
    if (name.empty() || name == "$") {
      if (top) out_.top_level_context = true;
      return;
    }
    if (bound(name)) return;
    if (name == kStates) {
      out_.states_whole = true;
    } else if (std::find(host_.begin(), host_.end(), name) != host_.end()) {
      out_.functions.emplace(name);
    } else if (builtin_function(name) != nullptr) {
      out_.functions.emplace(name);
      if (name == "eval") out_.evaluates_code = true;
    } else {
      out_.variables.emplace(name);
    }
  }

  // The node's own children, without its predicates, stages and grouping.
  void walk_core(const AstNode* n, bool top) {
    switch (n->type) {
      case NodeType::kVariable:
        read(n->value, top);
        return;
      case NodeType::kBlock:
        walk_block(n);
        return;
      case NodeType::kBind:
        // The right-hand side runs before the name is bound; a lambda bound directly sees its
        // own name (it cannot run before the binding exists).
        if (n->rhs != nullptr && n->rhs->type == NodeType::kLambda) {
          walk_lambda(n->rhs, &n->lhs->value);
        } else {
          walk(n->rhs, top);
        }
        return;
      case NodeType::kLambda:
        walk_lambda(n, nullptr);
        return;
      case NodeType::kBinary:
      case NodeType::kElvis:
      case NodeType::kCoalesce:
      case NodeType::kApply:
        walk(n->lhs, top);
        walk(n->rhs, top);
        return;
      case NodeType::kNegate:
        walk(n->expression, top);
        return;
      case NodeType::kCondition:
        walk(n->condition, top);
        walk(n->then, top);
        walk(n->otherwise, top);
        return;
      case NodeType::kArrayCons:
        for (const AstNode* item : n->items) walk(item, false);
        return;
      case NodeType::kObjectCons:
        for (const auto& [key, value] : n->pairs) {
          walk(key, false);
          walk(value, false);
        }
        return;
      case NodeType::kFunctionCall:
      case NodeType::kPartial:
        walk(n->procedure, top);
        for (const AstNode* arg : n->items) walk(arg, false);
        return;
      case NodeType::kTransform:
        walk(n->pattern, top);
        walk(n->update, top);
        walk(n->deletion, top);
        return;
      case NodeType::kSort:
        for (const SortTerm& term : n->terms) walk(term.expression, false);
        return;
      default:
        return;  // Literals, names, wildcards, `%`, regexes, placeholders: no reads.
    }
  }

  void walk_block(const AstNode* n) {
    std::size_t mark = scope_.size();
    for (const AstNode* item : n->items) {
      walk(item, false);
      for (const AstNode* b = item; b != nullptr && b->type == NodeType::kBind; b = b->rhs) {
        scope_.push_back(b->lhs->value);
      }
    }
    scope_.resize(mark);
  }

  void walk_lambda(const AstNode* n, const std::string* self) {
    std::size_t mark = scope_.size();
    if (self != nullptr) scope_.push_back(*self);
    for (const std::string& p : n->params) scope_.push_back(p);
    walk(n->body, false);
    scope_.resize(mark);
  }

  // Filters and `#$i` stages in order; an index stage binds its name for the later ones (the
  // caller pops it).
  void walk_stages(const std::vector<Stage>& stages) {
    for (const Stage& s : stages) {
      if (s.is_index) {
        scope_.push_back(s.var);
      } else {
        walk(s.expr, false);
      }
    }
  }

  void walk_group(const Group* g) {
    if (g == nullptr) return;
    for (const auto& [key, value] : g->pairs) {
      walk(key, false);
      walk(value, false);
    }
  }

  // `$states` as step `i` of a path: a member use when it is plain and followed by a name.
  void read_states_step(const std::vector<AstNode*>& steps, std::size_t i) {
    const AstNode* member = i + 1 < steps.size() ? steps[i + 1] : nullptr;
    if (!plain(steps[i]) || !is_name(member)) {
      out_.states_whole = true;
      return;
    }
    out_.states_members.insert(member->value);
    if (member->value != kContext) return;
    const AstNode* sub = i + 2 < steps.size() ? steps[i + 2] : nullptr;
    if (plain(member) && is_name(sub)) {
      out_.context_members.insert(sub->value);
    } else {
      out_.context_whole = true;
    }
  }

  void walk_path(const AstNode* n, bool top) {
    std::size_t mark = scope_.size();
    std::vector<const Group*> groups;
    for (std::size_t i = 0; i < n->steps.size(); ++i) {
      const AstNode* step = n->steps[i];
      if (step->type == NodeType::kVariable && step->value == kStates && !bound(kStates)) {
        read_states_step(n->steps, i);
      } else {
        walk_core(step, top);
      }
      if (step->has_focus) scope_.push_back(step->focus);
      if (step->has_index) scope_.push_back(step->index_var);
      walk_stages(step->predicates);
      walk_stages(step->stages);
      if (step->group) groups.push_back(step->group.get());
    }
    walk_stages(n->predicates);
    walk_stages(n->stages);
    if (n->group) groups.push_back(n->group.get());
    // A grouping can run with no tuple, where the path's bindings are absent.
    scope_.resize(mark);
    for (const Group* g : groups) walk_group(g);
  }

  Analysis& out_;
  std::span<const std::string_view> host_;
  std::vector<std::string_view> scope_;
};

}  // namespace

Analysis analyze(const AstNode& root, std::span<const std::string_view> host_functions) {
  Analysis out;
  Walker(out, host_functions).walk(&root, true);
  return out;
}

}  // namespace stepwise::jsonata::internal
