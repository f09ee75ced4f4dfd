// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A host that embeds the API server as an outside project would (stepwise::server): it serves
// on a free loopback port and answers an API call without HTTP. Exits 0 when both work.
#include <iostream>

#include "stepwise/server.h"

int main() {
  stepwise::ServerOptions options;
  options.port = 0;
  auto server = stepwise::Server::create(std::move(options));
  if (!server.ok()) {
    std::cerr << server.status().message() << "\n";
    return 1;
  }
  if (!(*server)->start().ok() || (*server)->port() == 0) return 1;
  auto [status, answer] = (*server)->call("ListStateMachines", nlohmann::json::object());
  (*server)->stop();
  if (status != 200 || !answer.contains("stateMachines")) return 1;
  std::cout << "server consumer: OK on port " << (*server)->port() << "\n";
  return 0;
}
