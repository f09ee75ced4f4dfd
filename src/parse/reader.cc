// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `Reader`: typed field access with diagnostics.
#include "parse/reader.h"

#include <cmath>

#include <fmt/format.h>

namespace stepwise::internal {

std::string_view json_type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::string:
      return "string";
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    default:
      return "value";
  }
}

bool integral_value(const json& v, std::int64_t& out) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      return false;
    }
    out = v.get<std::int64_t>();
    return true;
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.2e18) {
      out = static_cast<std::int64_t>(d);
      return true;
    }
  }
  return false;
}

void Reader::missing(std::string_view key) const {
  sink_.schema(pointer_, fmt::format("The field '{}' is required but was missing", key));
}

std::optional<std::string> Reader::string(std::string_view key, bool required) const {
  const json* v = find(key);
  if (v == nullptr) {
    if (required) missing(key);
    return std::nullopt;
  }
  if (!v->is_string()) {
    sink_.schema(pointer_of(key), fmt::format("The field '{}' must be a string, but was {}", key,
                                              json_type_name(*v)));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> Reader::boolean(std::string_view key) const {
  const json* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    sink_.schema(pointer_of(key), fmt::format("The field '{}' must be a boolean, but was {}", key,
                                              json_type_name(*v)));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> Reader::integer(std::string_view key, std::int64_t min,
                                            std::int64_t max) const {
  const json* v = find(key);
  if (v == nullptr) return std::nullopt;
  std::int64_t n = 0;
  if (!integral_value(*v, n)) {
    sink_.schema(pointer_of(key),
                 fmt::format("The field '{}' must be an integer, but was {}", key,
                             v->is_number() ? v->dump() : std::string(json_type_name(*v))));
    return std::nullopt;
  }
  if (n < min || n > max) {
    sink_.schema(
        pointer_of(key),
        fmt::format("The field '{}' must be between {} and {}, but was {}", key, min, max, n));
    return std::nullopt;
  }
  return n;
}

std::optional<double> Reader::number(std::string_view key, double min, double max) const {
  const json* v = find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    sink_.schema(pointer_of(key), fmt::format("The field '{}' must be a number, but was {}", key,
                                              json_type_name(*v)));
    return std::nullopt;
  }
  double d = v->get<double>();
  if (!(d >= min && d <= max)) {
    sink_.schema(pointer_of(key),
                 fmt::format("The field '{}' must be between {} and {}, but was {}", key, min, max,
                             v->dump()));
    return std::nullopt;
  }
  return d;
}

const json* Reader::object_field(std::string_view key, bool required) const {
  const json* v = find(key);
  if (v == nullptr) {
    if (required) missing(key);
    return nullptr;
  }
  if (!v->is_object()) {
    sink_.schema(pointer_of(key), fmt::format("The field '{}' must be an object, but was {}", key,
                                              json_type_name(*v)));
    return nullptr;
  }
  return v;
}

const json* Reader::array_field(std::string_view key, bool required, bool non_empty) const {
  const json* v = find(key);
  if (v == nullptr) {
    if (required) missing(key);
    return nullptr;
  }
  if (!v->is_array()) {
    sink_.schema(pointer_of(key), fmt::format("The field '{}' must be an array, but was {}", key,
                                              json_type_name(*v)));
    return nullptr;
  }
  if (non_empty && v->empty()) {
    sink_.schema(pointer_of(key), "Value cannot be empty");
    return nullptr;
  }
  return v;
}

}  // namespace stepwise::internal
