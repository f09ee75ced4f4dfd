// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The fleet operations of the PostgreSQL store (stepwise/fleet.h), with two store instances
// (two connections) acting as two nodes: leases and their epochs, takeover of expired leases,
// the fenced commit (a node that lost its lease writes nothing), the queue of executions to
// start, and wake-ups. Time passing is simulated by moving a lease's expiry into the past in
// the database, never by sleeping.
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/checkpoint.h"
#include "stepwise/fleet.h"
#include "support/status_matchers.h"
#include "unit/checkpoint/checkpoint_test_util.h"
#include "unit/checkpoint/postgres_test_util.h"

namespace stepwise {
namespace {

using ::stepwise::testing_support::IsOk;
using ::stepwise::testing_support::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using namespace ::stepwise::checkpoint_test;  // NOLINT

const auto* const kPostgres =
    ::testing::AddGlobalTestEnvironment(new testing_support::PostgresEnvironment);

constexpr std::chrono::milliseconds kLong = std::chrono::minutes(10);

class PostgresFleetTest : public PostgresStoreFixture {
 protected:
  void SetUp() override {
    PostgresStoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    node_a_ = open();
    node_b_ = open();
    ASSERT_NE(node_a_, nullptr);
    ASSERT_NE(node_b_, nullptr);
  }

  // The lease on `execution` expires, as if its holder had stopped renewing it.
  void expire(const std::string& execution) {
    admin(
        "UPDATE {s}.stepwise_leases SET expires_at = now() - interval '1 s' "
        "WHERE execution = '" +
        execution + "'");
  }

  std::shared_ptr<FleetStore> node_a_, node_b_;
};

TEST_F(PostgresFleetTest, AFirstLeaseHasEpochOneAndShutsOutOtherNodes) {
  Result<Lease> a = node_a_->acquire_lease("job", "node-a", kLong);
  ASSERT_THAT(a, IsOk());
  EXPECT_EQ(a->execution, "job");
  EXPECT_EQ(a->node, "node-a");
  EXPECT_EQ(a->epoch, 1u);
  EXPECT_FALSE(a->expired);
  EXPECT_GT(a->expires_at, 0);
  EXPECT_THAT(node_b_->acquire_lease("job", "node-b", kLong),
              StatusIs(StatusCode::kFailedPrecondition,
                       "execution \"job\" is leased by node \"node-a\" (epoch 1) until it "
                       "expires or is released"));
  // Even its holder cannot acquire it again: it renews it.
  EXPECT_THAT(node_a_->acquire_lease("job", "node-a", kLong),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(PostgresFleetTest, ExpiryUsesTheDatabaseClock) {
  Result<Lease> a = node_a_->acquire_lease("job", "node-a", std::chrono::seconds(30));
  ASSERT_THAT(a, IsOk());
  const std::string db_now = value("SELECT (extract(epoch FROM now()) * 1e9)::bigint");
  const std::int64_t left = a->expires_at - std::stoll(db_now);
  EXPECT_GT(left, std::int64_t{25} * 1000000000);
  EXPECT_LE(left, std::int64_t{30} * 1000000000);
}

TEST_F(PostgresFleetTest, RenewalExtendsALeaseUntilAnotherNodeTakesOver) {
  Result<Lease> a = node_a_->acquire_lease("job", "node-a", std::chrono::seconds(1));
  ASSERT_THAT(a, IsOk());
  Result<Lease> renewed = node_a_->renew_lease(*a, kLong);
  ASSERT_THAT(renewed, IsOk());
  EXPECT_GT(renewed->expires_at, a->expires_at);
  EXPECT_EQ(renewed->epoch, 1u);
  // Expired but not taken over: still renewable.
  expire("job");
  ASSERT_THAT(node_a_->renew_lease(*a, kLong), IsOk());
  // Taken over: lost for good.
  expire("job");
  Result<Lease> b = node_b_->acquire_lease("job", "node-b", kLong);
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->epoch, 2u);
  EXPECT_THAT(node_a_->renew_lease(*a, kLong),
              StatusIs(StatusCode::kFailedPrecondition,
                       "lease lost on execution \"job\": node \"node-a\" held epoch 1, but node "
                       "\"node-b\" took it over (epoch 2)"));
}

TEST_F(PostgresFleetTest, ANodeRenewsAllItsLeasesInOneCallAndLearnsWhichItLost) {
  std::vector<Lease> held;
  for (const char* name : {"a", "b", "c"}) {
    Result<Lease> l = node_a_->acquire_lease(name, "node-a", std::chrono::seconds(1));
    ASSERT_THAT(l, IsOk());
    held.push_back(*l);
  }
  expire("b");
  ASSERT_THAT(node_b_->acquire_lease("b", "node-b", kLong), IsOk());  // taken over
  Result<std::vector<Lease>> renewed = node_a_->renew_leases(held, kLong);
  ASSERT_THAT(renewed, IsOk());
  std::vector<std::string> names;
  for (const Lease& l : *renewed) {
    names.push_back(l.execution);
    EXPECT_GT(l.expires_at, held[0].expires_at);
  }
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ElementsAre("a", "c"));
  Lease other = held[0];
  other.node = "node-b";
  EXPECT_THAT(node_a_->renew_leases({held[0], other}, kLong),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("at once")));
  Result<std::vector<Lease>> none = node_a_->renew_leases({}, kLong);
  ASSERT_THAT(none, IsOk());
  EXPECT_THAT(*none, IsEmpty());
}

TEST_F(PostgresFleetTest, AFencedNodeCannotCommitAndNothingItWroteIsVisible) {
  Result<Lease> a = node_a_->acquire_lease("job", "node-a", kLong);
  ASSERT_THAT(a, IsOk());
  CheckpointBatch first = batch("job", 1, {{"f:0", "a1"}}, {}, {"a-event-1"});
  first.summary.status = "RUNNING";
  ASSERT_THAT(node_a_->commit_fenced(first, *a), IsOk());

  // Node A pauses past its lease; node B takes the execution over (epoch 2).
  expire("job");
  Result<std::vector<Lease>> taken = node_b_->claim_expired_leases("node-b", kLong, 10);
  ASSERT_THAT(taken, IsOk());
  ASSERT_THAT(*taken, SizeIs(1));
  const Lease b = (*taken)[0];
  EXPECT_EQ(b.epoch, 2u);
  EXPECT_EQ(b.node, "node-b");

  // Node A wakes up and commits its next step: refused, nothing changed.
  EXPECT_THAT(node_a_->commit_fenced(
                  batch("job", 2, {{"f:0", "a2"}, {"a-only", "x"}}, {}, {"a-event-2"}), *a),
              StatusIs(StatusCode::kFailedPrecondition,
                       "lease lost on execution \"job\": node \"node-a\" held epoch 1, but node "
                       "\"node-b\" took it over (epoch 2)"));
  Result<StoredExecution> seen = node_b_->load("job");
  ASSERT_THAT(seen, IsOk());
  EXPECT_EQ(seen->summary.version, 1u);
  EXPECT_EQ(record_map(*seen), (std::map<std::string, std::string>{{"f:0", "a1"}}));
  EXPECT_THAT(seen->history, ElementsAre("a-event-1"));

  // Node B continues from there.
  ASSERT_THAT(node_b_->commit_fenced(batch("job", 2, {{"f:0", "b2"}}, {}, {"b-event-2"}), b),
              IsOk());
  // A plain commit with a stale version is refused by the version check as well.
  EXPECT_THAT(node_a_->commit(batch("job", 2)), StatusIs(StatusCode::kFailedPrecondition));
  seen = node_a_->load("job");
  ASSERT_THAT(seen, IsOk());
  EXPECT_EQ(record_map(*seen), (std::map<std::string, std::string>{{"f:0", "b2"}}));
  EXPECT_THAT(seen->history, ElementsAre("a-event-1", "b-event-2"));
}

TEST_F(PostgresFleetTest, ACommitRacingATakeoverWaitsForItThenIsRefused) {
  Result<Lease> a = node_a_->acquire_lease("job", "node-a", kLong);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(node_a_->commit_fenced(batch("job", 1), *a), IsOk());
  // A takeover in progress: another session holds the lease row, about to give it to node B.
  std::unique_ptr<PGconn, void (*)(PGconn*)> taker(PQconnectdb(server_->conninfo().c_str()),
                                                   PQfinish);
  ASSERT_EQ(PQstatus(taker.get()), CONNECTION_OK);
  PQclear(PQexec(taker.get(), with_schema("BEGIN; UPDATE {s}.stepwise_leases SET node = 'node-b', "
                                          "epoch = epoch + 1 WHERE execution = 'job'")
                                  .c_str()));
  Status committed;
  std::thread commit([&] {
    committed = node_a_->commit_fenced(batch("job", 2, {{"by", "a"}}), *a);
  });
  std::string blocked;
  for (int i = 0; i < 500 && blocked != "1"; ++i) {
    blocked = value(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'stepwise' AND "
        "wait_event_type = 'Lock'");
    if (blocked != "1") std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(blocked, "1");  // the fenced commit waits for the takeover...
  PQclear(PQexec(taker.get(), "COMMIT"));
  commit.join();
  // ...and then sees the new epoch.
  EXPECT_THAT(committed, StatusIs(StatusCode::kFailedPrecondition,
                                  HasSubstr("but node \"node-b\" took it over (epoch 2)")));
  Result<StoredExecution> seen = node_b_->load("job");
  ASSERT_THAT(seen, IsOk());
  EXPECT_EQ(seen->summary.version, 1u);
  EXPECT_THAT(seen->records, IsEmpty());
}

TEST_F(PostgresFleetTest, AnExpiredLeaseCannotCommitEvenBeforeATakeover) {
  Result<Lease> a = node_a_->acquire_lease("job", "node-a", kLong);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(node_a_->commit_fenced(batch("job", 1), *a), IsOk());
  expire("job");
  EXPECT_THAT(node_a_->commit_fenced(batch("job", 2), *a),
              StatusIs(StatusCode::kFailedPrecondition,
                       "lease lost on execution \"job\": node \"node-a\" held epoch 1, and it "
                       "has expired (renew it before it does)"));
  ASSERT_THAT(node_a_->renew_lease(*a, kLong), IsOk());
  EXPECT_THAT(node_a_->commit_fenced(batch("job", 2), *a), IsOk());
}

TEST_F(PostgresFleetTest, AFencedCommitNeedsALeaseOnThatExecution) {
  Result<Lease> a = node_a_->acquire_lease("job", "node-a", kLong);
  ASSERT_THAT(a, IsOk());
  EXPECT_THAT(node_a_->commit_fenced(batch("other", 1), *a),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("under a lease on \"job\"")));
  Lease forged = *a;
  forged.execution = "unleased";
  EXPECT_THAT(node_a_->commit_fenced(batch("unleased", 1), forged),
              StatusIs(StatusCode::kFailedPrecondition,
                       "lease lost on execution \"unleased\": node \"node-a\" held epoch 1, but "
                       "the execution has no lease"));
  EXPECT_THAT(node_a_->load("unleased"), StatusIs(StatusCode::kNotFound));
}

TEST_F(PostgresFleetTest, TakeoverClaimsOnlyExpiredRunningExecutionsOnce) {
  // 30 RUNNING executions whose owner died, one finished, one still live.
  for (int i = 0; i < 30; ++i) {
    const std::string name = "run-" + std::to_string(i);
    Result<Lease> l = node_a_->acquire_lease(name, "dead", kLong);
    ASSERT_THAT(l, IsOk());
    ASSERT_THAT(node_a_->commit_fenced(batch(name, 1), *l), IsOk());
  }
  CheckpointBatch done = batch("done", 1);
  done.summary.status = "SUCCEEDED";
  ASSERT_THAT(node_a_->acquire_lease("done", "dead", kLong), IsOk());
  ASSERT_THAT(node_a_->commit(done), IsOk());
  admin("UPDATE {s}.stepwise_leases SET expires_at = now() - interval '1 s'");
  Result<Lease> live = node_a_->acquire_lease("live", "alive", kLong);
  ASSERT_THAT(live, IsOk());
  ASSERT_THAT(node_a_->commit_fenced(batch("live", 1), *live), IsOk());

  // Two nodes claim in small bites at the same time.
  std::map<std::string, std::vector<std::string>> claimed;  // node -> executions
  auto claim = [&](FleetStore* store, const std::string& node) {
    for (;;) {
      Result<std::vector<Lease>> got = store->claim_expired_leases(node, kLong, 3);
      ASSERT_THAT(got, IsOk());
      if (got->empty()) return;
      for (const Lease& l : *got) {
        EXPECT_EQ(l.epoch, 2u);
        EXPECT_EQ(l.node, node);
        claimed[node].push_back(l.execution);
      }
    }
  };
  std::thread t([&] { claim(node_b_.get(), "node-b"); });
  std::vector<std::string> mine;
  {
    // This thread's own store (a third connection) for node C.
    auto node_c = open();
    ASSERT_NE(node_c, nullptr);
    for (;;) {
      Result<std::vector<Lease>> got = node_c->claim_expired_leases("node-c", kLong, 3);
      ASSERT_THAT(got, IsOk());
      if (got->empty()) break;
      for (const Lease& l : *got) mine.push_back(l.execution);
    }
  }
  t.join();
  std::multiset<std::string> all(mine.begin(), mine.end());
  all.insert(claimed["node-b"].begin(), claimed["node-b"].end());
  EXPECT_EQ(all.size(), 30u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), 30u);  // no double claim
  EXPECT_EQ(all.count("done"), 0u);
  EXPECT_EQ(all.count("live"), 0u);
}

TEST_F(PostgresFleetTest, AReleasedLeaseIsClaimableAtOnceAndWakesTheFleet) {
  ASSERT_THAT(node_b_->listen(), IsOk());
  Result<Lease> a = node_a_->acquire_lease("job", "node-a", kLong);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(node_a_->commit_fenced(batch("job", 1), *a), IsOk());
  ASSERT_THAT(node_a_->release_lease(*a), IsOk());
  Result<std::optional<FleetNotification>> woken =
      node_b_->wait_for_notification(std::chrono::seconds(10));
  ASSERT_THAT(woken, IsOk());
  ASSERT_TRUE(woken->has_value());
  EXPECT_EQ((*woken)->payload, "released");
  Result<std::vector<Lease>> taken = node_b_->claim_expired_leases("node-b", kLong, 10);
  ASSERT_THAT(taken, IsOk());
  ASSERT_THAT(*taken, SizeIs(1));
  EXPECT_EQ((*taken)[0].epoch, 2u);
  // Released means gone: the old holder can neither commit nor release again.
  EXPECT_THAT(node_a_->commit_fenced(batch("job", 2), *a),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(node_a_->release_lease(*a), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(PostgresFleetTest, LeasesAreListedWithTheirOwners) {
  ASSERT_THAT(node_a_->acquire_lease("x", "node-a", kLong), IsOk());
  ASSERT_THAT(node_b_->acquire_lease("y", "node-b", kLong), IsOk());
  ASSERT_THAT(node_b_->acquire_lease("z", "node-b", kLong), IsOk());
  expire("z");
  Result<std::vector<Lease>> all = node_a_->list_leases();
  ASSERT_THAT(all, IsOk());
  ASSERT_THAT(*all, SizeIs(3));
  EXPECT_EQ((*all)[0].execution, "x");
  EXPECT_EQ((*all)[0].node, "node-a");
  EXPECT_TRUE((*all)[2].expired);
  Result<std::vector<Lease>> of_b = node_a_->list_leases("node-b");
  ASSERT_THAT(of_b, IsOk());
  EXPECT_THAT(*of_b, SizeIs(2));
  Result<std::optional<Lease>> none = node_a_->get_lease("nobody");
  ASSERT_THAT(none, IsOk());
  EXPECT_FALSE(none->has_value());
  Result<std::optional<Lease>> y = node_a_->get_lease("y");
  ASSERT_THAT(y, IsOk());
  ASSERT_TRUE(y->has_value());
  EXPECT_EQ((*y)->node, "node-b");
  EXPECT_FALSE((*y)->expired);
}

TEST_F(PostgresFleetTest, QueuedExecutionsAreClaimedOnceAndLeaveTheQueueWhenCreated) {
  ASSERT_THAT(node_b_->listen(), IsOk());
  for (int i = 0; i < 20; ++i) {
    ASSERT_THAT(node_a_->enqueue_execution("q-" + std::to_string(100 + i),
                                           "{\"input\":" + std::to_string(i) + "}"),
                IsOk());
  }
  EXPECT_THAT(node_a_->enqueue_execution("q-100", "again"),
              StatusIs(StatusCode::kAlreadyExists, HasSubstr("already queued or stored")));
  Result<std::optional<FleetNotification>> woken =
      node_b_->wait_for_notification(std::chrono::seconds(10));
  ASSERT_THAT(woken, IsOk());
  ASSERT_TRUE(woken->has_value());
  EXPECT_EQ((*woken)->payload, "queued");

  Result<std::vector<QueuedExecution>> a = node_a_->claim_queued_executions("node-a", kLong, 5);
  Result<std::vector<QueuedExecution>> b = node_b_->claim_queued_executions("node-b", kLong, 100);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT(*a, SizeIs(5));
  ASSERT_THAT(*b, SizeIs(15));
  EXPECT_EQ((*a)[0].name, "q-100");  // first queued, first claimed
  EXPECT_EQ((*a)[0].payload, "{\"input\":0}");
  EXPECT_EQ((*a)[0].lease.node, "node-a");
  EXPECT_EQ((*a)[0].lease.epoch, 1u);
  EXPECT_EQ((*b)[0].name, "q-105");
  // Claimed but not created yet: still queued, but nobody else can claim them.
  Result<std::vector<QueuedExecution>> queued = node_a_->list_queued_executions();
  ASSERT_THAT(queued, IsOk());
  EXPECT_THAT(*queued, SizeIs(20));
  Result<std::vector<QueuedExecution>> again =
      node_a_->claim_queued_executions("node-a", kLong, 100);
  ASSERT_THAT(again, IsOk());
  EXPECT_THAT(*again, IsEmpty());

  // Creating the execution (its first fenced commit) takes it off the queue.
  ASSERT_THAT(node_a_->commit_fenced(batch("q-100", 1), (*a)[0].lease), IsOk());
  queued = node_a_->list_queued_executions(100);
  ASSERT_THAT(queued, IsOk());
  EXPECT_THAT(*queued, SizeIs(19));
  EXPECT_THAT(node_a_->enqueue_execution("q-100", "again"), StatusIs(StatusCode::kAlreadyExists));
}

TEST_F(PostgresFleetTest, AQueuedExecutionWhoseClaimerDiedIsClaimedAgainWithTheNextEpoch) {
  ASSERT_THAT(node_a_->enqueue_execution("job", "payload"), IsOk());
  Result<std::vector<QueuedExecution>> a = node_a_->claim_queued_executions("node-a", kLong, 1);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(*a, SizeIs(1));
  expire("job");  // node A died before creating the execution
  Result<std::vector<QueuedExecution>> b = node_b_->claim_queued_executions("node-b", kLong, 1);
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT(*b, SizeIs(1));
  EXPECT_EQ((*b)[0].lease.epoch, 2u);
  EXPECT_EQ((*b)[0].payload, "payload");
  // Node A comes back: its creation is fenced off.
  EXPECT_THAT(node_a_->commit_fenced(batch("job", 1), (*a)[0].lease),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("took it over (epoch 2)")));
  EXPECT_THAT(node_b_->commit_fenced(batch("job", 1), (*b)[0].lease), IsOk());
}

TEST_F(PostgresFleetTest, AQueuedNameThatAlreadyExistsCanBeDropped) {
  ASSERT_THAT(node_a_->commit(batch("exists", 1)), IsOk());
  EXPECT_THAT(node_a_->enqueue_execution("exists", "p"), StatusIs(StatusCode::kAlreadyExists));
  ASSERT_THAT(node_a_->enqueue_execution("later", "p"), IsOk());
  EXPECT_THAT(node_a_->remove_queued_execution("later"), IsOk());
  EXPECT_THAT(node_a_->remove_queued_execution("later"),
              StatusIs(StatusCode::kNotFound, HasSubstr("no queued execution \"later\"")));
  Result<std::vector<QueuedExecution>> queued = node_a_->list_queued_executions();
  ASSERT_THAT(queued, IsOk());
  EXPECT_THAT(*queued, IsEmpty());
}

TEST_F(PostgresFleetTest, NotificationsReachListenersOfTheSameFleetOnly) {
  ASSERT_THAT(node_b_->listen(), IsOk());
  PostgresStoreOptions other = options();
  other.fleet = "other";
  auto other_fleet = make_postgres_checkpoint_store(server_->uri(), other);
  ASSERT_THAT(other_fleet, IsOk());
  ASSERT_THAT((*other_fleet)->notify("not for you"), IsOk());
  ASSERT_THAT(node_a_->notify("hello"), IsOk());
  Result<std::optional<FleetNotification>> got =
      node_b_->wait_for_notification(std::chrono::seconds(10));
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->payload, "hello");
  got = node_b_->wait_for_notification(std::chrono::milliseconds(0));
  ASSERT_THAT(got, IsOk());
  EXPECT_FALSE(got->has_value());
}

TEST_F(PostgresFleetTest, AListenerReconnectsAfterItsConnectionIsCut) {
  ASSERT_THAT(node_b_->listen(), IsOk());
  ASSERT_THAT(server_->terminate_connections("postgres"), IsOk());
  // The wait notices the cut (or the next one does) and listens again on a new connection.
  Result<std::optional<FleetNotification>> got =
      node_b_->wait_for_notification(std::chrono::milliseconds(0));
  if (!got.ok()) {
    EXPECT_THAT(got, StatusIs(StatusCode::kUnavailable));
    ASSERT_THAT(node_b_->listen(), IsOk());
  }
  ASSERT_THAT(node_a_->notify("after the cut"), IsOk());
  got = node_b_->wait_for_notification(std::chrono::seconds(10));
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->payload, "after the cut");
}

}  // namespace
}  // namespace stepwise
