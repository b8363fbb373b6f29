"""moto's server for the test suite, plus the EMR behaviour moto lacks and a control endpoint.

moto keeps every EMR step in the state it was created in, does not implement CancelSteps and drops
RunJobFlow's AutoTerminationPolicy. This harness runs the same WSGI app as `moto_server` in-process and:

- POST /_harness/emr/step-state  {"clusterId", "stepId", "state", "reason"?, "message"?, "logFile"?,
  "region"?, "accountId"?} sets a step's state (and FailureDetails), as the EMR service would;
- answers CancelSteps like EMR: a PENDING step becomes CANCELLED, a RUNNING one CANCEL_PENDING;
- keeps RunJobFlow's AutoTerminationPolicy and answers GetAutoTerminationPolicy;
- POST /_harness/athena/execution-state  {"executionId", "state", "reason"?, "region"?, "accountId"?}
  sets an Athena query execution's state (moto only ever reaches SUCCEEDED) and the
  StateChangeReason that GetQueryExecution then reports, as Athena does for FAILED queries;
- pages GetQueryResults like Athena (MaxResults up to 1000, NextToken), which moto answers in one page;
- with LAKEGATE_HARNESS_ATHENA_TRINO=<Trino base URL> in its environment, runs every StartQueryExecution
  on that Trino (Athena engine v3 is Trino): see athena_trino.py.

Usage: python moto-harness.py -H 127.0.0.1 -p PORT
"""

import argparse
import json
import os
import signal
import sys
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.emr.exceptions import InvalidRequestException
from moto.emr.models import Step, emr_backends
from moto.emr.responses import ElasticMapReduceResponse
from moto.athena.models import AthenaBackend, Execution, athena_backends
from moto.athena.responses import AthenaResponse
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

import athena_trino

STEP_STATES = {"PENDING", "CANCEL_PENDING", "RUNNING", "COMPLETED", "CANCELLED", "FAILED", "INTERRUPTED"}
FINAL_STATES = {"COMPLETED", "CANCELLED", "FAILED", "INTERRUPTED"}

# Auto-termination policies by (account, region, cluster id); moto's reset leaves stale ids harmlessly.
auto_termination: dict[tuple[str, str, str], dict[str, Any]] = {}


def _step(account: str, region: str, cluster_id: str, step_id: str) -> Step:
    cluster = emr_backends[account][region].clusters.get(cluster_id)
    if cluster is None:
        raise KeyError(f"no cluster {cluster_id}")
    for step in cluster.steps:
        if step.id == step_id:
            return step
    raise KeyError(f"no step {step_id} in {cluster_id}")


def _step_status(self: Step) -> dict[str, Any]:
    """moto's Step.status plus FailureDetails, which moto never reports."""
    status: dict[str, Any] = {
        "State": self.state,
        "StateChangeReason": {"Message": getattr(self, "last_state_change_reason", None)},
        "Timeline": {
            "CreationDateTime": self.creation_date_time,
            "EndDateTime": self.end_date_time,
            "StartDateTime": self.start_date_time,
        },
    }
    failure = getattr(self, "failure_details", None)
    if failure:
        status["FailureDetails"] = failure
    return status


def _cancel_steps(self: ElasticMapReduceResponse) -> ActionResult:
    cluster_id = self._get_param("ClusterId")
    if cluster_id not in self.backend.clusters:
        raise InvalidRequestException(f"Cluster id '{cluster_id}' is not valid.")
    infos = []
    for step_id in self._get_param("StepIds", []):
        try:
            step = _step(self.current_account, self.region, cluster_id, step_id)
        except KeyError as err:
            infos.append({"StepId": step_id, "Status": "FAILED", "Reason": str(err)})
            continue
        if step.state == "PENDING":
            step.state = "CANCELLED"
        elif step.state == "RUNNING":
            step.state = "CANCEL_PENDING"
        else:
            infos.append({"StepId": step_id, "Status": "FAILED", "Reason": f"step is {step.state}"})
            continue
        infos.append({"StepId": step_id, "Status": "SUBMITTED", "Reason": ""})
    return ActionResult({"CancelStepsInfoList": infos})


_original_run_job_flow = ElasticMapReduceResponse.run_job_flow


def _run_job_flow(self: ElasticMapReduceResponse) -> ActionResult:
    result = _original_run_job_flow(self)
    policy = self._get_param("AutoTerminationPolicy")
    if policy:
        cluster_id = result.result["JobFlowId"]  # type: ignore[attr-defined]
        auto_termination[(self.current_account, self.region, cluster_id)] = dict(policy)
    return result


def _get_auto_termination_policy(self: ElasticMapReduceResponse) -> ActionResult:
    cluster_id = self._get_param("ClusterId")
    policy = auto_termination.get((self.current_account, self.region, cluster_id))
    return ActionResult({"AutoTerminationPolicy": policy} if policy else {})


Step.status = property(_step_status)  # type: ignore[assignment,method-assign]
ElasticMapReduceResponse.cancel_steps = _cancel_steps  # type: ignore[attr-defined]
ElasticMapReduceResponse.run_job_flow = _run_job_flow  # type: ignore[method-assign]
ElasticMapReduceResponse.get_auto_termination_policy = _get_auto_termination_policy  # type: ignore[attr-defined]


def set_step_state(body: dict[str, Any]) -> dict[str, Any]:
    state = body["state"]
    if state not in STEP_STATES:
        raise ValueError(f"state must be one of {sorted(STEP_STATES)}")
    step = _step(body.get("accountId", DEFAULT_ACCOUNT_ID), body.get("region", "us-east-1"), body["clusterId"], body["stepId"])
    step.state = state
    if state == "RUNNING" and step.start_date_time is None:
        step.start()
    if state in FINAL_STATES:
        from moto.core.utils import utcnow

        step.end_date_time = utcnow()
    if state in {"FAILED", "CANCELLED", "INTERRUPTED"} and (body.get("reason") or body.get("message")):
        step.failure_details = {k: v for k, v in {"Reason": body.get("reason"), "Message": body.get("message"), "LogFile": body.get("logFile")}.items() if v}
        step.last_state_change_reason = body.get("reason")
    return {"stepId": step.id, "state": step.state}


ATHENA_STATES = {"QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"}
_athena_get_query_execution = AthenaResponse.get_query_execution
_athena_get_query_results = AthenaResponse.get_query_results
MAX_RESULTS = 1000


def _get_query_execution(self: AthenaResponse) -> str:
    body = json.loads(_athena_get_query_execution(self))
    execution = self.athena_backend.executions.get(self._get_param("QueryExecutionId"))
    reason = getattr(execution, "harness_reason", None)
    if reason:
        body["QueryExecution"]["Status"]["StateChangeReason"] = reason
    run = athena_trino.run_of(execution)
    if run:
        run.describe(body["QueryExecution"])
    return json.dumps(body)


def _get_query_results(self: AthenaResponse) -> Any:
    """One page of the rows (the header row counts as one), NextToken the offset of the next page."""
    max_results = self._get_param("MaxResults")
    max_results = MAX_RESULTS if max_results is None else max_results
    token = self._get_param("NextToken")
    if not 1 <= max_results <= MAX_RESULTS:
        return self.error(f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to {MAX_RESULTS}", 400)
    if token is not None and not str(token).isdigit():
        return self.error(f"Invalid token: {token}", 400)
    body = json.loads(_athena_get_query_results(self))
    rows = body["ResultSet"]["Rows"]
    start = int(token or 0)
    body["ResultSet"]["Rows"] = rows[start : start + max_results]
    if start + max_results < len(rows):
        body["NextToken"] = str(start + max_results)
    return json.dumps(body)


AthenaResponse.get_query_execution = _get_query_execution  # type: ignore[method-assign]
AthenaResponse.get_query_results = _get_query_results  # type: ignore[method-assign]


def set_athena_state(body: dict[str, Any]) -> dict[str, Any]:
    state = body["state"]
    if state not in ATHENA_STATES:
        raise ValueError(f"state must be one of {sorted(ATHENA_STATES)}")
    backend = athena_backends[body.get("accountId", DEFAULT_ACCOUNT_ID)][body.get("region", "us-east-1")]
    execution = backend.executions[body["executionId"]]
    # Set the stored state directly: moto's state manager only walks QUEUED -> RUNNING -> SUCCEEDED.
    execution._status = state
    execution.harness_reason = body.get("reason")
    return {"executionId": execution.id, "state": state}


athena_trino.install(AthenaBackend, Execution, os.environ.get("LAKEGATE_HARNESS_ATHENA_TRINO"))


def with_harness(app: Any) -> Any:
    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        if not environ.get("PATH_INFO", "").startswith("/_harness/"):
            return app(environ, start_response)
        request = Request(environ)
        routes = {"/_harness/emr/step-state": set_step_state, "/_harness/athena/execution-state": set_athena_state}
        if request.method == "POST" and request.path in routes:
            try:
                payload, status = routes[request.path](json.loads(request.get_data() or b"{}")), 200
            except (KeyError, ValueError) as err:
                payload, status = {"error": str(err)}, 400
        else:
            payload, status = {"error": f"no harness route {request.method} {request.path}"}, 404
        return Response(json.dumps(payload), status=status, mimetype="application/json")(environ, start_response)

    return wsgi


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args()
    server = make_server(
        args.host, args.port, with_harness(DomainDispatcherApplication(create_backend_app)), threaded=True, request_handler=MotoRequestHandler
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.serve_forever()


if __name__ == "__main__":
    main()
