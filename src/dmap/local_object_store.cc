// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `LocalObjectStore`: buckets are directories, keys are relative paths. Reads are buffered
// `std::FILE` streams opened at an offset; puts write a temporary sibling file and rename it
// into place (rename is atomic within one file system), so no reader ever sees a partial
// object under its key.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "stepwise/local_object_store.h"

namespace stepwise {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTempMarker = ".stepwise-tmp-";

std::atomic<std::uint64_t> temp_counter{0};

class FileReader final : public ObjectReader {
 public:
  explicit FileReader(std::FILE* f) : f_(f) {}
  ~FileReader() override { std::fclose(f_); }
  Result<std::size_t> read(char* buffer, std::size_t n) override {
    std::size_t got = std::fread(buffer, 1, n, f_);
    if (got < n && std::ferror(f_)) return unavailable_error(std::strerror(errno));
    return got;
  }

 private:
  std::FILE* f_;
};

class FileWriter final : public ObjectWriter {
 public:
  FileWriter(std::FILE* f, fs::path temp, fs::path target)
      : f_(f), temp_(std::move(temp)), target_(std::move(target)) {}
  ~FileWriter() override {
    if (f_ != nullptr) std::fclose(f_);
    if (!committed_) {
      std::error_code ec;
      fs::remove(temp_, ec);
    }
  }
  Status write(std::string_view data) override {
    if (f_ == nullptr) return failed_precondition_error("the object is already committed");
    if (std::fwrite(data.data(), 1, data.size(), f_) != data.size()) {
      return unavailable_error(
          fmt::format("cannot write {}: {}", temp_.string(), std::strerror(errno)));
    }
    size_ += data.size();
    return {};
  }
  Status commit() override {
    if (f_ == nullptr) return failed_precondition_error("the object is already committed");
    bool ok = std::fflush(f_) == 0;
    ok = std::fclose(f_) == 0 && ok;
    f_ = nullptr;
    if (!ok) return unavailable_error(fmt::format("cannot write {}", temp_.string()));
    std::error_code ec;
    fs::rename(temp_, target_, ec);
    if (ec)
      return unavailable_error(fmt::format("cannot rename {} to {}: {}", temp_.string(),
                                           target_.string(), ec.message()));
    committed_ = true;
    return {};
  }
  std::uint64_t size() const override { return size_; }

 private:
  std::FILE* f_;
  fs::path temp_, target_;
  std::uint64_t size_ = 0;
  bool committed_ = false;
};

std::string pseudo_etag(std::uint64_t size, std::int64_t mtime_ns) {
  // FNV-1a over (size, mtime), twice with different seeds: 32 hex digits like an MD5.
  auto fnv = [](std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
    std::uint64_t h = seed;
    for (std::uint64_t v : {a, b}) {
      for (int i = 0; i < 8; ++i) {
        h ^= (v >> (i * 8)) & 0xff;
        h *= 1099511628211ULL;
      }
    }
    return h;
  };
  auto m = static_cast<std::uint64_t>(mtime_ns);
  return fmt::format("\"{:016x}{:016x}\"", fnv(14695981039346656037ULL, size, m),
                     fnv(1099511628211ULL * 31, m, size));
}

}  // namespace

Result<fs::path> LocalObjectStore::resolve(std::string_view bucket, std::string_view key) const {
  auto it = buckets_.find(std::string(bucket));
  if (it == buckets_.end()) {
    return not_found_error(fmt::format("The specified bucket does not exist: {}", bucket));
  }
  fs::path rel(std::string(key), fs::path::generic_format);
  for (const fs::path& part : rel) {
    if (part == "..") return invalid_argument_error(fmt::format("Invalid key: {}", key));
  }
  if (rel.is_absolute()) return invalid_argument_error(fmt::format("Invalid key: {}", key));
  return it->second / rel;
}

Result<std::unique_ptr<ObjectReader>> LocalObjectStore::get_object(std::string_view bucket,
                                                                   std::string_view key,
                                                                   std::uint64_t offset) {
  Result<fs::path> path = resolve(bucket, key);
  if (!path.ok()) return path.status();
  std::error_code ec;
  if (key.empty() || !fs::is_regular_file(*path, ec)) {
    return not_found_error(
        fmt::format("The specified key does not exist. (Bucket: {}, Key: {})", bucket, key));
  }
  std::FILE* f = std::fopen(path->c_str(), "rb");
  if (f == nullptr) {
    return unavailable_error(
        fmt::format("cannot open {}/{}: {}", bucket, key, std::strerror(errno)));
  }
  if (offset > 0 && std::fseek(f, static_cast<long>(offset), SEEK_SET) != 0) {
    std::fclose(f);
    return unavailable_error(fmt::format("cannot seek {}/{}", bucket, key));
  }
  return std::unique_ptr<ObjectReader>(std::make_unique<FileReader>(f));
}

Result<std::vector<ObjectInfo>> LocalObjectStore::list_objects(std::string_view bucket,
                                                               std::string_view prefix,
                                                               std::string_view start_after,
                                                               std::size_t max_keys) {
  auto it = buckets_.find(std::string(bucket));
  if (it == buckets_.end()) {
    return not_found_error(fmt::format("The specified bucket does not exist: {}", bucket));
  }
  std::vector<ObjectInfo> out;
  std::error_code ec;
  if (!fs::is_directory(it->second, ec)) return out;
  // Keep the `max_keys` smallest keys after `start_after` (a bounded max-heap by key).
  auto cmp = [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; };
  for (fs::recursive_directory_iterator d(it->second, ec), end; !ec && d != end; d.increment(ec)) {
    if (!d->is_regular_file(ec)) continue;
    std::string key = d->path().lexically_relative(it->second).generic_string();
    if (key.find(kTempMarker) != std::string::npos) continue;
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    if (!start_after.empty() && key <= start_after) continue;
    if (out.size() == max_keys && !(key < out.front().key)) continue;
    ObjectInfo info;
    info.key = std::move(key);
    info.size = d->file_size(ec);
    auto mtime = d->last_write_time(ec);
    auto sys = std::chrono::file_clock::to_sys(mtime);
    std::int64_t ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(sys.time_since_epoch()).count();
    info.last_modified = ns / 1000000000;
    info.etag = pseudo_etag(info.size, ns);
    out.push_back(std::move(info));
    std::push_heap(out.begin(), out.end(), cmp);
    if (out.size() > max_keys) {
      std::pop_heap(out.begin(), out.end(), cmp);
      out.pop_back();
    }
  }
  if (ec) return unavailable_error(fmt::format("cannot list bucket {}: {}", bucket, ec.message()));
  std::sort_heap(out.begin(), out.end(), cmp);
  return out;
}

Result<std::unique_ptr<ObjectWriter>> LocalObjectStore::put_object(std::string_view bucket,
                                                                   std::string_view key) {
  Result<fs::path> path = resolve(bucket, key);
  if (!path.ok()) return path.status();
  if (key.empty()) return invalid_argument_error("Invalid key: (empty)");
  std::error_code ec;
  fs::create_directories(path->parent_path(), ec);
  if (ec) {
    return unavailable_error(
        fmt::format("cannot create {}: {}", path->parent_path().string(), ec.message()));
  }
  fs::path temp = *path;
  temp += std::string(kTempMarker) + std::to_string(++temp_counter);
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (f == nullptr) {
    return unavailable_error(
        fmt::format("cannot write {}/{}: {}", bucket, key, std::strerror(errno)));
  }
  return std::unique_ptr<ObjectWriter>(std::make_unique<FileWriter>(f, std::move(temp), *path));
}

}  // namespace stepwise
