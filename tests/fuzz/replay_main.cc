// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A `main` for fuzz targets built without libFuzzer: runs `LLVMFuzzerTestOneInput` once on
// every file named on the command line, and on every file in each directory named, so
// `scripts/test` replays the kept corpora in the normal build. Exits 1 when an argument cannot
// be read; a crash in the target crashes the replay.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool replay_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return false;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        ok &= replay_file(f);
        ++count;
      }
    } else {
      ok &= replay_file(arg);
      ++count;
    }
  }
  std::cout << "replayed " << count << " input(s)\n";
  return ok ? 0 : 1;
}
