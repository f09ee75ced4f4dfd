// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `TempDir`: a fresh directory under the test temporary directory, removed with its contents
// when the object is destroyed.
#ifndef STEPWISE_TESTS_SUPPORT_TEMP_DIR_H_
#define STEPWISE_TESTS_SUPPORT_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

#include <gtest/gtest.h>

namespace stepwise::testing_support {

// Not thread-safe: use from one thread at a time.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "stepwise-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << tmpl;
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    // Restore write permission first, in case a test took it away.
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` inside the directory.
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace stepwise::testing_support

#endif  // STEPWISE_TESTS_SUPPORT_TEMP_DIR_H_
