// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The errors of the Step Functions API as the server answers them: AWS's exception name
// (`__type`), its message, and the HTTP status. Action handlers throw `ApiError`; the dispatcher
// turns it into the JSON answer, so a handler can stop at the first problem it finds.
#ifndef STEPWISE_SERVER_API_ERROR_H_
#define STEPWISE_SERVER_API_ERROR_H_

#include <stdexcept>
#include <string>
#include <utility>

namespace stepwise::internal {

class ApiError : public std::runtime_error {
 public:
  ApiError(std::string type, std::string message, int http_status = 400)
      : std::runtime_error(message), type_(std::move(type)), http_status_(http_status) {}
  const std::string& type() const { return type_; }
  int http_status() const { return http_status_; }

 private:
  std::string type_;
  int http_status_;
};

// AWS's "1 validation error detected: ..." for a field that breaks its constraint.
inline ApiError validation_error(const std::string& field, const std::string& constraint) {
  return ApiError("ValidationException", "1 validation error detected: Value at '" + field +
                                             "' failed to satisfy constraint: " + constraint);
}

// A required member that is absent.
inline ApiError missing_member(const std::string& field) {
  return ApiError("ValidationException", "1 validation error detected: Value null at '" + field +
                                             "' failed to satisfy constraint: Member must not be "
                                             "null");
}

}  // namespace stepwise::internal

#endif  // STEPWISE_SERVER_API_ERROR_H_
