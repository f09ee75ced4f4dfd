#!/usr/bin/env python3
# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# `stepwise serve` driven by real clients: boto3 (Debian's python3-boto3), the AWS CLI (awscli)
# and headless Chromium for the console. Each test class starts its own server process on a
# free port of the loopback and stops it at the end.
# Usage: server_test.py PATH/TO/stepwise   (CTest passes the built binary)
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import boto3
    import botocore.auth
    import botocore.awsrequest
    import botocore.config
    import botocore.credentials
    import botocore.exceptions
except ImportError:  # pragma: no cover - reported as a skip below
    boto3 = None

STEPWISE = None
REGION = "us-east-1"
ACCOUNT = "123456789012"
ROLE = "arn:aws:iam::123456789012:role/test"
PREFIX = f"arn:aws:states:{REGION}:{ACCOUNT}:"


class ServerProcess:
    """A `stepwise serve` process on a free port."""

    def __init__(self, *args, env=None):
        self.args = list(args)
        self.env = dict(os.environ, **(env or {}))
        self.proc = None
        self.port = None

    def start(self):
        self.proc = subprocess.Popen([STEPWISE, "serve", "--port", "0", *self.args],
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     env=self.env, text=True)
        line, m, first_lines = "", None, []
        while m is None:
            got = self.proc.stderr.readline()
            if not got:
                break
            line += got
            first_lines.append(got)
            m = re.search(r"listening on http://[^:]+:(\d+)", got)
        if not m:
            self.proc.kill()
            raise RuntimeError("the server did not start: " + line + self.proc.stderr.read())
        self.port = int(m.group(1))
        # Keep draining stderr (kept in `log_lines`) so the server never blocks on a full pipe.
        self.log_lines = first_lines
        threading.Thread(target=lambda: self.log_lines.extend(self.proc.stderr),
                         daemon=True).start()
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)
        return self.proc.returncode

    def client(self, key="test", secret="test", validate=True):
        # inject_host_prefix: boto3 sends StartSyncExecution and TestState to "sync-" + host,
        # which a local endpoint cannot resolve.
        config = botocore.config.Config(parameter_validation=validate, inject_host_prefix=False,
                                        retries={"max_attempts": 1},
                                        read_timeout=90)
        return boto3.client("stepfunctions", endpoint_url=self.url, region_name=REGION,
                            aws_access_key_id=key, aws_secret_access_key=secret, config=config)

    def signed(self, action, body, key="test", secret="test"):
        """Calls `action` with a request signed by botocore's SigV4 signer, for the actions and
        answer fields that the installed boto3 predates (Debian 12's boto3 is from 2022:
        versions, aliases, redrive, TestState and validation came later). Raises ClientError
        as boto3 does; timestamps stay epoch seconds."""
        data = json.dumps(body).encode()
        req = botocore.awsrequest.AWSRequest(
            method="POST", url=self.url + "/", data=data,
            headers={"Content-Type": "application/x-amz-json-1.0",
                     "X-Amz-Target": "AWSStepFunctions." + action})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(key, secret), "states",
                                REGION).add_auth(req)
        status, answer = self.raw(None, data, headers=dict(req.headers.items()))
        if status != 200:
            raise botocore.exceptions.ClientError(
                {"Error": {"Code": answer.get("__type", ""), "Message": answer.get("message", "")},
                 "ResponseMetadata": {"HTTPStatusCode": status}}, action)
        return answer

    def raw(self, target, body, headers=None):
        """POSTs `body` (bytes) with X-Amz-Target `target`; returns (status, parsed JSON)."""
        h = {"Content-Type": "application/x-amz-json-1.0"}
        if target is not None:
            h["X-Amz-Target"] = target
        h.update(headers or {})
        req = urllib.request.Request(self.url + "/", data=body, headers=h, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            text = e.read()
            try:
                return e.code, json.loads(text)
            except ValueError:
                return e.code, {"raw": text.decode("utf-8", "replace")}


def definition(states, start=None, **extra):
    d = {"StartAt": start or next(iter(states)), "States": states}
    d.update(extra)
    return json.dumps(d)


PASS = definition({"P": {"Type": "Pass", "Result": {"x": 1}, "End": True}})
LONG_WAIT = definition({"W": {"Type": "Wait", "Seconds": 100000, "End": True}})


def error_code(ctx):
    return ctx.exception.response["Error"]["Code"]


@unittest.skipIf(boto3 is None, "python3-boto3 is not installed")
class ApiTest(unittest.TestCase):
    """The API through boto3 against one in-memory server."""

    @classmethod
    def setUpClass(cls):
        cls.server = ServerProcess().start()
        cls.sfn = cls.server.client()
        cls.loose = cls.server.client(validate=False)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def api(self, method, **kwargs):
        """boto3's `method` when the installed boto3 knows the operation, else a signed call."""
        action = "".join(p.capitalize() for p in method.split("_"))
        if action in self.sfn.meta.service_model.operation_names:
            return getattr(self.sfn, method)(**kwargs)
        return self.server.signed(action, kwargs)

    def machine(self, name, definition_text=PASS, type_="STANDARD"):
        return self.sfn.create_state_machine(name=name, definition=definition_text,
                                             roleArn=ROLE, type=type_)["stateMachineArn"]

    def wait_status(self, arn, wanted="RUNNING", timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            d = self.sfn.describe_execution(executionArn=arn)
            if d["status"] != wanted if wanted == "RUNNING" else d["status"] == wanted:
                return d
            time.sleep(0.02)
        self.fail(f"{arn} stayed {d['status']}")

    def finished(self, arn):
        return self.wait_status(arn, "RUNNING")

    # --- state machines ---

    def test_create_describe_update_list_delete(self):
        arn = self.machine("crud")
        self.assertEqual(arn, PREFIX + "stateMachine:crud")
        d = self.sfn.describe_state_machine(stateMachineArn=arn)
        self.assertEqual(d["name"], "crud")
        self.assertEqual(d["status"], "ACTIVE")
        self.assertEqual(d["type"], "STANDARD")
        self.assertEqual(json.loads(d["definition"]), json.loads(PASS))
        self.assertEqual(d["roleArn"], ROLE)
        # The same create again answers with the same machine; another definition conflicts.
        self.assertEqual(self.machine("crud"), arn)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.machine("crud", LONG_WAIT)
        self.assertEqual(error_code(ctx), "StateMachineAlreadyExists")
        before = self.server.signed("DescribeStateMachine", {"stateMachineArn": arn})
        u = self.server.signed("UpdateStateMachine", {"stateMachineArn": arn,
                                                      "definition": LONG_WAIT})
        self.assertIn("updateDate", u)
        self.assertNotEqual(u["revisionId"], before["revisionId"])
        self.assertEqual(json.loads(self.sfn.describe_state_machine(
            stateMachineArn=arn)["definition"]), json.loads(LONG_WAIT))
        names = [m["name"] for m in self.sfn.list_state_machines()["stateMachines"]]
        self.assertIn("crud", names)
        self.sfn.delete_state_machine(stateMachineArn=arn)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.describe_state_machine(stateMachineArn=arn)
        self.assertEqual(error_code(ctx), "StateMachineDoesNotExist")

    def test_list_state_machines_pages(self):
        for i in range(5):
            self.machine(f"page-{i}")
        seen, token = [], None
        while True:
            kwargs = {"maxResults": 2}
            if token:
                kwargs["nextToken"] = token
            page = self.sfn.list_state_machines(**kwargs)
            self.assertLessEqual(len(page["stateMachines"]), 2)
            seen += [m["name"] for m in page["stateMachines"]]
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual([n for n in seen if n.startswith("page-")],
                         [f"page-{i}" for i in range(5)])
        self.assertEqual(len(seen), len(set(seen)))

    def test_bad_definitions_names_and_arns(self):
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.machine("bad", json.dumps({"StartAt": "Missing", "States": {
                "A": {"Type": "Pass", "End": True}}}))
        self.assertEqual(error_code(ctx), "InvalidDefinition")
        self.assertIn("Invalid State Machine Definition", str(ctx.exception))
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.machine("bad name")
        self.assertEqual(error_code(ctx), "InvalidName")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.describe_state_machine(stateMachineArn="not-an-arn")
        self.assertEqual(error_code(ctx), "InvalidArn")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.describe_state_machine(
                stateMachineArn="arn:aws:states:eu-west-1:123456789012:stateMachine:x")
        self.assertEqual(error_code(ctx), "InvalidArn")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.loose.create_state_machine(name="no-role", definition=PASS)
        self.assertEqual(error_code(ctx), "ValidationException")

    def test_validate_state_machine_definition(self):
        ok = self.api("validate_state_machine_definition", definition=PASS)
        self.assertEqual(ok["result"], "OK")
        self.assertEqual(ok["diagnostics"], [])
        bad = self.api("validate_state_machine_definition", definition=json.dumps(
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}))
        self.assertEqual(bad["result"], "FAIL")
        codes = {d["code"] for d in bad["diagnostics"]}
        self.assertIn("MISSING_TRANSITION_TARGET", codes)
        self.assertTrue(all(d["severity"] == "ERROR" for d in bad["diagnostics"]))
        self.assertTrue(any(d.get("location", "").startswith("/States/A")
                            for d in bad["diagnostics"]))

    def test_versions_and_aliases(self):
        arn = self.machine("versioned")
        v1 = self.api("publish_state_machine_version", stateMachineArn=arn)["stateMachineVersionArn"]
        self.assertEqual(v1, arn + ":1")
        # Publishing the same revision again gives the same version.
        self.assertEqual(self.api("publish_state_machine_version", 
            stateMachineArn=arn)["stateMachineVersionArn"], v1)
        self.sfn.update_state_machine(stateMachineArn=arn, definition=definition(
            {"P": {"Type": "Pass", "Result": {"x": 2}, "End": True}}))
        v2 = self.api("publish_state_machine_version", stateMachineArn=arn)["stateMachineVersionArn"]
        self.assertEqual(v2, arn + ":2")
        versions = self.api("list_state_machine_versions", stateMachineArn=arn)
        self.assertEqual([v["stateMachineVersionArn"] for v in versions["stateMachineVersions"]],
                         [v2, v1])
        alias = self.api("create_state_machine_alias", 
            name="prod", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}]
        )["stateMachineAliasArn"]
        self.assertEqual(alias, arn + ":prod")
        d = self.api("describe_state_machine_alias", stateMachineAliasArn=alias)
        self.assertEqual(d["routingConfiguration"], [{"stateMachineVersionArn": v1, "weight": 100}])
        ex = self.sfn.start_execution(stateMachineArn=alias, name="by-alias")["executionArn"]
        self.finished(ex)
        d = self.server.signed("DescribeExecution", {"executionArn": ex})
        self.assertEqual(json.loads(d["output"]), {"x": 1})
        self.assertEqual(d["stateMachineAliasArn"], alias)
        self.assertEqual(d["stateMachineVersionArn"], v1)
        ex = self.sfn.start_execution(stateMachineArn=v2, name="by-version")["executionArn"]
        self.assertEqual(json.loads(self.finished(ex)["output"]), {"x": 2})
        self.api("update_state_machine_alias", 
            stateMachineAliasArn=alias,
            routingConfiguration=[{"stateMachineVersionArn": v2, "weight": 100}])
        ex = self.sfn.start_execution(stateMachineArn=alias, name="by-alias-2")["executionArn"]
        self.assertEqual(json.loads(self.finished(ex)["output"]), {"x": 2})
        self.assertEqual(len(self.api("list_state_machine_aliases", 
            stateMachineArn=arn)["stateMachineAliases"]), 1)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.api("create_state_machine_alias", 
                name="bad", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 50}])
        self.assertEqual(error_code(ctx), "ValidationException")
        self.api("delete_state_machine_alias", stateMachineAliasArn=alias)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.api("describe_state_machine_alias", stateMachineAliasArn=alias)
        self.assertEqual(error_code(ctx), "ResourceNotFound")

    def test_tags(self):
        arn = self.machine("tagged")
        self.sfn.tag_resource(resourceArn=arn, tags=[{"key": "team", "value": "games"},
                                                     {"key": "tier", "value": "1"}])
        self.sfn.untag_resource(resourceArn=arn, tagKeys=["tier"])
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=arn)["tags"],
                         [{"key": "team", "value": "games"}])
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.list_tags_for_resource(resourceArn=PREFIX + "stateMachine:absent")
        self.assertEqual(error_code(ctx), "ResourceNotFound")

    # --- executions ---

    def test_start_describe_history(self):
        arn = self.machine("hist", definition({
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "Next": "C"},
            "C": {"Type": "Pass", "End": True}}))
        ex = self.sfn.start_execution(stateMachineArn=arn, name="h1",
                                      input=json.dumps({"n": 7}))
        self.assertEqual(ex["executionArn"], PREFIX + "execution:hist:h1")
        d = self.finished(ex["executionArn"])
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"n": 7})
        self.assertEqual(json.loads(d["input"]), {"n": 7})
        self.assertGreaterEqual(d["stopDate"], d["startDate"])
        events = self.sfn.get_execution_history(executionArn=ex["executionArn"])["events"]
        types = [e["type"] for e in events]
        self.assertEqual(types[0], "ExecutionStarted")
        self.assertEqual(types[-1], "ExecutionSucceeded")
        self.assertEqual([e["id"] for e in events], list(range(1, len(events) + 1)))
        # Pages of 2, forwards and backwards, give the same events.
        paged, token = [], None
        while True:
            kw = {"executionArn": ex["executionArn"], "maxResults": 2}
            if token:
                kw["nextToken"] = token
            page = self.sfn.get_execution_history(**kw)
            paged += page["events"]
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual([e["id"] for e in paged], [e["id"] for e in events])
        rev = self.sfn.get_execution_history(executionArn=ex["executionArn"], reverseOrder=True)
        self.assertEqual([e["id"] for e in rev["events"]], [e["id"] for e in events][::-1])
        lean = self.sfn.get_execution_history(executionArn=ex["executionArn"],
                                              includeExecutionData=False)["events"]
        self.assertNotIn("input", lean[0]["executionStartedEventDetails"])
        sm = self.sfn.describe_state_machine_for_execution(executionArn=ex["executionArn"])
        self.assertEqual(sm["name"], "hist")

    def test_start_idempotency_and_conflicts(self):
        arn = self.machine("idem", LONG_WAIT)
        first = self.sfn.start_execution(stateMachineArn=arn, name="same", input="{}")
        again = self.sfn.start_execution(stateMachineArn=arn, name="same", input="{}")
        self.assertEqual(first["executionArn"], again["executionArn"])
        self.assertEqual(first["startDate"], again["startDate"])
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.start_execution(stateMachineArn=arn, name="same", input='{"other":1}')
        self.assertEqual(error_code(ctx), "ExecutionAlreadyExists")
        stop = self.sfn.stop_execution(executionArn=first["executionArn"], error="E", cause="C")
        self.assertIn("stopDate", stop)
        d = self.finished(first["executionArn"])
        self.assertEqual((d["status"], d["error"], d["cause"]), ("ABORTED", "E", "C"))
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.start_execution(stateMachineArn=arn, name="same", input="{}")
        self.assertEqual(error_code(ctx), "ExecutionAlreadyExists")
        for bad_input, code in (("{not json", "InvalidExecutionInput"),
                                ("[" * 2000 + "]" * 2000, "InvalidExecutionInput")):
            with self.assertRaises(botocore.exceptions.ClientError) as ctx:
                self.sfn.start_execution(stateMachineArn=arn, input=bad_input)
            self.assertEqual(error_code(ctx), code)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.start_execution(stateMachineArn=PREFIX + "stateMachine:absent")
        self.assertEqual(error_code(ctx), "StateMachineDoesNotExist")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.describe_execution(executionArn=PREFIX + "execution:idem:absent")
        self.assertEqual(error_code(ctx), "ExecutionDoesNotExist")

    def test_generated_names_are_uuids(self):
        arn = self.machine("gen")
        ex = self.sfn.start_execution(stateMachineArn=arn)["executionArn"]
        self.assertRegex(ex.split(":")[-1],
                         r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

    def test_list_executions_filters_and_pages(self):
        arn = self.machine("lister", definition({"C": {
            "Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": True,
                                           "Next": "F"}], "Default": "S"},
            "F": {"Type": "Fail", "Error": "Boom", "Cause": "asked"},
            "S": {"Type": "Succeed"}}))
        arns = []
        for i in range(7):
            arns.append(self.sfn.start_execution(
                stateMachineArn=arn, name=f"l{i}",
                input=json.dumps({"fail": i % 3 == 0}))["executionArn"])
        for a in arns:
            self.finished(a)
        failed = self.sfn.list_executions(stateMachineArn=arn, statusFilter="FAILED")
        self.assertEqual({e["name"] for e in failed["executions"]}, {"l0", "l3", "l6"})
        seen, token = [], None
        while True:
            kw = {"stateMachineArn": arn, "maxResults": 3}
            if token:
                kw["nextToken"] = token
            page = self.sfn.list_executions(**kw)
            seen += [e["name"] for e in page["executions"]]
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual(seen, [f"l{i}" for i in range(6, -1, -1)])  # newest first
        d = self.sfn.describe_execution(executionArn=arns[0])
        self.assertEqual((d["status"], d["error"], d["cause"]), ("FAILED", "Boom", "asked"))
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.loose.list_executions(stateMachineArn=arn, statusFilter="DONE")
        self.assertEqual(error_code(ctx), "ValidationException")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.list_executions(stateMachineArn=arn, nextToken="forged")
        self.assertEqual(error_code(ctx), "InvalidToken")

    def test_start_sync_execution(self):
        arn = self.machine("sync", definition({"P": {"Type": "Pass", "Parameters": {
            "doubled.$": "States.MathAdd($.n, $.n)"}, "End": True}}), type_="EXPRESS")
        r = self.sfn.start_sync_execution(stateMachineArn=arn, input=json.dumps({"n": 21}))
        self.assertEqual(r["status"], "SUCCEEDED")
        self.assertEqual(json.loads(r["output"]), {"doubled": 42})
        self.assertIn(":express:sync:", r["executionArn"])
        fail = self.machine("sync-fail", definition({"F": {"Type": "Fail", "Error": "E",
                                                            "Cause": "C"}}), type_="EXPRESS")
        r = self.sfn.start_sync_execution(stateMachineArn=fail)
        self.assertEqual((r["status"], r["error"], r["cause"]), ("FAILED", "E", "C"))
        standard = self.machine("not-express")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.start_sync_execution(stateMachineArn=standard)
        self.assertEqual(error_code(ctx), "StateMachineTypeNotSupported")

    def test_redrive_runs_the_failed_state_again(self):
        act = self.sfn.create_activity(name="redrivable")["activityArn"]
        arn = self.machine("redrive", definition({
            "First": {"Type": "Pass", "Result": "once", "ResultPath": "$.first", "Next": "T"},
            "T": {"Type": "Task", "Resource": act, "End": True}}))
        ex = self.sfn.start_execution(stateMachineArn=arn, name="r1")["executionArn"]
        task = self.sfn.get_activity_task(activityArn=act)
        self.sfn.send_task_failure(taskToken=task["taskToken"], error="Flaky", cause="try again")
        self.finished(ex)
        d = self.server.signed("DescribeExecution", {"executionArn": ex})
        self.assertEqual((d["status"], d["error"], d["redriveStatus"]),
                         ("FAILED", "Flaky", "REDRIVABLE"))
        self.assertIn("redriveDate", self.api("redrive_execution", executionArn=ex))
        task = self.sfn.get_activity_task(activityArn=act)
        self.assertEqual(json.loads(task["input"]), {"first": "once"})
        self.sfn.send_task_success(taskToken=task["taskToken"], output='{"ok": true}')
        self.finished(ex)
        d = self.server.signed("DescribeExecution", {"executionArn": ex})
        self.assertEqual((d["status"], d["redriveCount"]), ("SUCCEEDED", 1))
        types = [e["type"] for e in self.sfn.get_execution_history(executionArn=ex)["events"]]
        self.assertEqual(types.count("PassStateEntered"), 1)  # the Pass is not run again
        self.assertIn("ExecutionRedriven", types)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.api("redrive_execution", executionArn=ex)
        self.assertEqual(error_code(ctx), "ExecutionNotRedrivable")

    # --- activities and callbacks ---

    def test_activities_with_a_long_polling_worker(self):
        act = self.sfn.create_activity(name="work")["activityArn"]
        self.assertEqual(act, PREFIX + "activity:work")
        self.assertEqual(self.sfn.create_activity(name="work")["activityArn"], act)
        self.assertEqual(self.sfn.describe_activity(activityArn=act)["name"], "work")
        self.assertIn(act, [a["activityArn"] for a in self.sfn.list_activities()["activities"]])
        arn = self.machine("with-activity", definition({
            "T": {"Type": "Task", "Resource": act, "HeartbeatSeconds": 60, "End": True}}))
        results = {}

        def worker():
            # Polls before the task exists: the long poll must wake when it is scheduled.
            task = self.server.client().get_activity_task(activityArn=act, workerName="w1")
            results["input"] = json.loads(task["input"])
            client = self.server.client()
            client.send_task_heartbeat(taskToken=task["taskToken"])
            client.send_task_success(taskToken=task["taskToken"],
                                     output=json.dumps({"done": results["input"]["n"]}))
            results["token"] = task["taskToken"]

        t = threading.Thread(target=worker)
        t.start()
        time.sleep(0.2)
        ex = self.sfn.start_execution(stateMachineArn=arn, input='{"n": 5}')["executionArn"]
        t.join(timeout=30)
        self.assertFalse(t.is_alive())
        d = self.finished(ex)
        self.assertEqual(json.loads(d["output"]), {"done": 5})
        # The token is spent now.
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.send_task_success(taskToken=results["token"], output="{}")
        self.assertEqual(error_code(ctx), "TaskTimedOut")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.send_task_success(taskToken="garbage", output="{}")
        self.assertEqual(error_code(ctx), "InvalidToken")

    def test_activity_failure_is_caught(self):
        act = self.sfn.create_activity(name="flaky")["activityArn"]
        arn = self.machine("catcher", definition({
            "T": {"Type": "Task", "Resource": act, "End": True,
                  "Catch": [{"ErrorEquals": ["Custom"], "ResultPath": "$.err", "Next": "H"}]},
            "H": {"Type": "Pass", "End": True}}))
        ex = self.sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
        task = self.sfn.get_activity_task(activityArn=act)
        self.sfn.send_task_failure(taskToken=task["taskToken"], error="Custom", cause="why")
        d = self.finished(ex)
        self.assertEqual(json.loads(d["output"]), {"err": {"Error": "Custom", "Cause": "why"}})
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.get_activity_task(activityArn=PREFIX + "activity:absent")
        self.assertEqual(error_code(ctx), "ActivityDoesNotExist")
        self.sfn.delete_activity(activityArn=act)
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.sfn.describe_activity(activityArn=act)
        self.assertEqual(error_code(ctx), "ActivityDoesNotExist")

    def test_test_state(self):
        r = self.api("test_state", definition=json.dumps({
            "Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "End": True}),
            roleArn=ROLE, input=json.dumps({"a": 1, "b": 2}))
        self.assertEqual(r["status"], "SUCCEEDED")
        self.assertEqual(json.loads(r["output"]), {"sum": 3})

    # --- the protocol ---

    def test_unknown_operations_and_malformed_requests(self):
        status, body = self.server.raw("AWSStepFunctions.Frobnicate", b"{}")
        self.assertEqual((status, body["__type"]), (400, "UnknownOperationException"))
        status, body = self.server.raw(None, b"{}")
        self.assertEqual((status, body["__type"]), (400, "UnknownOperationException"))
        status, body = self.server.raw("AWSStepFunctions.ListStateMachines", b"{nope")
        self.assertEqual((status, body["__type"]), (400, "SerializationException"))
        status, body = self.server.raw("AWSStepFunctions.ListStateMachines",
                                       b"[" * 100000 + b"]" * 100000)
        self.assertEqual((status, body["__type"]), (400, "SerializationException"))
        status, body = self.server.raw("AWSStepFunctions.ListStateMachines", b"[1,2]")
        self.assertEqual((status, body["__type"]), (400, "SerializationException"))
        status, body = self.server.raw("AWSStepFunctions.DescribeStateMachine",
                                       b'{"stateMachineArn": 5}')
        self.assertEqual((status, body["__type"]), (400, "SerializationException"))
        status, _ = self.server.raw("AWSStepFunctions.ListStateMachines", b" " * (2 << 20))
        self.assertEqual(status, 413)
        # The server still answers.
        self.assertIn("stateMachines", self.sfn.list_state_machines())

    def test_health_and_metrics(self):
        with urllib.request.urlopen(self.server.url + "/health") as r:
            self.assertEqual(json.loads(r.read()), {"status": "ok"})
        self.sfn.start_execution(stateMachineArn=self.machine("metered"))
        with urllib.request.urlopen(self.server.url + "/metrics") as r:
            text = r.read().decode()
        self.assertIn('stepwise_executions_started_total{state_machine="metered"} 1', text)
        self.assertIn('stepwise_api_requests_total{action="CreateStateMachine"}', text)
        # A task from scheduling to its end, the store's commits, the activity backlog.
        act = self.sfn.create_activity(name="metered-act")["activityArn"]
        arn = self.machine("metered-task", definition({
            "T": {"Type": "Task", "Resource": act, "End": True}}))
        self.sfn.start_execution(stateMachineArn=arn, name="mt1")
        self.sfn.start_execution(stateMachineArn=arn, name="mt2")
        task = self.sfn.get_activity_task(activityArn=act)
        self.sfn.send_task_success(taskToken=task["taskToken"], output="{}")
        for _ in range(500):  # until the engine thread has taken the completion
            with urllib.request.urlopen(self.server.url + "/metrics") as r:
                text = r.read().decode()
            if re.search(r"stepwise_task_duration_seconds_count [1-9]", text):
                break
            time.sleep(0.02)
        self.assertRegex(text, r'stepwise_task_duration_seconds_count [1-9]')
        self.assertIn('stepwise_task_duration_seconds_bucket{le="+Inf"}', text)
        self.assertRegex(text, r'stepwise_store_commit_seconds_count [1-9]')
        self.assertIn("stepwise_activity_tasks_waiting 1", text)
        task = self.sfn.get_activity_task(activityArn=act)
        self.sfn.send_task_success(taskToken=task["taskToken"], output="{}")

    def test_many_concurrent_starts_are_each_listed_once(self):
        arn = self.machine("load")
        names = [f"load-{i}" for i in range(200)]
        errors = []

        def starter(chunk):
            client = self.server.client()
            for n in chunk:
                try:
                    client.start_execution(stateMachineArn=arn, name=n, input="{}")
                except Exception as e:  # noqa: BLE001 - collected and asserted below
                    errors.append(e)

        threads = [threading.Thread(target=starter, args=(names[i::8],)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])
        listed, token = [], None
        while True:
            kw = {"stateMachineArn": arn, "maxResults": 50}
            if token:
                kw["nextToken"] = token
            page = self.sfn.list_executions(**kw)
            listed += [e["name"] for e in page["executions"]]
            token = page.get("nextToken")
            if not token:
                break
        self.assertEqual(sorted(listed), sorted(names))
        for n in names[::20]:
            self.assertEqual(self.finished(PREFIX + f"execution:load:{n}")["status"], "SUCCEEDED")


@unittest.skipIf(boto3 is None, "python3-boto3 is not installed")
class VirtualTimeAndMocksTest(unittest.TestCase):
    """--virtual-time and a Step Functions Local mock file chosen by #TestCaseName."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        mocks = {"StateMachines": {"mocked": {"TestCases": {
            "HappyPath": {"Charge": "ChargeOk"}, "Declined": {"Charge": "ChargeDeclined"}}}},
            "MockedResponses": {
                "ChargeOk": {"0": {"Return": {"StatusCode": 200, "Payload": {"ok": True}}}},
                "ChargeDeclined": {"0": {"Throw": {"Error": "Declined", "Cause": "card"}}}}}
        path = os.path.join(cls.tmp, "mocks.json")
        with open(path, "w") as f:
            json.dump(mocks, f)
        cls.server = ServerProcess("--virtual-time", env={"SFN_MOCK_CONFIG": path}).start()
        cls.sfn = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp)

    def wait_done(self, arn):
        for _ in range(1000):
            d = self.sfn.describe_execution(executionArn=arn)
            if d["status"] != "RUNNING":
                return d
            time.sleep(0.01)
        self.fail("still running")

    def test_a_day_of_waits_takes_no_real_time(self):
        arn = self.sfn.create_state_machine(name="sleepy", roleArn=ROLE, definition=definition({
            "W": {"Type": "Wait", "Seconds": 86400, "Next": "W2"},
            "W2": {"Type": "Wait", "Seconds": 86400, "End": True}}))["stateMachineArn"]
        began = time.time()
        d = self.wait_done(self.sfn.start_execution(stateMachineArn=arn)["executionArn"])
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertGreaterEqual((d["stopDate"] - d["startDate"]).total_seconds(), 2 * 86400 - 1)
        self.assertLess(time.time() - began, 10)

    def test_mock_test_cases(self):
        arn = self.sfn.create_state_machine(name="mocked", roleArn=ROLE, definition=definition({
            "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                       "Parameters": {"FunctionName": "charge"}, "End": True}}))["stateMachineArn"]
        d = self.wait_done(self.sfn.start_execution(stateMachineArn=arn + "#HappyPath")[
            "executionArn"])
        self.assertEqual(json.loads(d["output"])["Payload"], {"ok": True})
        d = self.wait_done(self.sfn.start_execution(stateMachineArn=arn + "#Declined")[
            "executionArn"])
        self.assertEqual((d["status"], d["error"], d["cause"]), ("FAILED", "Declined", "card"))


@unittest.skipIf(boto3 is None, "python3-boto3 is not installed")
class DurableRestartTest(unittest.TestCase):
    """--store sqlite:PATH: machines, activities and a running execution survive a restart."""

    def test_an_execution_waiting_on_an_activity_resumes_after_a_restart(self):
        tmp = tempfile.mkdtemp()
        try:
            store = "sqlite:" + os.path.join(tmp, "stepwise.db")
            first = ServerProcess("--store", store).start()
            sfn = first.client()
            act = sfn.create_activity(name="slow")["activityArn"]
            arn = sfn.create_state_machine(name="durable", roleArn=ROLE, definition=definition({
                "T": {"Type": "Task", "Resource": act, "Next": "P"},
                "P": {"Type": "Pass", "End": True}}))["stateMachineArn"]
            ex = sfn.start_execution(stateMachineArn=arn, name="d1",
                                     input='{"k": 1}')["executionArn"]
            time.sleep(0.3)
            self.assertEqual(first.stop(signal.SIGKILL), -signal.SIGKILL)
            second = ServerProcess("--store", store).start()
            try:
                sfn = second.client()
                self.assertEqual(sfn.describe_state_machine(stateMachineArn=arn)["name"],
                                 "durable")
                self.assertEqual(sfn.describe_execution(executionArn=ex)["status"], "RUNNING")
                task = sfn.get_activity_task(activityArn=act)
                self.assertEqual(json.loads(task["input"]), {"k": 1})
                sfn.send_task_success(taskToken=task["taskToken"], output='{"v": 2}')
                for _ in range(500):
                    d = sfn.describe_execution(executionArn=ex)
                    if d["status"] != "RUNNING":
                        break
                    time.sleep(0.02)
                self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", {"v": 2}))
                types = [e["type"] for e in sfn.get_execution_history(executionArn=ex)["events"]]
                self.assertEqual(types.count("ExecutionStarted"), 1)
                self.assertEqual(types[-1], "ExecutionSucceeded")
            finally:
                second.stop()
        finally:
            shutil.rmtree(tmp)


class FakeLambda(BaseHTTPRequestHandler):
    """The Lambda Invoke API as `sam local start-lambda` serves it, for two functions:
    `double` answers {"n": 2n}; `boom` fails with errorType "Boom"."""

    def do_POST(self):  # noqa: N802 - the name http.server calls
        m = re.match(r"^/2015-03-31/functions/([^/]+)/invocations", self.path)
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"] or 0)) or b"{}")
        if not m or m.group(1) not in ("double", "boom"):
            self.send_response(404)
            self.end_headers()
            return
        if m.group(1) == "double":
            body, error = {"n": 2 * payload["n"]}, None
        else:
            body, error = {"errorType": "Boom", "errorMessage": "it broke"}, "Unhandled"
        data = json.dumps(body).encode()
        self.send_response(200)
        if error:
            self.send_header("X-Amz-Function-Error", error)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@unittest.skipIf(boto3 is None, "python3-boto3 is not installed")
class TaskWorkTest(unittest.TestCase):
    """Task work beyond activities: --task commands and --lambda-endpoint."""

    @classmethod
    def setUpClass(cls):
        cls.lambda_server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLambda)
        threading.Thread(target=cls.lambda_server.serve_forever, daemon=True).start()
        endpoint = f"http://127.0.0.1:{cls.lambda_server.server_address[1]}"
        cls.server = ServerProcess(
            "--lambda-endpoint", endpoint,
            "--task", "Shout=tr a-z A-Z",
            "--task", "Slow=sleep 30").start()
        cls.sfn = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.lambda_server.shutdown()

    def run_machine(self, name, states, input_=None):
        arn = self.sfn.create_state_machine(name=name, roleArn=ROLE,
                                            definition=definition(states))["stateMachineArn"]
        ex = self.sfn.start_execution(stateMachineArn=arn,
                                      input=json.dumps(input_ or {}))["executionArn"]
        for _ in range(1500):
            d = self.sfn.describe_execution(executionArn=ex)
            if d["status"] != "RUNNING":
                return d
            time.sleep(0.01)
        self.fail("still running")

    def test_lambda_invoke_and_the_legacy_resource(self):
        d = self.run_machine("lam", {
            "L": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "double", "Payload": {"n.$": "$.n"}},
                  "ResultSelector": {"n.$": "$.Payload.n", "code.$": "$.StatusCode"},
                  "Next": "Legacy"},
            "Legacy": {"Type": "Task", "Parameters": {"n.$": "$.n"},
                       "Resource": "arn:aws:lambda:us-east-1:123456789012:function:double",
                       "End": True}}, {"n": 5})
        self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", {"n": 20}))

    def test_a_function_error_is_caught_by_its_error_type(self):
        d = self.run_machine("lam-err", {
            "L": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "boom"}, "End": True,
                  "Catch": [{"ErrorEquals": ["Boom"], "Next": "Caught"}]},
            "Caught": {"Type": "Pass", "End": True}})
        self.assertEqual(d["status"], "SUCCEEDED")
        out = json.loads(d["output"])
        self.assertEqual(out["Error"], "Boom")
        self.assertEqual(json.loads(out["Cause"])["errorMessage"], "it broke")
        d = self.run_machine("lam-missing", {
            "L": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "absent"}, "End": True}})
        self.assertEqual((d["status"], d["error"]),
                         ("FAILED", "Lambda.ResourceNotFoundException"))

    def test_commands_run_and_time_out(self):
        # --task routes by state name too: any resource the commands stand in for.
        d = self.run_machine("cmd", {"Shout": {"Type": "Task", "End": True,
                                               "Resource": "arn:aws:states:::sqs:sendMessage"}},
                             "hi")
        self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", "HI"))
        began = time.time()
        d = self.run_machine("cmd-slow", {"Slow": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "TimeoutSeconds": 1,
            "End": True}})
        self.assertEqual((d["status"], d["error"]), ("FAILED", "States.Timeout"))
        self.assertLess(time.time() - began, 10)


PG_BIN = "/usr/lib/postgresql/15/bin"


class PostgresServer:
    """A private PostgreSQL 15 (Debian's postgresql-15) in a temporary directory, listening on
    a Unix socket there only; run as the `postgres` user when the tests run as root."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="stepwise-pg-")
        self.data = os.path.join(self.dir, "data")
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *args):
        subprocess.run(self.as_user + list(args), check=True, capture_output=True, timeout=120)

    def start(self):
        self.run(f"{PG_BIN}/initdb", "-D", self.data, "-A", "trust", "-U", "stepwise",
                 "--no-sync")
        self.run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-w", "-l",
                 os.path.join(self.dir, "log"), "-o",
                 f"-c listen_addresses='' -c unix_socket_directories={self.dir} -c fsync=off",
                 "start")
        self.run(f"{PG_BIN}/createdb", "-h", self.dir, "-U", "stepwise", "stepwise")
        return self

    @property
    def url(self):
        return f"postgres:host={self.dir} user=stepwise dbname=stepwise"

    def stop(self):
        try:
            self.run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@unittest.skipIf(boto3 is None or not os.path.exists(PG_BIN + "/initdb"),
                 "needs python3-boto3 and postgresql-15")
class PostgresStoreTest(unittest.TestCase):
    """--store postgresql: the catalog and the executions live in PostgreSQL and survive a
    restart of the server."""

    def test_a_restart_on_postgres_keeps_machines_and_executions(self):
        pg = PostgresServer().start()
        try:
            first = ServerProcess("--store", pg.url).start()
            sfn = first.client()
            act = sfn.create_activity(name="pg-act")["activityArn"]
            arn = sfn.create_state_machine(name="on-pg", roleArn=ROLE, definition=definition({
                "T": {"Type": "Task", "Resource": act, "End": True}}))["stateMachineArn"]
            ex = sfn.start_execution(stateMachineArn=arn, name="p1")["executionArn"]
            time.sleep(0.3)
            first.stop(signal.SIGKILL)
            second = ServerProcess("--store", pg.url).start()
            try:
                sfn = second.client()
                self.assertEqual(sfn.describe_execution(executionArn=ex)["status"], "RUNNING")
                task = sfn.get_activity_task(activityArn=act)
                sfn.send_task_success(taskToken=task["taskToken"], output='{"pg": true}')
                for _ in range(500):
                    d = sfn.describe_execution(executionArn=ex)
                    if d["status"] != "RUNNING":
                        break
                    time.sleep(0.02)
                self.assertEqual((d["status"], json.loads(d["output"])),
                                 ("SUCCEEDED", {"pg": True}))
            finally:
                second.stop()
        finally:
            pg.stop()

    def test_an_unreachable_database_is_a_clear_start_up_error(self):
        out = subprocess.run([STEPWISE, "serve", "--port", "0", "--store",
                              "postgres:host=/nonexistent user=x dbname=x connect_timeout=2"],
                             capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 2)
        self.assertIn("stepwise serve:", out.stderr)
        self.assertIn("nonexistent", out.stderr)


@unittest.skipIf(boto3 is None, "python3-boto3 is not installed")
class StructuredLogTest(unittest.TestCase):
    def test_requests_and_execution_ends_are_json_lines(self):
        server = ServerProcess("--log-level", "debug").start()
        sfn = server.client()
        arn = sfn.create_state_machine(name="logged", roleArn=ROLE,
                                       definition=PASS)["stateMachineArn"]
        ex = sfn.start_execution(stateMachineArn=arn, name="l1")["executionArn"]
        with self.assertRaises(botocore.exceptions.ClientError):
            sfn.describe_state_machine(stateMachineArn=arn + "-absent")
        for _ in range(500):
            if sfn.describe_execution(executionArn=ex)["status"] != "RUNNING":
                break
            time.sleep(0.01)
        server.stop()
        time.sleep(0.2)
        events = [json.loads(line) for line in server.log_lines if line.startswith("{")]
        self.assertTrue(all("time" in e and "level" in e for e in events))
        kinds = [e["event"] for e in events]
        self.assertIn("listening", kinds)
        self.assertIn("stopped", kinds)
        ended = [e for e in events if e["event"] == "execution_ended"]
        self.assertEqual([(e["execution"], e["status"]) for e in ended], [(ex, "SUCCEEDED")])
        errors = [e for e in events if e["event"] == "request" and "error" in e]
        self.assertEqual(errors[0]["error"], "StateMachineDoesNotExist")
        self.assertEqual(errors[0]["target"], "AWSStepFunctions.DescribeStateMachine")
        with self.assertRaises(RuntimeError):
            ServerProcess("--log-level", "loud").start()


@unittest.skipIf(boto3 is None, "python3-boto3 is not installed")
class SignatureTest(unittest.TestCase):
    """--auth FILE: Signature Version 4 is checked on every request."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        path = os.path.join(cls.tmp, "auth.json")
        with open(path, "w") as f:
            json.dump({"AKIDTEST": "s3cret"}, f)
        cls.server = ServerProcess("--auth", path).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp)

    def test_signed_requests_pass_and_others_fail(self):
        self.assertIn("stateMachines",
                      self.server.client("AKIDTEST", "s3cret").list_state_machines())
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.server.client("AKIDTEST", "wrong").list_state_machines()
        self.assertEqual(error_code(ctx), "InvalidSignatureException")
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.server.client("UNKNOWN", "s3cret").list_state_machines()
        self.assertEqual(error_code(ctx), "UnrecognizedClientException")
        status, body = self.server.raw("AWSStepFunctions.ListStateMachines", b"{}")
        self.assertEqual((status, body["__type"]), (403, "MissingAuthenticationTokenException"))


@unittest.skipIf(shutil.which("aws") is None, "the AWS CLI (awscli) is not installed")
class AwsCliTest(unittest.TestCase):
    def test_the_aws_cli_works_unchanged(self):
        server = ServerProcess().start()
        env = dict(os.environ, AWS_ACCESS_KEY_ID="k", AWS_SECRET_ACCESS_KEY="s",
                   AWS_DEFAULT_REGION=REGION, AWS_PAGER="")

        def aws(*args):
            out = subprocess.run(["aws", "--endpoint-url", server.url, "stepfunctions", *args],
                                 capture_output=True, text=True, env=env, timeout=60)
            return out.returncode, out.stdout, out.stderr

        try:
            rc, out, err = aws("create-state-machine", "--name", "cli", "--role-arn", ROLE,
                               "--definition", PASS)
            self.assertEqual(rc, 0, err)
            arn = json.loads(out)["stateMachineArn"]
            rc, out, err = aws("start-execution", "--state-machine-arn", arn, "--name", "c1")
            self.assertEqual(rc, 0, err)
            ex = json.loads(out)["executionArn"]
            for _ in range(100):
                rc, out, err = aws("describe-execution", "--execution-arn", ex)
                if json.loads(out)["status"] != "RUNNING":
                    break
            self.assertEqual(json.loads(json.loads(out)["output"]), {"x": 1})
            rc, out, err = aws("list-executions", "--state-machine-arn", arn)
            self.assertEqual([e["name"] for e in json.loads(out)["executions"]], ["c1"])
            rc, out, err = aws("describe-state-machine", "--state-machine-arn", arn + "x")
            self.assertNotEqual(rc, 0)
            self.assertIn("StateMachineDoesNotExist", err)
        finally:
            server.stop()


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@unittest.skipIf(boto3 is None or chromium() is None, "needs python3-boto3 and chromium")
class ConsoleTest(unittest.TestCase):
    """The console's pages as headless Chromium renders them."""

    def dom(self, url):
        profile = tempfile.mkdtemp()
        try:
            out = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                                  "--user-data-dir=" + profile, "--dump-dom", url],
                                 capture_output=True, text=True, timeout=60)
            return out.stdout
        finally:
            shutil.rmtree(profile, ignore_errors=True)

    def test_list_execution_page_and_live_refresh(self):
        server = ServerProcess().start()
        try:
            sfn = server.client()
            arn = sfn.create_state_machine(name="shown", roleArn=ROLE,
                                           definition=PASS)["stateMachineArn"]
            done = sfn.start_execution(stateMachineArn=arn, name="done-one")["executionArn"]
            waiting = sfn.create_state_machine(name="waiting", roleArn=ROLE,
                                               definition=LONG_WAIT)["stateMachineArn"]
            sfn.start_execution(stateMachineArn=waiting, name="running-one")
            time.sleep(0.2)
            home = self.dom(server.url + "/")
            self.assertIn("shown", home)
            self.assertIn("done-one", home)
            self.assertIn("running-one", home)
            self.assertIn('http-equiv="refresh"', home)  # something runs: the list refreshes
            page = self.dom(server.url + "/console/execution?arn=" + done)
            self.assertIn("SUCCEEDED", page)
            self.assertIn("<svg", page)
            self.assertNotIn('http-equiv="refresh"', page)
        finally:
            server.stop()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: server_test.py PATH/TO/stepwise [unittest args]")
    STEPWISE = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
