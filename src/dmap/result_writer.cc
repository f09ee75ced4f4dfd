// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The ResultWriter files (see result_writer.h).
#include "dmap/result_writer.h"

#include <fmt/format.h>

namespace stepwise::internal {

using nlohmann::json;

namespace {
constexpr const char* kKindNames[] = {"SUCCEEDED", "FAILED", "PENDING"};
}

Result<ResultWriterConfig> parse_result_writer_config(const json& source, const json& parameters) {
  ResultWriterConfig c;
  auto bad = [](std::string m) { return invalid_argument_error(std::move(m)); };
  if (source.contains("WriterConfig")) {
    const json& w = source["WriterConfig"];
    std::string t = w.value("Transformation", "NONE");
    if (t == "NONE") {
      c.transformation = ResultWriterConfig::Transformation::kNone;
    } else if (t == "COMPACT") {
      c.transformation = ResultWriterConfig::Transformation::kCompact;
    } else if (t == "FLATTEN") {
      c.transformation = ResultWriterConfig::Transformation::kFlatten;
    } else {
      return bad(fmt::format("WriterConfig.Transformation {} is not supported.", t));
    }
    c.jsonl = w.value("OutputType", "JSON") == "JSONL";
  }
  if (source.contains("Resource")) {
    std::string r = source["Resource"].is_string() ? source["Resource"].get<std::string>() : "";
    if (r.size() < 14 || r.compare(r.size() - 14, 14, ":s3:putObject") != 0) {
      if (r.find(":s3:putObject") == std::string::npos) {
        return bad(fmt::format("The ResultWriter resource {} is not supported.", r));
      }
    }
    c.exports = true;
    if (!source.contains("WriterConfig")) {
      c.transformation = ResultWriterConfig::Transformation::kNone;
    }
    if (!parameters.is_object() || !parameters.contains("Bucket") ||
        !parameters["Bucket"].is_string()) {
      return bad("The ResultWriter parameters have no Bucket.");
    }
    c.bucket = parameters["Bucket"].get<std::string>();
    if (parameters.contains("Prefix") && parameters["Prefix"].is_string()) {
      c.prefix = parameters["Prefix"].get<std::string>();
    }
  }
  return c;
}

ResultFileWriter::ResultFileWriter(ObjectStore& store, ResultWriterConfig config,
                                   std::string map_run_arn, std::string run_id)
    : store_(store),
      config_(std::move(config)),
      map_run_arn_(std::move(map_run_arn)),
      run_id_(std::move(run_id)) {}

std::string ResultFileWriter::base() const {
  std::string p = config_.prefix;
  if (!p.empty() && p.back() != '/') p.push_back('/');
  return p + run_id_ + "/";
}

Status ResultFileWriter::roll(ResultKind kind) {
  Open& o = open_[static_cast<int>(kind)];
  if (o.writer) {
    if (!config_.jsonl) {
      Status st = o.writer->write("]");
      if (!st.ok()) return st;
    }
    Status st = o.writer->commit();
    if (!st.ok()) return st;
    files_[kKindNames[static_cast<int>(kind)]].push_back(
        {{"Key", o.key}, {"Size", o.writer->size()}});
    o.writer.reset();
  }
  return {};
}

Status ResultFileWriter::add(ResultKind kind, const json& record) {
  Open& o = open_[static_cast<int>(kind)];
  if (o.writer && o.writer->size() >= limit_) {
    Status st = roll(kind);
    if (!st.ok()) return st;
  }
  if (!o.writer) {
    o.key = fmt::format("{}{}_{}.json", base(), kKindNames[static_cast<int>(kind)], o.next_index++);
    auto w = store_.put_object(config_.bucket, o.key);
    if (!w.ok()) return w.status();
    o.writer = std::move(w).value();
    o.records = 0;
    if (!config_.jsonl) {
      Status st = o.writer->write("[");
      if (!st.ok()) return st;
    }
  }
  std::string text = record.dump();
  if (config_.jsonl) {
    text.push_back('\n');
  } else if (o.records > 0) {
    text.insert(text.begin(), ',');
  }
  ++o.records;
  return o.writer->write(text);
}

Result<json> ResultFileWriter::finish() {
  for (int k = 0; k < 3; ++k) {
    Status st = roll(static_cast<ResultKind>(k));
    if (!st.ok()) return st;
  }
  json manifest = {
      {"DestinationBucket", config_.bucket}, {"MapRunArn", map_run_arn_}, {"ResultFiles", files_}};
  std::string key = base() + "manifest.json";
  auto w = store_.put_object(config_.bucket, key);
  if (!w.ok()) return w.status();
  Status st = (*w)->write(manifest.dump());
  if (st.ok()) st = (*w)->commit();
  if (!st.ok()) return st;
  return json{{"MapRunArn", map_run_arn_},
              {"ResultWriterDetails", {{"Bucket", config_.bucket}, {"Key", key}}}};
}

}  // namespace stepwise::internal
