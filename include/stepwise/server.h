// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `stepwise::server`: the AWS Step Functions API (the JSON 1.0 protocol, `X-Amz-Target:
// AWSStepFunctions.<Action>`) over HTTP/1.1, on an engine of its own, so that boto3, the AWS
// SDKs and the AWS CLI work against it unchanged with `--endpoint-url` (docs/server.md). The
// server steps its engine on a thread of its own; HTTP requests never block that thread (long
// polls wait on condition variables).
//
//   stepwise::ServerOptions options;
//   options.port = 8083;
//   auto server = stepwise::Server::create(std::move(options));
//   if (!server.ok()) ...;
//   (*server)->start();  // serves until stop() or destruction
#ifndef STEPWISE_SERVER_H_
#define STEPWISE_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "stepwise/checkpoint.h"
#include "stepwise/clock.h"
#include "stepwise/export.h"
#include "stepwise/status.h"
#include "stepwise/task_executor.h"

namespace stepwise {

class MockConfig;

struct ServerOptions {
  // --- Listening ---
  // Address to listen on. Default: the loopback only.
  std::string host = "127.0.0.1";
  // TCP port; 0 picks a free one (see `Server::port`). Default: 8083.
  int port = 8083;
  // Threads answering requests: each open connection holds one (a keep-alive connection
  // until it has been idle for 5 s; a GetActivityTask long poll for up to 60 s), so this is
  // the most connections served at once; more wait. Default: 64.
  std::size_t threads = 64;

  // --- Identity ---
  std::string partition = "aws";
  std::string region = "us-east-1";
  std::string account = "123456789012";

  // --- Engine ---
  // Where executions, state machines and activities are kept. Default: in memory (nothing
  // survives the process). `make_server_store` opens one from a URL.
  std::shared_ptr<CheckpointStore> checkpoint_store;
  // Where the catalog (state machines, versions, aliases, activities, tags) is kept; the
  // SQLite store of `make_server_store` gives one in the same file. Default: in memory.
  std::shared_ptr<class ServerCatalogStore> catalog_store;
  // Does the work of Task states that are not activities. Default: none (such a Task fails
  // with States.TaskFailed unless a mock file answers it).
  std::shared_ptr<TaskExecutor> task_executor;
  // The Lambda Invoke API of a local endpoint ("http://127.0.0.1:3001", what
  // `sam local start-lambda` serves) for `arn:aws:states:::lambda:invoke` and
  // `arn:aws:lambda:...:function:NAME` Tasks. Default: none.
  std::string lambda_endpoint;
  // Step Functions Local mock file: a StartExecution on `<machine ARN>#<test case>` runs that
  // test case's mocked responses. Default: none.
  std::shared_ptr<const MockConfig> mock_config;
  // Time source: a `ManualClock` makes Waits, backoff and timeouts take no real time
  // (`--virtual-time`). Default: the system clock.
  std::shared_ptr<Clock> clock;
  // Seed of the engine's random source (jitter, task tokens). Default: 0.
  std::uint64_t random_seed = 0;

  // Structured log on stderr (one JSON object per line, through spdlog): "off", "error",
  // "warn", "info" (start, stop, each execution's end) or "debug" (also every request with its
  // action, status and time). Default: "off".
  std::string log_level = "off";

  // --- Limits ---
  // Largest request body, in bytes (413 beyond). Default: 1 MiB + 64 KiB (a definition of
  // AWS's 1 MiB maximum with its envelope).
  std::size_t max_request_bytes = (1024 + 64) * 1024;
  // Deepest nesting of arrays and objects in a request body (SerializationException beyond).
  // Default: 1,000.
  std::size_t max_json_depth = 1000;
  // Longest a GetActivityTask waits for a task, in milliseconds (AWS: 60 s). Default: 60,000.
  std::int64_t activity_poll_ms = 60'000;
  // Seconds a connection may take to send a request before it is closed. Default: 30.
  int read_timeout_seconds = 30;

  // --- Security ---
  // Access key id -> secret key. When not empty, every API request must carry a valid AWS
  // Signature Version 4 for one of these keys (UnrecognizedClientException,
  // InvalidSignatureException otherwise). Default: empty (no authentication).
  std::map<std::string, std::string> credentials;
  // Largest difference between a signed request's X-Amz-Date and the clock, in seconds.
  // Default: 300 (AWS's 5 minutes).
  std::int64_t max_clock_skew_seconds = 300;
};

// Durable storage of the server's catalog: state machines (with their versions and aliases),
// activities and tags, as JSON documents under keys. Implemented in memory and over SQLite.
class STEPWISE_EXPORT ServerCatalogStore {
 public:
  virtual ~ServerCatalogStore() = default;
  ServerCatalogStore() = default;
  ServerCatalogStore(const ServerCatalogStore&) = delete;  // an interface: share by pointer
  ServerCatalogStore& operator=(const ServerCatalogStore&) = delete;

  // Every document, in key order.
  virtual Result<std::map<std::string, std::string>> load_all() = 0;
  // Inserts or replaces document `key`, durably when this returns OK.
  virtual Status put(const std::string& key, const std::string& document) = 0;
  // Deletes document `key`; deleting a missing key is not an error.
  virtual Status erase(const std::string& key) = 0;
};

// The stores a URL names: "memory" (or empty), "sqlite:PATH" (one SQLite file holds both
// the checkpoints and the catalog), "postgresql://..." or "postgres:CONNINFO" (one database,
// when the build has the PostgreSQL store). kInvalidArgument for another scheme, the store's
// error when it cannot be opened.
struct ServerStores {
  std::shared_ptr<CheckpointStore> checkpoints;
  std::shared_ptr<ServerCatalogStore> catalog;
};
STEPWISE_EXPORT Result<ServerStores> make_server_store(const std::string& url);

// The API server. Create, `start`, then `stop` (or destroy).
class STEPWISE_EXPORT Server {
 public:
  // Checks the options, loads the catalog and resumes the store's running executions.
  static Result<std::unique_ptr<Server>> create(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;  // owns threads and a socket
  Server& operator=(const Server&) = delete;

  // Binds the port and starts answering on background threads. kUnavailable when the port
  // cannot be bound.
  Status start();
  // The port bound (useful with `ServerOptions::port` 0); 0 before `start`.
  int port() const;
  // Blocks until `stop` is called (from another thread or a signal handler's thread).
  void wait();
  // Stops answering and stepping; running executions stay in the store.
  void stop();

  // Answers one API call without HTTP: `action` as in X-Amz-Target after the dot,
  // `body` the request's JSON. Returns the HTTP status and the JSON answer (an error has
  // `__type` and `message`). What the HTTP layer calls after parsing and authentication.
  std::pair<int, nlohmann::json> call(const std::string& action, const nlohmann::json& body);
  // Answers one request as `POST /` does after authentication: `target` is the
  // X-Amz-Target header, `body` the raw request body (checked for nesting and parsed here).
  std::pair<int, nlohmann::json> handle(const std::string& target, const std::string& body);

  // The implementation (src/server/server_impl.h); opaque to hosts.
  struct Impl;

 private:
  Server();
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepwise

#endif  // STEPWISE_SERVER_H_
