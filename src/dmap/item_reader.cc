// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The streaming item readers (see item_reader.h).
#include "dmap/item_reader.h"

#include <array>
#include <set>

#include <fmt/format.h>

#include "util/json_limits.h"

namespace stepwise::internal {

using nlohmann::json;

namespace {

// One item (a JSON Lines line, a JSON array element, a CSV row) may be at most 8 MB, as on
// AWS; a longer one ends the read instead of growing memory without bound.
constexpr std::size_t kMaxItemBytes = 8 * 1024 * 1024;

// Buffered bytes of one object, with the offset of the next byte.
class ByteSource {
 public:
  ByteSource(std::unique_ptr<ObjectReader> reader, std::uint64_t offset)
      : reader_(std::move(reader)), offset_(offset) {}
  // The next byte, or -1 at the end (check `status()`). A NUL byte is an error: the object
  // is not text.
  int get() {
    if (pos_ == len_ && !fill()) return -1;
    char c = buf_[pos_++];
    if (c == '\0') {
      status_ = invalid_argument_error(fmt::format(
          "The object is not a text file: it contains a NUL byte at offset {}.", offset_));
      pos_ = len_ = 0;
      eof_ = true;
      return -1;
    }
    ++offset_;
    return static_cast<unsigned char>(c);
  }
  int peek() {
    if (pos_ == len_ && !fill()) return -1;
    if (buf_[pos_] == '\0') return get();
    return static_cast<unsigned char>(buf_[pos_]);
  }
  std::uint64_t offset() const { return offset_; }
  const Status& status() const { return status_; }

 private:
  bool fill() {
    if (eof_) return false;
    Result<std::size_t> n = reader_->read(buf_.data(), buf_.size());
    if (!n.ok()) {
      status_ = n.status();
      eof_ = true;
      return false;
    }
    pos_ = 0;
    len_ = *n;
    if (len_ == 0) eof_ = true;
    return len_ > 0;
  }
  std::unique_ptr<ObjectReader> reader_;
  std::array<char, 64 * 1024> buf_{};
  std::size_t pos_ = 0, len_ = 0;
  std::uint64_t offset_ = 0;
  bool eof_ = false;
  Status status_;
};

Result<std::unique_ptr<ByteSource>> open_source(ObjectStore& store, const std::string& bucket,
                                                const std::string& key, std::uint64_t offset) {
  Result<std::unique_ptr<ObjectReader>> r = store.get_object(bucket, key, offset);
  if (!r.ok()) return r.status();
  return std::make_unique<ByteSource>(std::move(r).value(), offset);
}

Status too_long(std::uint64_t offset) {
  return invalid_argument_error(
      fmt::format("The item at offset {} is larger than the 8 MB item limit.", offset));
}

// --- JSON Lines ---

class JsonLinesStream final : public ItemStream {
 public:
  JsonLinesStream(ObjectStore& store, ItemReaderConfig config)
      : store_(store), config_(std::move(config)) {}
  Status open(std::uint64_t offset) {
    auto s = open_source(store_, config_.bucket, config_.key, offset);
    if (!s.ok()) return s.status();
    src_ = std::move(s).value();
    return {};
  }
  Result<bool> next(json& item) override {
    for (;;) {
      std::uint64_t start = src_->offset();
      line_.clear();
      int c;
      bool any = false;
      while ((c = src_->get()) >= 0 && c != '\n') {
        any = true;
        if (line_.size() >= kMaxItemBytes) return too_long(start);
        line_.push_back(static_cast<char>(c));
      }
      if (!src_->status().ok()) return src_->status();
      if (!any && c < 0) return false;
      ++line_no_;
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      if (line_.find_first_not_of(" \t") == std::string::npos) {
        if (c < 0) return false;
        continue;  // blank lines are not items
      }
      if (text_depth_exceeds(line_, kDefaultMaxPayloadDepth)) {
        return invalid_argument_error(fmt::format(
            "Failed to parse JSONL: line {} (offset {}) of {}/{} is nested deeper than the "
            "maximum of {} levels.",
            line_no_, start, config_.bucket, config_.key, kDefaultMaxPayloadDepth));
      }
      json v = json::parse(line_, nullptr, /*allow_exceptions=*/false);
      if (v.is_discarded()) {
        return invalid_argument_error(
            fmt::format("Failed to parse JSONL: line {} (offset {}) of {}/{} is not valid JSON.",
                        line_no_, start, config_.bucket, config_.key));
      }
      item = std::move(v);
      return true;
    }
  }
  json position() const override { return {{"o", src_->offset()}, {"l", line_no_}}; }
  Status seek(const json& p) override {
    line_no_ = p.value("l", std::uint64_t{0});
    return open(p.value("o", std::uint64_t{0}));
  }

 private:
  ObjectStore& store_;
  ItemReaderConfig config_;
  std::unique_ptr<ByteSource> src_;
  std::string line_;
  std::uint64_t line_no_ = 0;
};

// --- JSON array (incremental tokenizer) ---

class JsonArrayStream final : public ItemStream {
 public:
  JsonArrayStream(ObjectStore& store, ItemReaderConfig config)
      : store_(store), config_(std::move(config)) {}
  // Opens at the start and consumes the opening bracket.
  Status open_start() {
    auto s = open_source(store_, config_.bucket, config_.key, 0);
    if (!s.ok()) return s.status();
    src_ = std::move(s).value();
    skip_ws();
    int c = src_->get();
    if (c != '[') {
      if (!src_->status().ok()) return src_->status();
      return invalid_argument_error(
          fmt::format("Failed to parse JSON: {}/{} does not hold a JSON array{}.", config_.bucket,
                      config_.key, c < 0 ? " (it is empty)" : ""));
    }
    first_ = true;
    return {};
  }
  Result<bool> next(json& item) override {
    if (done_) return false;
    skip_ws();
    int c = src_->peek();
    if (c == ']') {
      src_->get();
      done_ = true;
      skip_ws();
      if (src_->peek() >= 0) return error("unexpected data after the closing bracket");
      return false;
    }
    if (!first_) {
      if (c != ',') return c < 0 ? error("the array is not closed") : error("expected ',' or ']'");
      src_->get();
      skip_ws();
    }
    std::uint64_t start = src_->offset();
    text_.clear();
    int depth = 0;
    bool in_string = false, escape = false;
    for (;;) {
      c = src_->peek();
      if (c < 0) {
        if (!src_->status().ok()) return src_->status();
        return error("the array is not closed");
      }
      if (!in_string && depth == 0 && !text_.empty() &&
          (c == ',' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
        break;
      }
      src_->get();
      if (text_.size() >= kMaxItemBytes) return too_long(start);
      text_.push_back(static_cast<char>(c));
      if (in_string) {
        if (escape) {
          escape = false;
        } else if (c == '\\') {
          escape = true;
        } else if (c == '"') {
          in_string = false;
          if (depth == 0) break;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '[' || c == '{') {
        ++depth;
      } else if (c == ']' || c == '}') {
        if (--depth < 0) return error("unbalanced brackets");
        if (depth == 0) break;
      }
    }
    if (text_depth_exceeds(text_, kDefaultMaxPayloadDepth)) {
      return invalid_argument_error(fmt::format(
          "Failed to parse JSON: the array element at offset {} of {}/{} is nested deeper than "
          "the maximum of {} levels.",
          start, config_.bucket, config_.key, kDefaultMaxPayloadDepth));
    }
    json v = json::parse(text_, nullptr, /*allow_exceptions=*/false);
    if (v.is_discarded()) {
      return invalid_argument_error(fmt::format(
          "Failed to parse JSON: the array element at offset {} of {}/{} is not valid JSON.", start,
          config_.bucket, config_.key));
    }
    first_ = false;
    item = std::move(v);
    return true;
  }
  json position() const override { return {{"o", src_->offset()}, {"first", first_}}; }
  Status seek(const json& p) override {
    auto s = open_source(store_, config_.bucket, config_.key, p.value("o", std::uint64_t{0}));
    if (!s.ok()) return s.status();
    src_ = std::move(s).value();
    first_ = p.value("first", true);
    return {};
  }

 private:
  void skip_ws() {
    for (int c = src_->peek(); c == ' ' || c == '\n' || c == '\r' || c == '\t'; c = src_->peek()) {
      src_->get();
    }
  }
  Status error(std::string_view what) {
    return invalid_argument_error(fmt::format("Failed to parse JSON: {} at offset {} of {}/{}.",
                                              what, src_->offset(), config_.bucket, config_.key));
  }
  ObjectStore& store_;
  ItemReaderConfig config_;
  std::unique_ptr<ByteSource> src_;
  std::string text_;
  bool first_ = true, done_ = false;
};

// --- CSV (RFC 4180 quoting, as AWS parses it: quoted fields may hold delimiters, newlines
// and doubled quotes) ---

// Reads one record into `fields`; false at the end of the object. `max` bounds the record.
Result<bool> read_csv_record(ByteSource& src, char delim, std::vector<std::string>& fields) {
  fields.clear();
  int c = src.peek();
  if (c < 0) {
    if (!src.status().ok()) return src.status();
    return false;
  }
  std::size_t bytes = 0;
  std::uint64_t start = src.offset();
  std::string field;
  for (;;) {
    field.clear();
    c = src.peek();
    if (c == '"') {
      src.get();
      for (;;) {
        c = src.get();
        if (c < 0) {
          if (!src.status().ok()) return src.status();
          return invalid_argument_error(
              fmt::format("CSV: the quoted field that starts at offset {} is not closed.", start));
        }
        if (c == '"') {
          if (src.peek() == '"') {
            src.get();
            field.push_back('"');
            continue;
          }
          break;
        }
        field.push_back(static_cast<char>(c));
        if (++bytes > kMaxItemBytes) return too_long(start);
      }
      // Anything after the closing quote up to the delimiter is kept, as lenient parsers do.
      for (c = src.peek(); c >= 0 && c != delim && c != '\n' && c != '\r'; c = src.peek()) {
        field.push_back(static_cast<char>(src.get()));
      }
    } else {
      for (c = src.peek(); c >= 0 && c != delim && c != '\n' && c != '\r'; c = src.peek()) {
        field.push_back(static_cast<char>(src.get()));
        if (++bytes > kMaxItemBytes) return too_long(start);
      }
    }
    if (!src.status().ok()) return src.status();
    fields.push_back(field);
    c = src.get();
    if (c == delim) continue;
    if (c == '\r' && src.peek() == '\n') src.get();
    if (!src.status().ok()) return src.status();
    return true;
  }
}

Status check_headers(const std::vector<std::string>& headers) {
  std::set<std::string> seen;
  for (const std::string& h : headers) {
    if (!seen.insert(h).second) {
      return invalid_argument_error("CSV headers cannot contain duplicates.");
    }
  }
  return {};
}

class CsvStream final : public ItemStream {
 public:
  CsvStream(ObjectStore& store, std::string bucket, std::string key, char delim,
            std::vector<std::string> headers, bool header_row)
      : store_(store),
        bucket_(std::move(bucket)),
        key_(std::move(key)),
        delim_(delim),
        headers_(std::move(headers)),
        header_row_(header_row) {}
  Status open(std::uint64_t offset, std::uint64_t row) {
    row_ = row;
    if (header_row_) {
      // The header row is read again on every open (also when resuming at an offset).
      auto s = open_source(store_, bucket_, key_, 0);
      if (!s.ok()) return s.status();
      Result<bool> got = read_csv_record(**s, delim_, headers_);
      if (!got.ok()) return got.status();
      if (!*got) headers_.clear();  // an empty object: no items
      Status st = check_headers(headers_);
      if (!st.ok()) return st;
      if (offset == 0) {
        src_ = std::move(s).value();
        return {};
      }
    }
    auto s = open_source(store_, bucket_, key_, offset);
    if (!s.ok()) return s.status();
    src_ = std::move(s).value();
    return {};
  }
  Result<bool> next(json& item) override {
    for (;;) {
      Result<bool> got = read_csv_record(*src_, delim_, fields_);
      if (!got.ok()) return got.status();
      if (!*got) return false;
      ++row_;
      if (fields_.size() == 1 && fields_[0].empty()) continue;  // blank line
      if (fields_.size() != headers_.size()) {
        return invalid_argument_error(fmt::format(
            "CSV row {} of {}/{} has {} fields, but there are {} headers.",
            row_ + (header_row_ ? 1 : 0), bucket_, key_, fields_.size(), headers_.size()));
      }
      item = json::object();
      for (std::size_t i = 0; i < fields_.size(); ++i) item[headers_[i]] = std::move(fields_[i]);
      return true;
    }
  }
  json position() const override { return {{"o", src_->offset()}, {"r", row_}}; }
  Status seek(const json& p) override {
    return open(p.value("o", std::uint64_t{0}), p.value("r", std::uint64_t{0}));
  }

 private:
  ObjectStore& store_;
  std::string bucket_, key_;
  char delim_;
  std::vector<std::string> headers_;
  bool header_row_;
  std::unique_ptr<ByteSource> src_;
  std::vector<std::string> fields_;
  std::uint64_t row_ = 0;
};

// --- listObjectsV2 ---

class ListStream final : public ItemStream {
 public:
  ListStream(ObjectStore& store, ItemReaderConfig config)
      : store_(store), config_(std::move(config)) {}
  Result<bool> next(json& item) override {
    if (pos_ == page_.size()) {
      if (exhausted_) return false;
      auto page = store_.list_objects(config_.bucket, config_.prefix, after_, kPage);
      if (!page.ok()) return page.status();
      page_ = std::move(page).value();
      pos_ = 0;
      if (page_.size() < kPage) exhausted_ = true;
      if (page_.empty()) return false;
    }
    ObjectInfo& o = page_[pos_++];
    after_ = o.key;
    item = {{"Etag", o.etag},
            {"Key", o.key},
            {"LastModified", o.last_modified},
            {"Size", o.size},
            {"StorageClass", o.storage_class}};
    return true;
  }
  json position() const override { return {{"k", after_}}; }
  Status seek(const json& p) override {
    after_ = p.value("k", std::string());
    page_.clear();
    pos_ = 0;
    exhausted_ = false;
    return {};
  }

 private:
  static constexpr std::size_t kPage = 1000;
  ObjectStore& store_;
  ItemReaderConfig config_;
  std::vector<ObjectInfo> page_;
  std::size_t pos_ = 0;
  std::string after_;
  bool exhausted_ = false;
};

// --- S3 inventory manifest: manifest.json names CSV files whose rows are the items, with
// the columns of `fileSchema`. ---

class ManifestStream final : public ItemStream {
 public:
  ManifestStream(ObjectStore& store, ItemReaderConfig config)
      : store_(store), config_(std::move(config)) {}
  Status load() {
    auto s = open_source(store_, config_.bucket, config_.key, 0);
    if (!s.ok()) return s.status();
    std::string text;
    for (int c = (*s)->get(); c >= 0; c = (*s)->get()) {
      if (text.size() >= kMaxItemBytes) return too_long(0);
      text.push_back(static_cast<char>(c));
    }
    if (!(*s)->status().ok()) return (*s)->status();
    json m = text_depth_exceeds(text, kDefaultMaxPayloadDepth) ? json(json::value_t::discarded)
                                                               : json::parse(text, nullptr, false);
    auto bad = [&](std::string_view why) {
      return invalid_argument_error(
          fmt::format("The manifest {}/{} is not an S3 inventory manifest: {}.", config_.bucket,
                      config_.key, why));
    };
    if (!m.is_object()) return bad("not a JSON object");
    if (m.value("fileFormat", "") != "CSV") return bad("fileFormat must be \"CSV\"");
    if (!m.contains("files") || !m["files"].is_array()) return bad("no \"files\" array");
    if (!m.contains("fileSchema") || !m["fileSchema"].is_string()) return bad("no \"fileSchema\"");
    std::string dest = m.value("destinationBucket", config_.bucket);
    if (auto p = dest.find(":::"); p != std::string::npos) dest = dest.substr(p + 3);
    dest_bucket_ = dest;
    std::string schema = m["fileSchema"].get<std::string>();
    for (std::size_t b = 0; b <= schema.size();) {
      std::size_t e = schema.find(',', b);
      if (e == std::string::npos) e = schema.size();
      std::string col = schema.substr(b, e - b);
      auto l = col.find_first_not_of(' '), r = col.find_last_not_of(' ');
      columns_.push_back(l == std::string::npos ? "" : col.substr(l, r - l + 1));
      b = e + 1;
    }
    for (const json& f : m["files"]) {
      if (!f.is_object() || !f.contains("key") || !f["key"].is_string()) {
        return bad("an entry of \"files\" has no \"key\"");
      }
      files_.push_back(f["key"].get<std::string>());
    }
    return {};
  }
  Result<bool> next(json& item) override {
    for (;;) {
      if (!csv_) {
        if (file_ >= files_.size()) return false;
        const std::string& key = files_[file_];
        if (key.size() > 3 && key.compare(key.size() - 3, 3, ".gz") == 0) {
          return invalid_argument_error(fmt::format(
              "The inventory file {}/{} is compressed; only uncompressed CSV inventory files "
              "are supported locally.",
              dest_bucket_, key));
        }
        auto c = std::make_unique<CsvStream>(store_, dest_bucket_, key, ',', columns_, false);
        Status st = c->open(offset_, row_);
        if (!st.ok()) {
          if (st.code() == StatusCode::kNotFound) {
            return not_found_error(
                fmt::format("The manifest {}/{} names an object that does not exist: {}/{}.",
                            config_.bucket, config_.key, dest_bucket_, key));
          }
          return st;
        }
        csv_ = std::move(c);
      }
      Result<bool> got = csv_->next(item);
      if (!got.ok()) return got.status();
      if (*got) return true;
      csv_.reset();
      ++file_;
      offset_ = row_ = 0;
    }
  }
  json position() const override {
    json p = {{"f", file_}, {"o", 0}, {"r", 0}};
    if (csv_) {
      json c = csv_->position();
      p["o"] = c["o"];
      p["r"] = c["r"];
    }
    return p;
  }
  Status seek(const json& p) override {
    csv_.reset();
    file_ = p.value("f", std::size_t{0});
    offset_ = p.value("o", std::uint64_t{0});
    row_ = p.value("r", std::uint64_t{0});
    return {};
  }

 private:
  ObjectStore& store_;
  ItemReaderConfig config_;
  std::string dest_bucket_;
  std::vector<std::string> columns_, files_;
  std::size_t file_ = 0;
  std::uint64_t offset_ = 0, row_ = 0;
  std::unique_ptr<CsvStream> csv_;
};

class ArrayStream final : public ItemStream {
 public:
  explicit ArrayStream(json items) : items_(std::move(items)) {}
  Result<bool> next(json& item) override {
    if (i_ >= items_.size()) return false;
    item = std::move(items_[i_++]);
    return true;
  }
  json position() const override { return {{"i", i_}}; }
  Status seek(const json& p) override {
    i_ = p.value("i", std::size_t{0});
    return {};
  }

 private:
  json items_;
  std::size_t i_ = 0;
};

}  // namespace

Result<ItemReaderConfig> parse_item_reader_config(const std::string& resource,
                                                  const json& reader_config,
                                                  const json& parameters) {
  ItemReaderConfig c;
  auto bad = [](std::string m) { return invalid_argument_error(std::move(m)); };
  auto ends_with = [&](std::string_view suffix) {
    return resource.size() >= suffix.size() &&
           resource.compare(resource.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(":s3:getObject")) {
    c.source = ItemReaderConfig::Source::kGetObject;
  } else if (ends_with(":s3:listObjectsV2")) {
    c.source = ItemReaderConfig::Source::kListObjects;
  } else {
    return bad(fmt::format("The ItemReader resource {} is not supported.", resource));
  }
  if (!parameters.is_object()) return bad("The ItemReader parameters must be an object.");
  auto str = [&](const char* k) -> std::string {
    auto it = parameters.find(k);
    return it != parameters.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  c.bucket = str("Bucket");
  c.key = str("Key");
  c.prefix = str("Prefix");
  if (c.bucket.empty()) return bad("The ItemReader parameters have no Bucket.");
  if (c.source == ItemReaderConfig::Source::kGetObject && c.key.empty()) {
    return bad("The ItemReader parameters have no Key.");
  }
  const json cfg = reader_config.is_object() ? reader_config : json::object();
  std::string type = cfg.value("InputType", "");
  if (type == "JSON") {
    c.input_type = ItemReaderConfig::InputType::kJson;
  } else if (type == "JSONL") {
    c.input_type = ItemReaderConfig::InputType::kJsonl;
  } else if (type == "CSV") {
    c.input_type = ItemReaderConfig::InputType::kCsv;
  } else if (type == "MANIFEST" || cfg.value("ManifestType", "") == "S3_INVENTORY") {
    c.input_type = ItemReaderConfig::InputType::kManifest;
  } else if (type.empty()) {
    if (c.source == ItemReaderConfig::Source::kGetObject) {
      return bad("ReaderConfig.InputType is required to read an object.");
    }
  } else {
    return bad(fmt::format("ReaderConfig.InputType {} is not supported.", type));
  }
  if (c.source == ItemReaderConfig::Source::kListObjects &&
      c.input_type != ItemReaderConfig::InputType::kNone) {
    return bad("Reading the listed objects (Transformation LOAD_AND_FLATTEN) is not supported.");
  }
  std::string delim = cfg.value("CSVDelimiter", "COMMA");
  static const std::pair<const char*, char> kDelims[] = {
      {"COMMA", ','}, {"PIPE", '|'}, {"SEMICOLON", ';'}, {"SPACE", ' '}, {"TAB", '\t'}};
  bool found = false;
  for (const auto& [name, ch] : kDelims) {
    if (delim == name) {
      c.delimiter = ch;
      found = true;
    }
  }
  if (!found) return bad(fmt::format("CSVDelimiter {} is not supported.", delim));
  if (c.input_type == ItemReaderConfig::InputType::kCsv) {
    std::string loc = cfg.value("CSVHeaderLocation", "FIRST_ROW");
    if (loc == "GIVEN") {
      c.headers_given = true;
      if (!cfg.contains("CSVHeaders") || !cfg["CSVHeaders"].is_array() ||
          cfg["CSVHeaders"].empty()) {
        return bad(
            "CSVHeaders must be a non-empty array of strings when CSVHeaderLocation is "
            "GIVEN.");
      }
      for (const json& h : cfg["CSVHeaders"]) {
        if (!h.is_string()) return bad("CSVHeaders must be strings.");
        c.headers.push_back(h.get<std::string>());
      }
      Status st = check_headers(c.headers);
      if (!st.ok()) return st;
    } else if (loc != "FIRST_ROW") {
      return bad(fmt::format("CSVHeaderLocation {} is not supported.", loc));
    }
  }
  return c;
}

Result<std::unique_ptr<ItemStream>> open_item_stream(ObjectStore& store,
                                                     const ItemReaderConfig& config) {
  using IT = ItemReaderConfig::InputType;
  if (config.source == ItemReaderConfig::Source::kListObjects) {
    // A missing bucket fails now rather than at the first item.
    auto probe = store.list_objects(config.bucket, config.prefix, "", 1);
    if (!probe.ok()) return probe.status();
    return std::unique_ptr<ItemStream>(std::make_unique<ListStream>(store, config));
  }
  switch (config.input_type) {
    case IT::kJsonl: {
      auto s = std::make_unique<JsonLinesStream>(store, config);
      Status st = s->open(0);
      if (!st.ok()) return st;
      return std::unique_ptr<ItemStream>(std::move(s));
    }
    case IT::kJson: {
      auto s = std::make_unique<JsonArrayStream>(store, config);
      Status st = s->open_start();
      if (!st.ok()) return st;
      return std::unique_ptr<ItemStream>(std::move(s));
    }
    case IT::kCsv: {
      auto s = std::make_unique<CsvStream>(store, config.bucket, config.key, config.delimiter,
                                           config.headers, !config.headers_given);
      Status st = s->open(0, 0);
      if (!st.ok()) return st;
      return std::unique_ptr<ItemStream>(std::move(s));
    }
    case IT::kManifest: {
      auto s = std::make_unique<ManifestStream>(store, config);
      Status st = s->load();
      if (!st.ok()) return st;
      return std::unique_ptr<ItemStream>(std::move(s));
    }
    case IT::kNone:
      break;
  }
  return invalid_argument_error("ReaderConfig.InputType is required to read an object.");
}

std::unique_ptr<ItemStream> array_item_stream(json items) {
  return std::make_unique<ArrayStream>(std::move(items));
}

}  // namespace stepwise::internal
