// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The JSONata lexer and Pratt parser, followed by the AST post-processing pass (paths,
// predicates as stages, focus/index/ancestor tuple bindings, tail-call thunks) that gives the
// evaluator the same tree shape jsonata-js evaluates. Nesting depth is bounded so hostile input
// cannot overflow the native stack.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "jsonata/ast.h"
#include "jsonata/function.h"
#include "jsonata/regex.h"
#include "util/utf8.h"

namespace stepwise::jsonata::internal {
namespace {

constexpr int kMaxParseDepth = 300;

enum class TokType { kEnd, kName, kVariable, kString, kNumber, kValue, kRegex, kOperator };

struct Token {
  TokType type = TokType::kEnd;
  std::string value;
  double number = 0;
  std::size_t position = 0;
  std::string flags;  // Regex flags.
  std::string id() const {
    switch (type) {
      case TokType::kEnd:
        return "(end)";
      case TokType::kName:
      case TokType::kVariable:
        return "(name)";
      case TokType::kString:
      case TokType::kNumber:
      case TokType::kValue:
        return "(literal)";
      case TokType::kRegex:
        return "(regex)";
      case TokType::kOperator:
        return value;
    }
    return value;
  }
};

int infix_bp(std::string_view op) {
  static const std::unordered_map<std::string_view, int> kBp = {
      {".", 75},  {"[", 80},  {"{", 70},   {"(", 80},  {"@", 80},  {"#", 80},  {"?", 20},
      {"+", 50},  {"-", 50},  {"*", 60},   {"/", 60},  {"%", 60},  {"=", 40},  {"<", 40},
      {">", 40},  {"^", 40},  {":=", 10},  {"!=", 40}, {"<=", 40}, {">=", 40}, {"~>", 40},
      {"?:", 40}, {"??", 40}, {"and", 30}, {"or", 25}, {"in", 40}, {"&", 50}};
  auto it = kBp.find(op);
  return it == kBp.end() ? 0 : it->second;
}

bool is_known_symbol(std::string_view op) {
  static const char* kOthers[] = {"]", ")",  ",", "}",   ":",  ";", "..",
                                  "|", "**", "!", "and", "or", "in"};
  if (infix_bp(op) > 0) return true;
  for (const char* o : kOthers) {
    if (op == o) return true;
  }
  return false;
}

bool is_operator_char(char c) {
  return std::strchr(".[]{}()@#;:?+-*/%|=<>^&!~,", c) != nullptr && c != '\0';
}

class Parser {
 public:
  Parser(std::string_view src, Program& prog) : src_(src), prog_(prog) {}

  AstNode* parse() {
    advance();
    AstNode* ast = expression(0);
    if (node_.type != TokType::kEnd) throw_error("S0201", node_.position, node_.value);
    ast = process(ast);
    if (ast->type == NodeType::kParent || ast->has_seeking_parent) {
      throw_error("S0217", ast->position, type_name(ast));
    }
    return ast;
  }

 private:
  // ---- Lexer ----
  Token lex(bool infix) {
    Token t;
    // Skip whitespace and comments.
    for (;;) {
      while (pos_ < src_.size() && std::strchr(" \t\n\r\v", src_[pos_]) != nullptr) ++pos_;
      if (pos_ + 1 < src_.size() && src_[pos_] == '/' && src_[pos_ + 1] == '*') {
        std::size_t start = pos_;
        std::size_t end = src_.find("*/", pos_ + 2);
        if (end == std::string_view::npos) throw_error("S0106", start, "");
        pos_ = end + 2;
        continue;
      }
      break;
    }
    t.position = pos_;
    if (pos_ >= src_.size()) {
      t.type = TokType::kEnd;
      t.value = "(end)";
      return t;
    }
    char c = src_[pos_];
    if (!infix && c == '/') {
      ++pos_;
      scan_regex(t);
      return t;
    }
    auto two = src_.substr(pos_, 2);
    static const char* kTwo[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"};
    for (const char* op : kTwo) {
      if (two == op) {
        t.type = TokType::kOperator;
        t.value = op;
        pos_ += 2;
        return t;
      }
    }
    if (is_operator_char(c)) {
      t.type = TokType::kOperator;
      t.value = std::string(1, c);
      ++pos_;
      return t;
    }
    if (c == '"' || c == '\'') {
      scan_string(t, c);
      return t;
    }
    if (c >= '0' && c <= '9') {
      std::size_t start = pos_;
      std::size_t p = pos_;
      if (src_[p] == '0') {
        ++p;
      } else {
        while (p < src_.size() && std::isdigit(static_cast<unsigned char>(src_[p]))) ++p;
      }
      if (p + 1 < src_.size() && src_[p] == '.' &&
          std::isdigit(static_cast<unsigned char>(src_[p + 1]))) {
        ++p;
        while (p < src_.size() && std::isdigit(static_cast<unsigned char>(src_[p]))) ++p;
      }
      if (p < src_.size() && (src_[p] == 'e' || src_[p] == 'E')) {
        std::size_t q = p + 1;
        if (q < src_.size() && (src_[q] == '+' || src_[q] == '-')) ++q;
        if (q < src_.size() && std::isdigit(static_cast<unsigned char>(src_[q]))) {
          while (q < src_.size() && std::isdigit(static_cast<unsigned char>(src_[q]))) ++q;
          p = q;
        }
      }
      std::string text(src_.substr(start, p - start));
      double d = std::strtod(text.c_str(), nullptr);
      if (!std::isfinite(d)) throw_error("S0102", start, text);
      pos_ = p;
      t.type = TokType::kNumber;
      t.number = d;
      t.value = text;
      return t;
    }
    if (c == '`') {
      std::size_t end = src_.find('`', pos_ + 1);
      if (end == std::string_view::npos) throw_error("S0105", pos_, "");
      t.type = TokType::kName;
      t.value = std::string(src_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return t;
    }
    std::size_t i = pos_;
    while (i < src_.size() && std::strchr(" \t\n\r\v", src_[i]) == nullptr &&
           !is_operator_char(src_[i]))
      ++i;
    if (src_[pos_] == '$') {
      t.type = TokType::kVariable;
      t.value = std::string(src_.substr(pos_ + 1, i - pos_ - 1));
      pos_ = i;
      return t;
    }
    std::string name(src_.substr(pos_, i - pos_));
    pos_ = i;
    if (name == "or" || name == "in" || name == "and") {
      t.type = TokType::kOperator;
      t.value = name;
    } else if (name == "true" || name == "false" || name == "null") {
      t.type = TokType::kValue;
      t.value = name;
    } else {
      t.type = TokType::kName;
      t.value = name;
    }
    return t;
  }

  void scan_string(Token& t, char quote) {
    std::size_t start = pos_;
    ++pos_;
    std::string out;
    while (pos_ < src_.size()) {
      char ch = src_[pos_];
      if (ch == '\\') {
        ++pos_;
        if (pos_ >= src_.size()) break;
        ch = src_[pos_];
        switch (ch) {
          case '"':
          case '\\':
          case '/':
          case '\'':
            if (ch == '\'' && quote != '\'') throw_error("S0103", pos_, std::string(1, ch));
            out.push_back(ch);
            break;
          case 'b':
            out.push_back('\b');
            break;
          case 'f':
            out.push_back('\f');
            break;
          case 'n':
            out.push_back('\n');
            break;
          case 'r':
            out.push_back('\r');
            break;
          case 't':
            out.push_back('\t');
            break;
          case 'u': {
            auto hex = [&](std::size_t p, std::uint32_t& cp) {
              if (p + 4 > src_.size()) return false;
              cp = 0;
              for (std::size_t k = p; k < p + 4; ++k) {
                char h = src_[k];
                cp <<= 4;
                if (h >= '0' && h <= '9')
                  cp |= static_cast<std::uint32_t>(h - '0');
                else if (h >= 'a' && h <= 'f')
                  cp |= static_cast<std::uint32_t>(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                  cp |= static_cast<std::uint32_t>(h - 'A' + 10);
                else
                  return false;
              }
              return true;
            };
            std::uint32_t cp = 0;
            if (!hex(pos_ + 1, cp)) throw_error("S0104", pos_, "");
            pos_ += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 2 < src_.size() && src_[pos_ + 1] == '\\' &&
                src_[pos_ + 2] == 'u') {
              std::uint32_t lo = 0;
              if (hex(pos_ + 3, lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                pos_ += 6;
              }
            }
            stepwise::internal::utf8::append(out, cp);
            break;
          }
          default:
            throw_error("S0103", pos_, std::string(1, ch));
        }
      } else if (ch == quote) {
        ++pos_;
        t.type = TokType::kString;
        t.value = std::move(out);
        return;
      } else {
        out.push_back(ch);
      }
      ++pos_;
    }
    throw_error("S0101", start, "");
  }

  void scan_regex(Token& t) {
    std::size_t start = pos_;
    int depth = 0;
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == '/' && depth == 0) {
        std::size_t bs = 0;
        while (pos_ >= bs + 1 && src_[pos_ - bs - 1] == '\\') ++bs;
        if (bs % 2 == 0) {
          std::string pattern(src_.substr(start, pos_ - start));
          if (pattern.empty()) throw_error("S0301", pos_, "");
          ++pos_;
          std::size_t fs = pos_;
          while (pos_ < src_.size() && (src_[pos_] == 'i' || src_[pos_] == 'm')) ++pos_;
          t.type = TokType::kRegex;
          t.value = std::move(pattern);
          t.flags = std::string(src_.substr(fs, pos_ - fs));
          return;
        }
      }
      bool escaped = pos_ > 0 && src_[pos_ - 1] == '\\';
      if ((c == '(' || c == '[' || c == '{') && !escaped) ++depth;
      if ((c == ')' || c == ']' || c == '}') && !escaped) --depth;
      ++pos_;
    }
    throw_error("S0302", pos_, "");
  }

  // ---- Pratt parser ----
  void advance(const char* id = nullptr, bool infix = false) {
    if (id != nullptr && node_.id() != id) {
      throw_error(node_.type == TokType::kEnd ? "S0203" : "S0202", node_.position, node_.value, id);
    }
    node_ = lex(infix);
    if (node_.type == TokType::kOperator && !is_known_symbol(node_.value)) {
      throw_error("S0204", node_.position, node_.value);
    }
  }

  int lbp() const { return node_.type == TokType::kOperator ? infix_bp(node_.value) : 0; }

  AstNode* expression(int rbp) {
    if (++depth_ > kMaxParseDepth) throw_error("U1001", node_.position, node_.value);
    Token t = node_;
    advance(nullptr, true);
    AstNode* left = nud(t);
    while (rbp < lbp()) {
      t = node_;
      advance();
      left = led(t, left);
    }
    --depth_;
    return left;
  }

  AstNode* nud(const Token& t) {
    switch (t.type) {
      case TokType::kName: {
        AstNode* n = prog_.make(NodeType::kName, t.position);
        n->value = t.value;
        return n;
      }
      case TokType::kVariable: {
        AstNode* n = prog_.make(NodeType::kVariable, t.position);
        n->value = t.value;
        return n;
      }
      case TokType::kString: {
        AstNode* n = prog_.make(NodeType::kString, t.position);
        n->value = t.value;
        n->literal = Value::string(t.value);
        make_immortal(n->literal);
        return n;
      }
      case TokType::kNumber: {
        AstNode* n = prog_.make(NodeType::kNumber, t.position);
        n->value = t.value;
        n->literal = Value::number(t.number);
        return n;
      }
      case TokType::kValue: {
        AstNode* n = prog_.make(NodeType::kValue, t.position);
        n->value = t.value;
        n->literal = t.value == "null" ? Value::null() : Value::boolean(t.value == "true");
        return n;
      }
      case TokType::kRegex: {
        AstNode* n = prog_.make(NodeType::kRegex, t.position);
        n->value = t.value;
        n->regex = Regex::compile(t.value, t.flags, t.position);
        return n;
      }
      case TokType::kEnd:
        throw_error("S0207", t.position, "(end)");
      case TokType::kOperator:
        break;
    }
    const std::string& op = t.value;
    if (op == "and" || op == "or" || op == "in") {
      AstNode* n = prog_.make(NodeType::kOperator, t.position);
      n->value = op;
      return n;
    }
    if (op == "-") {
      AstNode* n = prog_.make(NodeType::kNegate, t.position);
      n->value = "-";
      n->expression = expression(70);
      return n;
    }
    if (op == "*") return prog_.make(NodeType::kWildcard, t.position);
    if (op == "**") return prog_.make(NodeType::kDescendant, t.position);
    if (op == "%") return prog_.make(NodeType::kParent, t.position);
    if (op == "(") {
      AstNode* n = prog_.make(NodeType::kBlock, t.position);
      while (node_.id() != ")") {
        n->items.push_back(expression(0));
        if (node_.id() != ";") break;
        advance(";");
      }
      advance(")", true);
      return n;
    }
    if (op == "[") {
      AstNode* n = prog_.make(NodeType::kArrayCons, t.position);
      if (node_.id() != "]") {
        for (;;) {
          AstNode* item = expression(0);
          if (node_.id() == "..") {
            AstNode* range = prog_.make(NodeType::kBinary, node_.position);
            range->value = "..";
            range->lhs = item;
            advance("..");
            range->rhs = expression(0);
            item = range;
          }
          n->items.push_back(item);
          if (node_.id() != ",") break;
          advance(",");
        }
      }
      advance("]", true);
      return n;
    }
    if (op == "{") {
      AstNode* n = prog_.make(NodeType::kObjectCons, t.position);
      parse_pairs(n->pairs);
      return n;
    }
    if (op == "|") {
      AstNode* n = prog_.make(NodeType::kTransform, t.position);
      n->pattern = expression(0);
      advance("|");
      n->update = expression(0);
      if (node_.id() == ",") {
        advance(",");
        n->deletion = expression(0);
      }
      advance("|");
      return n;
    }
    throw_error("S0211", t.position, op);
  }

  void parse_pairs(std::vector<std::pair<AstNode*, AstNode*>>& pairs) {
    if (node_.id() != "}") {
      for (;;) {
        AstNode* k = expression(0);
        advance(":");
        AstNode* v = expression(0);
        pairs.emplace_back(k, v);
        if (node_.id() != ",") break;
        advance(",");
      }
    }
    advance("}", true);
  }

  AstNode* binary(const Token& t, AstNode* left, AstNode* right) {
    AstNode* n = prog_.make(NodeType::kBinary, t.position);
    n->value = t.value;
    n->lhs = left;
    n->rhs = right;
    return n;
  }

  AstNode* led(const Token& t, AstNode* left) {
    const std::string& op = t.value;
    if (op == "(") {
      AstNode* n = prog_.make(NodeType::kFunctionCall, t.position);
      n->procedure = left;
      if (node_.id() != ")") {
        for (;;) {
          if (node_.type == TokType::kOperator && node_.value == "?") {
            n->type = NodeType::kPartial;
            n->items.push_back(prog_.make(NodeType::kPlaceholder, node_.position));
            advance("?");
          } else {
            n->items.push_back(expression(0));
          }
          if (node_.id() != ",") break;
          advance(",");
        }
      }
      advance(")", true);
      if (left->type == NodeType::kName &&
          (left->value == "function" || left->value == "\xCE\xBB")) {
        for (std::size_t i = 0; i < n->items.size(); ++i) {
          AstNode* arg = n->items[i];
          if (arg->type != NodeType::kVariable) {
            throw_error("S0208", arg->position, arg->value, std::to_string(i + 1));
          }
          n->params.push_back(arg->value);
        }
        n->type = NodeType::kLambda;
        n->items.clear();
        if (node_.type == TokType::kOperator && node_.value == "<") {
          // Scan the signature text directly up to the matching '>'.
          std::size_t start = node_.position;
          std::size_t p = start + 1;
          int depth = 1;
          while (p < src_.size() && depth > 0) {
            if (src_[p] == '<') ++depth;
            if (src_[p] == '>') --depth;
            if (src_[p] == '{') break;
            ++p;
          }
          if (depth != 0) throw_error("S0401", start, "");
          std::string sig;
          for (std::size_t k = start; k < p; ++k) {
            if (std::strchr(" \t\n\r", src_[k]) == nullptr) sig.push_back(src_[k]);
          }
          n->signature = std::make_shared<Signature>(Signature::parse(sig, start));
          pos_ = p;
          advance(nullptr, true);
        }
        advance("{");
        n->body = expression(0);
        advance("}");
      }
      return n;
    }
    if (op == "[") {
      if (node_.id() == "]") {
        AstNode* step = left;
        while (step != nullptr && step->type == NodeType::kBinary && step->value == "[")
          step = step->lhs;
        step->keep_array = true;
        advance("]");
        return left;
      }
      AstNode* n = binary(t, left, expression(0));
      advance("]", true);
      return n;
    }
    if (op == "{") {
      AstNode* n = binary(t, left, nullptr);
      parse_pairs(n->pairs);
      return n;
    }
    if (op == "^") {
      AstNode* n = binary(t, left, nullptr);
      advance("(");
      for (;;) {
        SortTerm term;
        if (node_.id() == "<") {
          advance("<");
        } else if (node_.id() == ">") {
          term.descending = true;
          advance(">");
        }
        term.expression = expression(0);
        n->terms.push_back(term);
        if (node_.id() != ",") break;
        advance(",");
      }
      advance(")");
      return n;
    }
    if (op == ":=") {
      if (left->type != NodeType::kVariable) throw_error("S0212", left->position, left->value);
      return binary(t, left, expression(infix_bp(":=") - 1));
    }
    if (op == "@" || op == "#") {
      AstNode* rhs = expression(infix_bp(op));
      if (rhs->type != NodeType::kVariable) throw_error("S0214", rhs->position, op);
      return binary(t, left, rhs);
    }
    if (op == "?") {
      AstNode* n = prog_.make(NodeType::kCondition, t.position);
      n->condition = left;
      n->then = expression(0);
      if (node_.id() == ":") {
        advance(":");
        n->otherwise = expression(0);
      }
      return n;
    }
    if (op == "?:" || op == "??") {
      AstNode* n = prog_.make(op == "?:" ? NodeType::kElvis : NodeType::kCoalesce, t.position);
      n->lhs = left;
      n->rhs = expression(0);
      return n;
    }
    if (infix_bp(op) > 0) return binary(t, left, expression(infix_bp(op)));
    throw_error("S0201", t.position, op);
  }

  // ---- AST post-processing (jsonata-js processAST) ----
  static std::string type_name(const AstNode* n) {
    switch (n->type) {
      case NodeType::kPath:
        return "path";
      case NodeType::kParent:
        return "parent";
      case NodeType::kName:
        return "name";
      case NodeType::kBinary:
        return "binary";
      case NodeType::kFunctionCall:
        return "function";
      case NodeType::kBlock:
        return "block";
      case NodeType::kWildcard:
        return "wildcard";
      default:
        return "expression";
    }
  }

  AstNode* seek_parent(AstNode* node, std::shared_ptr<Slot> slot) {
    switch (node->type) {
      case NodeType::kName:
      case NodeType::kWildcard:
        slot->level--;
        if (slot->level == 0) {
          if (node->ancestor == nullptr) {
            node->ancestor = slot;
          } else {
            ancestry_[static_cast<std::size_t>(slot->index)]->slot->label = node->ancestor->label;
            node->ancestor = slot;
          }
          node->tuple = true;
        }
        break;
      case NodeType::kParent:
        slot->level++;
        break;
      case NodeType::kBlock:
        if (!node->items.empty()) {
          node->tuple = true;
          seek_parent(node->items.back(), slot);
        }
        break;
      case NodeType::kPath: {
        node->tuple = true;
        int index = static_cast<int>(node->steps.size()) - 1;
        seek_parent(node->steps[static_cast<std::size_t>(index--)], slot);
        while (slot->level > 0 && index >= 0)
          seek_parent(node->steps[static_cast<std::size_t>(index--)], slot);
        break;
      }
      default:
        throw_error("S0217", node->position, type_name(node));
    }
    return node;
  }

  void push_ancestry(AstNode* result, AstNode* value) {
    if (value->has_seeking_parent || value->type == NodeType::kParent) {
      std::vector<std::shared_ptr<Slot>> slots = value->seeking_parent;
      if (value->type == NodeType::kParent) slots.push_back(value->slot);
      result->seeking_parent.insert(result->seeking_parent.end(), slots.begin(), slots.end());
      result->has_seeking_parent = true;
    }
  }

  void resolve_ancestry(AstNode* path) {
    AstNode* laststep = path->steps.back();
    std::vector<std::shared_ptr<Slot>> slots = laststep->seeking_parent;
    if (laststep->type == NodeType::kParent) slots.push_back(laststep->slot);
    for (auto& slot : slots) {
      int index = static_cast<int>(path->steps.size()) - 2;
      while (slot->level > 0) {
        if (index < 0) {
          path->seeking_parent.push_back(slot);
          path->has_seeking_parent = true;
          break;
        }
        AstNode* step = path->steps[static_cast<std::size_t>(index--)];
        while (index >= 0 && step->has_focus &&
               path->steps[static_cast<std::size_t>(index)]->has_focus) {
          step = path->steps[static_cast<std::size_t>(index--)];
        }
        seek_parent(step, slot);
      }
    }
  }

  AstNode* make_path(AstNode* step) {
    AstNode* p = prog_.make(NodeType::kPath, step->position);
    p->steps.push_back(step);
    return p;
  }

  AstNode* process(AstNode* expr) {
    if (++depth_ > kMaxParseDepth * 2) throw_error("U1001", expr->position, "");
    AstNode* result = process_inner(expr);
    if (expr->keep_array) result->keep_array = true;
    --depth_;
    return result;
  }

  static BinaryOp binary_op(const std::string& v) {
    static const std::unordered_map<std::string_view, BinaryOp> kOps = {
        {"+", BinaryOp::kAdd},    {"-", BinaryOp::kSub}, {"*", BinaryOp::kMul},
        {"/", BinaryOp::kDiv},    {"%", BinaryOp::kMod}, {"=", BinaryOp::kEq},
        {"!=", BinaryOp::kNe},    {"<", BinaryOp::kLt},  {"<=", BinaryOp::kLe},
        {">", BinaryOp::kGt},     {">=", BinaryOp::kGe}, {"&", BinaryOp::kConcat},
        {"..", BinaryOp::kRange}, {"in", BinaryOp::kIn}, {"and", BinaryOp::kAnd},
        {"or", BinaryOp::kOr}};
    auto it = kOps.find(v);
    return it == kOps.end() ? BinaryOp::kNone : it->second;
  }

  AstNode* process_inner(AstNode* expr) {
    switch (expr->type) {
      case NodeType::kBinary:
        return process_binary(expr);
      case NodeType::kNegate: {
        expr->expression = process(expr->expression);
        if (expr->expression->type == NodeType::kNumber) {
          AstNode* num = expr->expression;
          num->literal = Value::number(-num->literal.num());
          return num;
        }
        push_ancestry(expr, expr->expression);
        return expr;
      }
      case NodeType::kArrayCons:
        for (auto& item : expr->items) {
          item = process(item);
          push_ancestry(expr, item);
        }
        return expr;
      case NodeType::kObjectCons:
        for (auto& pr : expr->pairs) {
          pr.first = process(pr.first);
          push_ancestry(expr, pr.first);
          pr.second = process(pr.second);
          push_ancestry(expr, pr.second);
        }
        return expr;
      case NodeType::kFunctionCall:
      case NodeType::kPartial:
        for (auto& arg : expr->items) {
          if (arg->type == NodeType::kPlaceholder) continue;
          arg = process(arg);
          push_ancestry(expr, arg);
        }
        expr->procedure = process(expr->procedure);
        return expr;
      case NodeType::kLambda: {
        AstNode* body = process(expr->body);
        expr->body = tail_call_optimize(body);
        return expr;
      }
      case NodeType::kCondition:
        expr->condition = process(expr->condition);
        push_ancestry(expr, expr->condition);
        expr->then = process(expr->then);
        push_ancestry(expr, expr->then);
        if (expr->otherwise != nullptr) {
          expr->otherwise = process(expr->otherwise);
          push_ancestry(expr, expr->otherwise);
        }
        return expr;
      case NodeType::kElvis:
      case NodeType::kCoalesce:
        expr->lhs = process(expr->lhs);
        push_ancestry(expr, expr->lhs);
        expr->rhs = process(expr->rhs);
        push_ancestry(expr, expr->rhs);
        return expr;
      case NodeType::kTransform:
        expr->pattern = process(expr->pattern);
        expr->update = process(expr->update);
        if (expr->deletion != nullptr) expr->deletion = process(expr->deletion);
        return expr;
      case NodeType::kBlock:
        for (auto& item : expr->items) {
          item = process(item);
          push_ancestry(expr, item);
          if (item->consarray || (item->type == NodeType::kPath && item->steps[0]->consarray)) {
            expr->consarray = true;
          }
        }
        return expr;
      case NodeType::kName: {
        AstNode* p = make_path(expr);
        if (expr->keep_array) p->keep_singleton_array = true;
        return p;
      }
      case NodeType::kParent: {
        expr->slot = std::make_shared<Slot>();
        expr->slot->label = "!" + std::to_string(ancestor_label_++);
        expr->slot->level = 1;
        expr->slot->index = ancestor_index_++;
        ancestry_.push_back(expr);
        return expr;
      }
      case NodeType::kString:
      case NodeType::kNumber:
      case NodeType::kValue:
      case NodeType::kWildcard:
      case NodeType::kDescendant:
      case NodeType::kVariable:
      case NodeType::kRegex:
        return expr;
      case NodeType::kOperator:
        if (expr->value == "and" || expr->value == "or" || expr->value == "in") {
          expr->type = NodeType::kName;
          return process(expr);
        }
        throw_error("S0201", expr->position, expr->value);
      default:
        throw_error("S0206", expr->position, expr->value);
    }
  }

  AstNode* tail_call_optimize(AstNode* expr) {
    if (expr->type == NodeType::kFunctionCall && expr->predicates.empty()) {
      AstNode* thunk = prog_.make(NodeType::kLambda, expr->position);
      thunk->thunk = true;
      thunk->body = expr;
      return thunk;
    }
    if (expr->type == NodeType::kCondition) {
      expr->then = tail_call_optimize(expr->then);
      if (expr->otherwise != nullptr) expr->otherwise = tail_call_optimize(expr->otherwise);
      return expr;
    }
    if (expr->type == NodeType::kBlock && !expr->items.empty()) {
      expr->items.back() = tail_call_optimize(expr->items.back());
    }
    return expr;
  }

  // `lhs.rhs`: one path of the steps of both sides; numbers and literals cannot be steps.
  AstNode* process_path(AstNode* expr) {
    AstNode* lstep = process(expr->lhs);
    AstNode* result;
    if (lstep->type == NodeType::kPath) {
      result = lstep;
    } else {
      result = make_path(lstep);
    }
    if (lstep->type == NodeType::kParent) {
      result->seeking_parent = {lstep->slot};
      result->has_seeking_parent = true;
    }
    AstNode* rest = process(expr->rhs);
    if (rest->type == NodeType::kPath) {
      result->steps.insert(result->steps.end(), rest->steps.begin(), rest->steps.end());
    } else {
      if (!rest->predicates.empty()) {
        rest->stages = std::move(rest->predicates);
        rest->predicates.clear();
      }
      result->steps.push_back(rest);
    }
    for (AstNode* step : result->steps) {
      if (step->type == NodeType::kNumber || step->type == NodeType::kValue) {
        throw_error("S0213", step->position, step->value, step->value);
      }
      if (step->type == NodeType::kString) step->type = NodeType::kName;
      if (step->keep_array) result->keep_singleton_array = true;
    }
    AstNode* first = result->steps.front();
    if (first->type == NodeType::kArrayCons) first->consarray = true;
    AstNode* last = result->steps.back();
    if (last->type == NodeType::kArrayCons) last->consarray = true;
    resolve_ancestry(result);
    return result;
  }

  // `lhs[rhs]`: a predicate on the last step (a stage when lhs is a path).
  AstNode* process_predicate(AstNode* expr) {
    AstNode* result = process(expr->lhs);
    AstNode* step = result;
    bool stages = false;
    if (result->type == NodeType::kPath) {
      step = result->steps.back();
      stages = true;
    }
    if (step->group) throw_error("S0209", expr->position, "");
    AstNode* predicate = process(expr->rhs);
    if (predicate->has_seeking_parent) {
      for (auto& slot : predicate->seeking_parent) {
        if (slot->level == 1) {
          seek_parent(step, slot);
        } else {
          slot->level--;
        }
      }
      push_ancestry(step, predicate);
    }
    Stage s;
    s.expr = predicate;
    s.position = expr->position;
    (stages ? step->stages : step->predicates).push_back(s);
    return result;
  }

  // `lhs{...}`: an object grouping of lhs (one per step).
  AstNode* process_group(AstNode* expr) {
    AstNode* result = process(expr->lhs);
    if (result->group) throw_error("S0210", expr->position, "");
    auto g = std::make_unique<Group>();
    g->position = expr->position;
    for (auto& pr : expr->pairs) g->pairs.emplace_back(process(pr.first), process(pr.second));
    result->group = std::move(g);
    return result;
  }

  // `lhs^(...)`: a sort step appended to the path of lhs.
  AstNode* process_sort(AstNode* expr) {
    AstNode* result = process(expr->lhs);
    if (result->type != NodeType::kPath) result = make_path(result);
    AstNode* sort = prog_.make(NodeType::kSort, expr->position);
    for (auto& term : expr->terms) {
      SortTerm st;
      st.descending = term.descending;
      st.expression = process(term.expression);
      push_ancestry(sort, st.expression);
      sort->terms.push_back(st);
    }
    result->steps.push_back(sort);
    resolve_ancestry(result);
    return result;
  }

  // `lhs@$v`: binds each value of the last step to $v (a tuple stream).
  AstNode* process_focus(AstNode* expr) {
    AstNode* result = process(expr->lhs);
    AstNode* step = result;
    if (result->type == NodeType::kPath) step = result->steps.back();
    if (!step->stages.empty() || !step->predicates.empty())
      throw_error("S0215", expr->position, "@");
    if (step->type == NodeType::kSort) throw_error("S0216", expr->position, "@");
    if (expr->keep_array) step->keep_array = true;
    step->focus = expr->rhs->value;
    step->has_focus = true;
    step->tuple = true;
    return result;
  }

  // `lhs#$i`: binds the position of each value of the last step to $i.
  AstNode* process_index(AstNode* expr) {
    AstNode* result = process(expr->lhs);
    AstNode* step = result;
    if (result->type == NodeType::kPath) {
      step = result->steps.back();
    } else {
      result = make_path(result);
      if (!step->predicates.empty()) {
        step->stages = std::move(step->predicates);
        step->predicates.clear();
      }
    }
    if (step->stages.empty()) {
      step->index_var = expr->rhs->value;
      step->has_index = true;
    } else {
      Stage s;
      s.is_index = true;
      s.var = expr->rhs->value;
      s.position = expr->position;
      step->stages.push_back(s);
    }
    step->tuple = true;
    return result;
  }

  AstNode* process_binary(AstNode* expr) {
    const std::string& op = expr->value;
    if (op == ".") return process_path(expr);
    if (op == "[") return process_predicate(expr);
    if (op == "{") return process_group(expr);
    if (op == "^") return process_sort(expr);
    if (op == ":=") {
      AstNode* n = prog_.make(NodeType::kBind, expr->position);
      n->value = ":=";
      n->lhs = process(expr->lhs);
      n->rhs = process(expr->rhs);
      push_ancestry(n, n->rhs);
      return n;
    }
    if (op == "@") return process_focus(expr);
    if (op == "#") return process_index(expr);
    if (op == "~>") {
      AstNode* n = prog_.make(NodeType::kApply, expr->position);
      n->value = "~>";
      n->lhs = process(expr->lhs);
      n->rhs = process(expr->rhs);
      n->keep_array = n->lhs->keep_array || n->rhs->keep_array;
      return n;
    }
    expr->op = binary_op(op);
    expr->lhs = process(expr->lhs);
    expr->rhs = process(expr->rhs);
    push_ancestry(expr, expr->lhs);
    push_ancestry(expr, expr->rhs);
    return expr;
  }

  std::string_view src_;
  Program& prog_;
  std::size_t pos_ = 0;
  Token node_;
  int depth_ = 0;
  int ancestor_label_ = 0;
  int ancestor_index_ = 0;
  std::vector<AstNode*> ancestry_;
};

}  // namespace

std::shared_ptr<const Program> parse_program(std::string_view text) {
  auto prog = std::make_shared<Program>();
  prog->source = std::string(text);
  Parser parser(prog->source, *prog);
  prog->root = parser.parse();
  return prog;
}

}  // namespace stepwise::jsonata::internal
