// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The JSONata abstract syntax tree, the compiled `Program` that owns it, and the internal
// `JsonataError` exception used between the parser/evaluator and the API boundary (exceptions
// never cross the public API). The tree mirrors jsonata-js after its `processAST` pass: paths
// are step lists, predicates become stages, `@`/`#`/`%` mark tuple steps with binding names
// and ancestor slots, and tail calls in lambdas are wrapped as thunks.
#ifndef STEPWISE_SRC_JSONATA_AST_H_
#define STEPWISE_SRC_JSONATA_AST_H_

#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "jsonata/value.h"

namespace stepwise::jsonata::internal {

class Signature;
class Regex;

// An error thrown inside the engine and converted to `jsonata::Error` at the API boundary.
struct JsonataError : std::exception {
  JsonataError(std::string c, std::size_t pos, std::string tok, std::string msg)
      : code(std::move(c)), position(pos), token(std::move(tok)), message(std::move(msg)) {}
  const char* what() const noexcept override { return message.c_str(); }
  std::string code;
  std::size_t position;
  std::string token;
  std::string message;
  bool has_position = true;
  bool has_token = true;
};

// Throws a JsonataError with the standard message for `code`; `value` fills {{value}}.
[[noreturn]] void throw_error(const std::string& code, std::size_t position,
                              const std::string& token, const std::string& value = "");
// Same, without position/token (the caller's frame fills them in, as in jsonata-js).
[[noreturn]] void throw_value_error(const std::string& code, const std::string& value = "",
                                    const std::string& value2 = "");
// Human-readable rendering of a value inside an error message.
std::string describe(const Value& v);

enum class NodeType : std::uint8_t {
  kPath,
  kBinary,
  kNegate,
  kArrayCons,
  kObjectCons,
  kName,
  kString,
  kNumber,
  kValue,
  kWildcard,
  kDescendant,
  kParent,
  kCondition,
  kElvis,
  kCoalesce,
  kBlock,
  kBind,
  kRegex,
  kFunctionCall,
  kPartial,
  kPlaceholder,
  kVariable,
  kLambda,
  kApply,
  kTransform,
  kSort,
  kOperator,
  // Raw (pre-processing) forms.
  kRawGroup,
  kRawSort,
  kRawFocus,
  kRawIndex,
  kRawPredicate,
};

enum class BinaryOp : std::uint8_t {
  kNone,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kConcat,
  kRange,
  kIn,
  kAnd,
  kOr,
};

// An ancestor slot, shared between a `%` node and the step that binds its value.
struct Slot {
  std::string label;
  int level = 1;
  int index = 0;
};

struct AstNode;

struct SortTerm {
  bool descending = false;
  AstNode* expression = nullptr;
};

struct Stage {
  bool is_index = false;    // `#$var` stage; else a filter.
  AstNode* expr = nullptr;  // Filter expression.
  std::string var;          // Index variable name.
  std::size_t position = 0;
};

struct Group {
  std::vector<std::pair<AstNode*, AstNode*>> pairs;
  std::size_t position = 0;
};

struct AstNode {
  ~AstNode() { destroy_immortal(literal); }

  NodeType type;
  std::size_t position = 0;
  std::string value;  // Name, variable, operator text, string literal text.
  BinaryOp op = BinaryOp::kNone;
  Value literal;  // String/number/value literals (immortal).

  AstNode* lhs = nullptr;
  AstNode* rhs = nullptr;
  AstNode* expression = nullptr;  // Negation operand.
  std::vector<AstNode*> steps;    // Path steps.
  std::vector<AstNode*> items;    // Array items, block expressions, call arguments.
  std::vector<std::pair<AstNode*, AstNode*>> pairs;  // Object constructor / raw group.
  AstNode* procedure = nullptr;
  AstNode* condition = nullptr;
  AstNode* then = nullptr;
  AstNode* otherwise = nullptr;
  AstNode* pattern = nullptr;
  AstNode* update = nullptr;
  AstNode* deletion = nullptr;
  std::vector<std::string> params;  // Lambda parameter names.
  std::shared_ptr<const Signature> signature;
  AstNode* body = nullptr;
  std::vector<SortTerm> terms;
  std::vector<Stage> predicates;
  std::vector<Stage> stages;
  std::unique_ptr<Group> group;
  std::shared_ptr<Slot> slot;      // `%` node.
  std::shared_ptr<Slot> ancestor;  // Step that binds an ancestor.
  std::vector<std::shared_ptr<Slot>> seeking_parent;
  bool has_seeking_parent = false;
  std::string focus;
  bool has_focus = false;
  std::string index_var;
  bool has_index = false;
  bool tuple = false;
  bool keep_array = false;
  bool keep_singleton_array = false;
  bool consarray = false;
  bool thunk = false;
  std::shared_ptr<const Regex> regex;
};

// A compiled expression: the source text and the tree. Immutable after construction; safe to
// use from any number of threads.
struct Program {
  std::string source;
  std::vector<std::unique_ptr<AstNode>> nodes;
  AstNode* root = nullptr;

  AstNode* make(NodeType t, std::size_t pos) {
    nodes.push_back(std::make_unique<AstNode>());
    nodes.back()->type = t;
    nodes.back()->position = pos;
    return nodes.back().get();
  }
};

// Parses `text` into a Program. Throws JsonataError (S0xxx) on syntax errors.
std::shared_ptr<const Program> parse_program(std::string_view text);

}  // namespace stepwise::jsonata::internal

#endif  // STEPWISE_SRC_JSONATA_AST_H_
