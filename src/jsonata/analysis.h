// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Static analysis of a compiled JSONata expression: the variables it reads from outside itself,
// the members of `$states` it uses, and whether `$` or `$$` appear at its top level. It walks
// the processed syntax tree (ast.h), so text inside string literals, comments, backtick-quoted
// names and regular expressions never counts as a use.
//
// Design choices:
// - A `$name` read is free unless a binding that is certainly in effect defines `name`: a
//   parameter of an enclosing lambda; a `$name := ...` that is an earlier item of an enclosing
//   block `( ...; ... )` (chains such as `$a := $b := 1` bind both); inside the lambda bound by
//   `$f := function(...){...}`, the name `f` itself; a focus (`@$v`) or index (`#$i`) binding of
//   an earlier step or stage of the same path, for the later steps and stages (not for the
//   path's `{...}` grouping, which can run without any tuple). A `:=` anywhere else (inside an
//   argument, a condition, an operand) is not assumed to run, so the sets may list a name that
//   is bound at run time, and never miss one that is read from outside. The right-hand side of
//   `$x := $x + 1` reads the outer `x`.
// - Free names that name a library function (`sum` for `$sum`) or one of the caller's host
//   functions go to `functions`, not `variables`; a host binding of the same name would shadow
//   the function, so a caller that binds variables by name should consider both sets.
// - `$eval` evaluates a string as an expression in the caller's environment, so that code may
//   read any name: `evaluates_code` says so, and the sets then say nothing about it.
// - `$states.<m>` counts as a use of member `m` only as a plain path step: a free `$states` step
//   with no predicate, focus, index or grouping, followed by a name step (`result`, `"result"`
//   and `` `result` `` are all name steps), e.g. `$states.result`, `$states.result.Payload`,
//   `$states.result[0]`. Any other use of a free `$states` (alone, `$states[...]`,
//   `$states["result"]`, which filters rather than selects, `$states.*`, `$states.($m)`,
//   `$lookup($states, "result")`) reaches members not known statically: `states_whole`.
//   `$states.context.<c>` records `c` in `context_members` the same way (`context_whole`
//   otherwise).
// - "Top level" means outside every bracket: not inside a block `( )`, an array `[ ]`, an object
//   `{ }`, a predicate, a grouping, function-call arguments, a lambda body or sort terms. Path
//   steps, operators, conditions, `~>` and the parts of a transform keep the level of the
//   expression they are in.
#ifndef STEPWISE_SRC_JSONATA_ANALYSIS_H_
#define STEPWISE_SRC_JSONATA_ANALYSIS_H_

#include <functional>
#include <set>
#include <span>
#include <string>
#include <string_view>

namespace stepwise::jsonata::internal {

struct AstNode;

struct Analysis {
  using Names = std::set<std::string, std::less<>>;

  // Free variables read, without the `$`; never `states` (see below), `$` or `$$`.
  Names variables;
  // Free names that are library or host functions (`sum`, `eval`).
  Names functions;
  // `$states` used in a way that may reach any member.
  bool states_whole = false;
  // Members used as `$states.<member>`.
  Names states_members;
  // `$states.context` used other than as `$states.context.<name>`.
  bool context_whole = false;
  // Names used as `$states.context.<name>`.
  Names context_members;
  // `$` (the context item) or `$$` (the root) used outside every bracket.
  bool top_level_context = false;
  // The library's `$eval` is used (free): the code it evaluates may read any name.
  bool evaluates_code = false;

  // True when the expression may read `$states` at all.
  bool reads_states() const { return states_whole || !states_members.empty(); }
  // True when member `m` of `$states` is used, by name or possibly through the whole object.
  bool may_use_states_member(std::string_view m) const {
    return states_whole || states_members.contains(m);
  }
};

// Analyzes the tree under `root` (a processed tree from `parse_program`). Names in
// `host_functions` count as functions, like the library's own.
Analysis analyze(const AstNode& root, std::span<const std::string_view> host_functions = {});

}  // namespace stepwise::jsonata::internal

#endif  // STEPWISE_SRC_JSONATA_ANALYSIS_H_
