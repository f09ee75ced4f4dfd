// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Fleets (docs/fleet.md): executions shared by several processes through one database. The
// `FleetStore` interface extends `CheckpointStore` with what the processes of a fleet (nodes)
// need to share executions safely: leases with a fencing epoch, a commit conditional on the
// lease, a queue of executions to start, and wake-ups. It names no database; the PostgreSQL
// store (`stepwise/postgres/checkpoint_store.h`, target `stepwise::postgres`) implements it.
//
// Times are the database's clock, never a node's: a lease expires when the database says so,
// whatever the clocks of the nodes.
#ifndef STEPWISE_FLEET_H_
#define STEPWISE_FLEET_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepwise/checkpoint.h"
#include "stepwise/export.h"
#include "stepwise/status.h"

namespace stepwise {

// A node's ownership of one execution, until `expires_at`.
struct Lease {
  std::string execution;  // the execution's name
  std::string node;       // the owner's node name
  // Incremented each time another node (or the same one, after its lease lapsed) takes the
  // execution: 1 for its first owner. The fencing token of `commit_fenced`.
  std::uint64_t epoch = 0;
  // Nanoseconds since the Unix epoch, by the database's clock.
  std::int64_t expires_at = 0;
  // Whether the lease had expired when it was read (by the database's clock).
  bool expired = false;
};

// An execution waiting for a node to start it (`enqueue_execution`).
struct QueuedExecution {
  std::string name;
  // What the enqueuer gave (for the engine: the definition, input and options); opaque to the
  // store.
  std::string payload;
  std::int64_t enqueued_at = 0;  // nanoseconds since the Unix epoch, database clock
  // The claimer's lease on the execution (set by `claim_queued_executions`).
  Lease lease;
};

// A wake-up sent by `notify` (or by the store itself: "queued" when an execution is queued,
// "released" when a lease is released).
struct FleetNotification {
  std::string payload;
};

// A checkpoint store that the nodes of a fleet share.
//
// Host interface, implemented by the PostgreSQL store. Thread-safe: all methods may be called
// concurrently (`wait_for_notification` blocks only other waiters).
//
// The rules a node follows (docs/fleet.md): it advances an execution only while it holds a
// live lease on it, renews the lease well before `expires_at` (a third of its length is a good
// interval), commits with `commit_fenced`, and drops the execution as soon as a renewal or a
// fenced commit fails with kFailedPrecondition: another node has taken it over.
class STEPWISE_EXPORT FleetStore : public CheckpointStore {
 public:
  // --- Leases ---

  // Takes execution `execution` for `node` for `duration`: when no lease exists (epoch 1), or
  // when the current one has expired or was released (epoch + 1, a takeover). Works whether
  // or not a checkpoint of that name exists yet. kFailedPrecondition, naming the holder, when
  // a live lease exists (even one held by `node`: renew it instead).
  virtual Result<Lease> acquire_lease(std::string_view execution, std::string_view node,
                                      std::chrono::milliseconds duration) = 0;

  // Extends `lease` to `duration` from now. Succeeds while its epoch is current, even after it
  // expired, as long as no other node took over; kFailedPrecondition, naming the new holder,
  // once one did (the lease is lost for good).
  virtual Result<Lease> renew_lease(const Lease& lease, std::chrono::milliseconds duration) = 0;

  // `renew_lease` for many leases of one node in one round trip: renews those still current
  // and returns them (renewed); the others are missing from the result, lost to a takeover.
  // kInvalidArgument when the leases are not all of one node.
  virtual Result<std::vector<Lease>> renew_leases(const std::vector<Lease>& leases,
                                                  std::chrono::milliseconds duration) = 0;

  // Gives `lease` up: it expires now and the execution, if still RUNNING, can be claimed at
  // once by `claim_expired_leases` (the fleet is notified: "released"). kFailedPrecondition when
  // its epoch is no longer current.
  virtual Status release_lease(const Lease& lease) = 0;

  // Takes over, for `node` and `duration`, at most `limit` RUNNING executions whose leases have
  // expired or were released (oldest expiry first), each with its epoch incremented. Leases
  // another node is claiming at the same moment are skipped, never waited for, and never
  // claimed twice.
  virtual Result<std::vector<Lease>> claim_expired_leases(std::string_view node,
                                                          std::chrono::milliseconds duration,
                                                          std::size_t limit) = 0;

  // The lease on `execution`, live or expired; nullopt when it never had one.
  virtual Result<std::optional<Lease>> get_lease(std::string_view execution) = 0;

  // Every lease (of `node` only, unless empty), in execution-name order.
  virtual Result<std::vector<Lease>> list_leases(std::string_view node = {}) = 0;

  // `commit(batch)` on the condition that `lease` (on `batch.summary.name`) is current and
  // live: same node, same epoch, not expired by the database's clock. Otherwise
  // kFailedPrecondition ("lease lost...", naming the current holder) and nothing changes. The
  // lease check and the batch are one transaction: a node fenced by a takeover can never
  // write again. The version check of `commit` applies as well.
  // A batch of version 1 also removes the execution from the queue of executions to start.
  virtual Status commit_fenced(const CheckpointBatch& batch, const Lease& lease) = 0;

  // --- Executions to start ---

  // Queues execution `name` for any node to start, and notifies the fleet ("queued").
  // kAlreadyExists when an execution of that name is queued or stored.
  virtual Status enqueue_execution(std::string_view name, std::string_view payload) = 0;

  // Claims, for `node`, at most `limit` queued executions that no live lease holds (first
  // queued first), taking a lease of `duration` on each. Rows other nodes are claiming are
  // skipped. A claimed execution stays queued until its first checkpoint is committed (by
  // `commit_fenced`): if the claimer dies before, it is claimable again when its lease expires.
  virtual Result<std::vector<QueuedExecution>> claim_queued_executions(
      std::string_view node, std::chrono::milliseconds duration, std::size_t limit) = 0;

  // Removes `name` from the queue (kNotFound when it is not queued): for a claimer that finds
  // the execution already exists.
  virtual Status remove_queued_execution(std::string_view name) = 0;

  // The queued executions, first queued first, at most `limit` (0: all); `lease` is empty.
  virtual Result<std::vector<QueuedExecution>> list_queued_executions(std::size_t limit = 0) = 0;

  // --- Wake-ups ---

  // Sends `payload` to every node waiting in `wait_for_notification` on this fleet
  // (delivered after the sender's current transaction, at most 7,999 bytes).
  virtual Status notify(std::string_view payload) = 0;

  // Subscribes this store to its fleet's notifications, on a connection of its own; done by
  // the first `wait_for_notification` otherwise. Notifications sent before are not seen.
  virtual Status listen() = 0;

  // Waits up to `timeout` for a notification to this fleet; nullopt when none came. Blocks
  // only other callers of this method. A lost connection is kUnavailable, and the next call
  // reconnects (notifications sent in between are lost: poll as well).
  virtual Result<std::optional<FleetNotification>> wait_for_notification(
      std::chrono::milliseconds timeout) = 0;
};

}  // namespace stepwise

#endif  // STEPWISE_FLEET_H_
