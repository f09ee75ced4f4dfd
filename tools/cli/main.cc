// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The `stepwise` command-line tool (placeholder until the loader lands).
#include <iostream>

int main() {
  std::cout << "stepwise\n";
  return 0;
}
