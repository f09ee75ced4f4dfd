// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The JSONata engine's value model. A `Value` is 16 bytes: a type tag and either a scalar or a
// pointer to an intrusively reference-counted heap node (string, array, object, function).
// Navigation shares nodes instead of copying JSON. Nodes created during one evaluation belong
// to that evaluation's thread; "immortal" nodes (AST literals, values pre-converted in
// `Bindings`) are never reference-counted or mutated, so many threads may share them.
// Arrays carry jsonata-js's sequence flags (sequence, keepSingleton, outerWrapper, cons,
// tupleStream). Also here: JSON conversion, JS number formatting and deep equality.
#ifndef STEPWISE_SRC_JSONATA_VALUE_H_
#define STEPWISE_SRC_JSONATA_VALUE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace stepwise::jsonata::internal {

enum class Type : std::uint8_t {
  kUndefined,
  kNull,
  kBool,
  kNumber,
  kString,
  kArray,
  kObject,
  kFunction
};

struct HeapNode {
  std::uint32_t refs = 0;
  bool immortal = false;
  virtual ~HeapNode() = default;

  // Small nodes (strings, arrays, objects) come from a per-thread free list: evaluations
  // create and drop many of them, and the general-purpose allocator was a large share of a
  // short evaluation. A node may be freed on another thread than the one that made it.
  static void* operator new(std::size_t size);
  static void operator delete(void* p, std::size_t size) noexcept;
};

// The per-thread pool behind HeapNode's allocation, also used for evaluation frames. Blocks of
// up to 64 bytes are recycled; larger requests go straight to the heap.
void* pool_allocate(std::size_t size);
void pool_free(void* p, std::size_t size) noexcept;

inline void retain(HeapNode* n) {
  if (!n->immortal) ++n->refs;
}
inline void release(HeapNode* n) {
  if (!n->immortal && --n->refs == 0) delete n;
}

struct StringNode;
struct ArrayNode;
struct ObjectNode;
struct FunctionNode;

class Value {
 public:
  Value() { u_.p = nullptr; }
  ~Value() {
    if (is_heap()) release(u_.p);
  }
  Value(const Value& o) : type_(o.type_), u_(o.u_) {
    if (is_heap()) retain(u_.p);
  }
  Value(Value&& o) noexcept : type_(o.type_), u_(o.u_) { o.type_ = Type::kUndefined; }
  Value& operator=(const Value& o) {
    if (this != &o) {
      Value tmp(o);
      swap(tmp);
    }
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      Value tmp(std::move(o));
      swap(tmp);
    }
    return *this;
  }
  void swap(Value& o) noexcept {
    std::swap(type_, o.type_);
    std::swap(u_, o.u_);
  }

  static Value null() { return Value(Type::kNull); }
  static Value boolean(bool b) {
    Value v(Type::kBool);
    v.u_.b = b;
    return v;
  }
  static Value number(double n) {
    Value v(Type::kNumber);
    v.u_.n = n;
    return v;
  }
  static Value string(std::string s);
  static Value from_node(Type t, HeapNode* n) {  // Takes a new reference.
    Value v(t);
    v.u_.p = n;
    retain(n);
    return v;
  }

  Type type() const { return type_; }
  bool is_undefined() const { return type_ == Type::kUndefined; }
  bool is_defined() const { return type_ != Type::kUndefined; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }
  bool is_function() const { return type_ == Type::kFunction; }
  bool is_heap() const { return type_ >= Type::kString; }

  bool as_bool() const { return u_.b; }
  double num() const { return u_.n; }
  const std::string& str() const;
  ArrayNode& arr() const { return *reinterpret_cast<ArrayNode*>(u_.p); }
  ObjectNode& obj() const { return *reinterpret_cast<ObjectNode*>(u_.p); }
  FunctionNode& fn() const { return *reinterpret_cast<FunctionNode*>(u_.p); }
  HeapNode* node() const { return u_.p; }

  // Array helpers. REQUIRES: is_array().
  std::size_t size() const;
  bool is_sequence() const;

 private:
  explicit Value(Type t) : type_(t) { u_.p = nullptr; }
  Type type_ = Type::kUndefined;
  union {
    bool b;
    double n;
    HeapNode* p;
  } u_;
};

struct StringNode : HeapNode {
  explicit StringNode(std::string v) : s(std::move(v)) {}
  std::string s;
};

struct ArrayNode : HeapNode {
  std::vector<Value> items;
  bool sequence = false;
  bool keep_singleton = false;
  bool outer_wrapper = false;
  bool cons = false;
  bool tuple_stream = false;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

// Insertion-ordered object; keeps a hash index once it grows past a few entries.
struct ObjectNode : HeapNode {
  std::vector<std::pair<std::string, Value>> entries;
  std::unique_ptr<std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>>
      index;

  const Value* get(std::string_view key) const;
  void set(std::string_view key, Value v);
  void erase(std::string_view key);
  std::size_t size() const { return entries.size(); }
};

inline const std::string& Value::str() const { return reinterpret_cast<StringNode*>(u_.p)->s; }
inline std::size_t Value::size() const { return arr().items.size(); }
inline bool Value::is_sequence() const { return is_array() && arr().sequence; }

inline Value Value::string(std::string s) {
  Value v(Type::kString);
  v.u_.p = new StringNode(std::move(s));
  v.u_.p->refs = 1;
  return v;
}

// Creates an empty array (optionally flagged as a sequence) / object.
Value make_array(bool sequence = false);
Value make_array(std::vector<Value> items, bool sequence = false);
Value make_object();
inline Value make_sequence() { return make_array(true); }
Value make_sequence(Value item);  // A one-item sequence (item may be undefined → empty).

// Marks every node reachable from `v` immortal / frees an immortal tree made by this module.
void make_immortal(const Value& v);
void destroy_immortal(Value& v);

// Conversion to and from nlohmann JSON. `to_json` maps integral doubles that fit exactly to
// integers; functions become null (callers check `contains_function` first when it matters).
template <typename Json>
Value from_json(const Json& j);
nlohmann::json to_json(const Value& v);
nlohmann::ordered_json to_ordered_json(const Value& v);

// JavaScript `Number.prototype.toString` of `d` (shortest round-trip digits).
std::string js_number_to_string(double d);
// `Number(d.toPrecision(15))` printed as JavaScript does (used by $string and `&`).
std::string js_number_to_string15(double d);
// JSON.stringify-like serialization used by $string: numbers to 15 significant digits,
// functions as "", `indent` > 0 pretty-prints like JSON.stringify(v, null, indent).
std::string stringify(const Value& v, int indent = 0);
void append_json_string(std::string& out, std::string_view s);

// How `values_equal` compares arrays and objects: by content (jsonata-js isDeepEqual, used
// by `=`, `!=` and $distinct) or by identity (JavaScript's `===`, used by the `in` operator).
// Everything else compares the same way in both: same type, then the same value (numbers by
// `==`, strings by their text, functions by identity).
enum class Equality : std::uint8_t { kDeep, kIdentity };
bool values_equal(const Value& a, const Value& b, Equality how);
// jsonata-js isDeepEqual.
inline bool deep_equal(const Value& a, const Value& b) {
  return values_equal(a, b, Equality::kDeep);
}
// Deep copy with fresh (mutable, mortal) nodes.
Value deep_clone(const Value& v);

}  // namespace stepwise::jsonata::internal

#endif  // STEPWISE_SRC_JSONATA_VALUE_H_
