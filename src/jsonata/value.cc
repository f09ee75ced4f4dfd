// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Implementation of the value model: object index maintenance, JSON conversion, JavaScript
// number formatting, JSON.stringify-compatible serialization, deep equality and cloning.
#include "jsonata/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "jsonata/function.h"

namespace stepwise::jsonata::internal {
namespace {
constexpr std::size_t kIndexThreshold = 12;

bool is_index_key(std::string_view k) {
  if (k.empty() || k.size() > 9) return false;
  if (k.size() > 1 && k[0] == '0') return false;
  for (char c : k) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
}  // namespace

const Value* ObjectNode::get(std::string_view key) const {
  if (index) {
    auto it = index->find(key);
    return it == index->end() ? nullptr : &entries[it->second].second;
  }
  for (const auto& e : entries) {
    if (e.first == key) return &e.second;
  }
  return nullptr;
}

void ObjectNode::set(std::string_view key, Value v) {
  if (index) {
    auto it = index->find(key);
    if (it != index->end()) {
      entries[it->second].second = std::move(v);
      return;
    }
  } else {
    for (auto& e : entries) {
      if (e.first == key) {
        e.second = std::move(v);
        return;
      }
    }
  }
  // JavaScript objects list integer-like keys first, in ascending order.
  if (is_index_key(key) && !entries.empty()) {
    double k = std::strtod(std::string(key).c_str(), nullptr);
    std::size_t pos = 0;
    while (pos < entries.size() && is_index_key(entries[pos].first) &&
           std::strtod(entries[pos].first.c_str(), nullptr) < k) {
      ++pos;
    }
    if (pos < entries.size()) {
      entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(pos),
                     {std::string(key), std::move(v)});
      if (index || entries.size() > kIndexThreshold) {
        index = std::make_unique<
            std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>>();
        for (std::uint32_t i = 0; i < entries.size(); ++i) index->emplace(entries[i].first, i);
      }
      return;
    }
  }
  entries.emplace_back(std::string(key), std::move(v));
  if (index) {
    index->emplace(std::string(key), static_cast<std::uint32_t>(entries.size() - 1));
  } else if (entries.size() > kIndexThreshold) {
    index = std::make_unique<
        std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>>();
    for (std::uint32_t i = 0; i < entries.size(); ++i) index->emplace(entries[i].first, i);
  }
}

void ObjectNode::erase(std::string_view key) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].first == key) {
      entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(i));
      if (index) {
        index->clear();
        for (std::uint32_t k = 0; k < entries.size(); ++k) index->emplace(entries[k].first, k);
      }
      return;
    }
  }
}

namespace {
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPoolNodes = false;  // Keep use-after-free visible to AddressSanitizer.
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kPoolNodes = false;
#else
constexpr bool kPoolNodes = true;
#endif
#else
constexpr bool kPoolNodes = true;
#endif
constexpr std::size_t kPoolBlock = 64;  // Covers StringNode, ArrayNode and ObjectNode.
constexpr std::size_t kPoolMax = 4096;  // Blocks kept per thread; more go back to the heap.

struct NodePool {
  void* head = nullptr;
  std::size_t count = 0;
  bool alive = true;
  ~NodePool() {
    alive = false;
    while (head != nullptr) {
      void* next = *static_cast<void**>(head);
      ::operator delete(head);
      head = next;
    }
    count = 0;
  }
};
thread_local NodePool node_pool;
}  // namespace

void* HeapNode::operator new(std::size_t size) { return pool_allocate(size); }
void HeapNode::operator delete(void* p, std::size_t size) noexcept { pool_free(p, size); }

void* pool_allocate(std::size_t size) {
  if (!kPoolNodes || size > kPoolBlock) return ::operator new(size);
  NodePool& pool = node_pool;
  if (pool.head != nullptr) {
    void* p = pool.head;
    pool.head = *static_cast<void**>(p);
    --pool.count;
    return p;
  }
  return ::operator new(kPoolBlock);
}

void pool_free(void* p, std::size_t size) noexcept {
  if (!kPoolNodes || size > kPoolBlock) {
    ::operator delete(p);
    return;
  }
  NodePool& pool = node_pool;
  if (!pool.alive || pool.count >= kPoolMax) {
    ::operator delete(p);
    return;
  }
  *static_cast<void**>(p) = pool.head;
  pool.head = p;
  ++pool.count;
}

Value make_array(bool sequence) {
  auto* n = new ArrayNode();
  n->sequence = sequence;
  return Value::from_node(Type::kArray, n);
}

Value make_array(std::vector<Value> items, bool sequence) {
  auto* n = new ArrayNode();
  n->sequence = sequence;
  n->items = std::move(items);
  return Value::from_node(Type::kArray, n);
}

Value make_object() { return Value::from_node(Type::kObject, new ObjectNode()); }

Value make_sequence(Value item) {
  Value s = make_sequence();
  if (item.is_defined()) s.arr().items.push_back(std::move(item));
  return s;
}

void make_immortal(const Value& v) {
  if (!v.is_heap() || v.node()->immortal) return;
  v.node()->immortal = true;
  if (v.is_array()) {
    for (const auto& i : v.arr().items) make_immortal(i);
  } else if (v.is_object()) {
    for (const auto& e : v.obj().entries) make_immortal(e.second);
  }
}

void destroy_immortal(Value& v) {
  if (!v.is_heap() || !v.node()->immortal) return;
  HeapNode* n = v.node();
  if (v.is_array()) {
    for (auto& i : v.arr().items) destroy_immortal(i);
  } else if (v.is_object()) {
    for (auto& e : v.obj().entries) destroy_immortal(e.second);
  }
  v = Value();
  delete n;
}

template <typename Json>
Value from_json(const Json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Value::null();
    case nlohmann::json::value_t::boolean:
      return Value::boolean(j.template get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value::number(static_cast<double>(j.template get<std::int64_t>()));
    case nlohmann::json::value_t::number_unsigned:
      return Value::number(static_cast<double>(j.template get<std::uint64_t>()));
    case nlohmann::json::value_t::number_float:
      return Value::number(j.template get<double>());
    case nlohmann::json::value_t::string:
      return Value::string(j.template get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      Value a = make_array();
      auto& items = a.arr().items;
      items.reserve(j.size());
      for (const auto& e : j) items.push_back(from_json(e));
      return a;
    }
    case nlohmann::json::value_t::object: {
      Value o = make_object();
      auto& obj = o.obj();
      for (auto it = j.begin(); it != j.end(); ++it) obj.set(it.key(), from_json(it.value()));
      return o;
    }
    default:
      return Value();
  }
}

template Value from_json<nlohmann::json>(const nlohmann::json&);
template Value from_json<nlohmann::ordered_json>(const nlohmann::ordered_json&);

namespace {
template <typename Json>
Json to_json_impl(const Value& v) {
  switch (v.type()) {
    case Type::kUndefined:
    case Type::kNull:
    case Type::kFunction:
      return Json();
    case Type::kBool:
      return Json(v.as_bool());
    case Type::kNumber: {
      double d = v.num();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) <= 9007199254740992.0) {
        return Json(static_cast<std::int64_t>(d));
      }
      return Json(d);
    }
    case Type::kString:
      return Json(v.str());
    case Type::kArray: {
      Json a = Json::array();
      for (const auto& i : v.arr().items) {
        if (i.is_defined()) a.push_back(to_json_impl<Json>(i));
      }
      return a;
    }
    case Type::kObject: {
      Json o = Json::object();
      for (const auto& e : v.obj().entries) {
        if (e.second.is_defined()) o[e.first] = to_json_impl<Json>(e.second);
      }
      return o;
    }
  }
  return Json();
}
}  // namespace

nlohmann::json to_json(const Value& v) { return to_json_impl<nlohmann::json>(v); }
nlohmann::ordered_json to_ordered_json(const Value& v) {
  return to_json_impl<nlohmann::ordered_json>(v);
}

std::string js_number_to_string(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  bool neg = false;
  if (sci[0] == '-') {
    neg = true;
    sci.remove_prefix(1);
  }
  std::size_t epos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, epos)) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exp = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  int k = static_cast<int>(digits.size());
  int n = exp + 1;
  std::string out = neg ? "-" : "";
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += (n - 1 >= 0) ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

std::string js_number_to_string15(double d) {
  if (!std::isfinite(d) || d == std::floor(d)) return js_number_to_string(d);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.14e", d);
  return js_number_to_string(std::strtod(buf, nullptr));
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

namespace {
void stringify_into(std::string& out, const Value& v, int indent, int level) {
  auto newline = [&](int lvl) {
    if (indent > 0) {
      out.push_back('\n');
      out.append(static_cast<std::size_t>(indent * lvl), ' ');
    }
  };
  switch (v.type()) {
    case Type::kUndefined:
    case Type::kNull:
      out += "null";
      return;
    case Type::kBool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Type::kNumber:
      out += std::isfinite(v.num()) ? js_number_to_string15(v.num()) : "null";
      return;
    case Type::kString:
      append_json_string(out, v.str());
      return;
    case Type::kFunction:
      out += "\"\"";
      return;
    case Type::kArray: {
      const auto& items = v.arr().items;
      if (items.empty()) {
        out += "[]";
        return;
      }
      out.push_back('[');
      bool first = true;
      for (const auto& i : items) {
        if (!first) out.push_back(',');
        first = false;
        newline(level + 1);
        stringify_into(out, i, indent, level + 1);
      }
      newline(level);
      out.push_back(']');
      return;
    }
    case Type::kObject: {
      bool any = false;
      out.push_back('{');
      for (const auto& e : v.obj().entries) {
        if (e.second.is_undefined()) continue;
        if (any) out.push_back(',');
        any = true;
        newline(level + 1);
        append_json_string(out, e.first);
        out.push_back(':');
        if (indent > 0) out.push_back(' ');
        stringify_into(out, e.second, indent, level + 1);
      }
      if (any) newline(level);
      out.push_back('}');
      return;
    }
  }
}
}  // namespace

std::string stringify(const Value& v, int indent) {
  std::string out;
  stringify_into(out, v, indent, 0);
  return out;
}

bool values_equal(const Value& a, const Value& b, Equality how) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::kUndefined:
    case Type::kNull:
      return true;
    case Type::kBool:
      return a.as_bool() == b.as_bool();
    case Type::kNumber:
      return a.num() == b.num();
    case Type::kString:
      return a.node() == b.node() || a.str() == b.str();
    case Type::kFunction:
      return a.node() == b.node();
    case Type::kArray: {
      if (how == Equality::kIdentity) return a.node() == b.node();
      const auto& x = a.arr().items;
      const auto& y = b.arr().items;
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!values_equal(x[i], y[i], how)) return false;
      }
      return true;
    }
    case Type::kObject: {
      if (how == Equality::kIdentity) return a.node() == b.node();
      const auto& x = a.obj();
      const auto& y = b.obj();
      if (x.size() != y.size()) return false;
      for (const auto& e : x.entries) {
        const Value* o = y.get(e.first);
        if (o == nullptr || !values_equal(e.second, *o, how)) return false;
      }
      return true;
    }
  }
  return false;
}

Value deep_clone(const Value& v) {
  if (v.is_array()) {
    Value a = make_array();
    const auto& src = v.arr();
    a.arr().items.reserve(src.items.size());
    for (const auto& i : src.items) a.arr().items.push_back(deep_clone(i));
    return a;
  }
  if (v.is_object()) {
    Value o = make_object();
    for (const auto& e : v.obj().entries) o.obj().set(e.first, deep_clone(e.second));
    return o;
  }
  return v;
}

}  // namespace stepwise::jsonata::internal
