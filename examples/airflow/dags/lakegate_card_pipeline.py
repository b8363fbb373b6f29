"""The card-transaction batch, scheduled by Airflow 3 and run by a lakegate gateway.

The original project's DAG, rebuilt on lakegate's REST API: daily at 02:00 KST, the four stages in
order (quality -> etl -> quarterly -> benchmark, a quality FAIL stops the run), at most one active
run, 2 retries 5 minutes apart, one hour for the run. Needs Airflow 3 and apache-airflow-providers-http,
nothing else.

Connection ``lakegate_default`` (HTTP): the gateway's URL; an API key goes in the password and is
sent as a Bearer token, e.g. ``AIRFLOW_CONN_LAKEGATE_DEFAULT='http://:KEY@gateway:8080'``.

Tasks:
- ``submit_run``: POST /pipelines/run with an idempotency key made of the DAG id, the run's logical
  date (its run id when it has none) and the input, so a retried or re-run task gets the same
  gateway run instead of starting a second one.
- ``wait_for_run``: polls GET /pipelines/runs/{id} in reschedule mode, holding no worker slot between
  checks (a gateway restarting or shedding load is asked again at the next check); fails with the
  run's error and the quality verdict when the run ends failed, halted or cancelled. Past the hour,
  counted from the run's creation so that a retry does not restart it, or when the task is killed
  while it checks, it cancels the gateway's run.
- ``cancel_on_failure`` (trigger rule one_failed): when the wait failed, however it did (timed out,
  killed, marked failed between two checks, when it has no process of its own), cancels the run.
- ``validate_tables``: GET /tables/{name}/validate for the tables the run published.
- ``hourly_share``: one canned analytics call on the fresh tables.

Retries: the gateway retries a stage that failed for a transient reason itself
(LAKEGATE_STAGE_RETRIES). A run that ended is final, and a request the gateway refuses (bad input) is
wrong the next time too: both fail without Airflow's retries, which cover a gateway out of reach,
shedding load, or busy with another run of the same output. The key covers the request (input, year,
stages), so re-running a date with the same params replays its run, verdict included.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from datetime import timedelta
from typing import Any

import pendulum
from airflow.providers.http.hooks.http import HttpHook
from airflow.sdk import DAG, BaseSensorOperator, CronTriggerTimetable, Param, TriggerRule, get_current_context, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSensorTimeout, AirflowSkipException
from requests.exceptions import RequestException

CONN_ID = "lakegate_default"
# Task log lines outside an operator (the cleanup task).
log = logging.getLogger("airflow.task")
STAGES = ["quality", "etl", "quarterly", "benchmark"]
TERMINAL = {"succeeded", "failed", "halted", "cancelled"}
# Seconds between two checks of a run (30 in production; tests shorten it).
POLL_SECONDS = float(os.environ.get("LAKEGATE_DAG_POLL_SECONDS", "30"))
# How long a run may take, as the original DAG allowed (tests shorten it): past it the wait fails and
# cancels the gateway's run.
RUN_TIMEOUT = timedelta(seconds=float(os.environ.get("LAKEGATE_DAG_TIMEOUT_SECONDS", "3600")))
# What the scheduled runs read, as the gateway sees it (a trigger's conf may name another input).
DEFAULT_INPUT = os.environ.get("LAKEGATE_DAG_INPUT", "data/card_transactions.csv")


def _call(method: str, endpoint: str, body: dict[str, Any] | None = None, timeout: float = 30) -> dict[str, Any]:
    """One call to the gateway; a problem answer raises with the gateway's code and detail."""
    hook = HttpHook(method=method, http_conn_id=CONN_ID)
    conn = hook.get_connection(CONN_ID)
    if conn.login:
        # requests would send them as Basic auth, over the Bearer token: the gateway wants the key alone.
        raise AirflowFailException(f"connection {CONN_ID}: leave the login empty and put the API key in the password")
    if conn.conn_type == "https" and not conn.schema:
        # The HTTP hook takes the scheme from the connection's schema (the URI's path), not its type.
        raise AirflowFailException(f"connection {CONN_ID}: for https write the URL as http://:KEY@host:port/https")
    headers = {"Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if conn.password:
        headers["Authorization"] = f"Bearer {conn.password}"
    response = hook.run(
        endpoint,
        data=None if body is None else json.dumps(body),
        headers=headers,
        extra_options={"check_response": False, "timeout": timeout},
    )
    try:
        answer = response.json()
    except ValueError:
        answer = {"detail": response.text[:500]}
    if response.status_code >= 400:
        raise LakegateError(response.status_code, answer)
    return answer


class LakegateError(Exception):
    """A gateway's problem answer (application/problem+json)."""

    def __init__(self, status: int, problem: dict[str, Any]):
        self.status = status
        self.code = problem.get("code", f"HTTP_{status}")
        super().__init__(f"{status} {self.code}: {problem.get('detail') or problem.get('title') or problem}")

    @property
    def transient(self) -> bool:
        """Worth asking again: the gateway shedding load, rate-limiting, or another run active on the output."""
        return self.status in (408, 409, 429) or self.status >= 500


def idempotency_key(dag_id: str, when: str, request: dict[str, Any]) -> str:
    """The same DAG, date and request give the same key: a retried or re-run task gets the same gateway run."""
    digest = hashlib.sha256(json.dumps([dag_id, when, request], sort_keys=True).encode()).hexdigest()
    return f"airflow-{dag_id}-{digest[:32]}"


def run_verdict(run: dict[str, Any]) -> str:
    """Why a run did not succeed: its error, and the quality checks that did not pass."""
    quality = run.get("quality") or {}
    checks = [f"{c['name']} {c['status']} ({c.get('detail') or c.get('issueCount')})" for c in quality.get("checks", []) if c["status"] != "PASS"]
    parts = [f"lakegate run {run['runId']} {run['status']}"]
    if run.get("error"):
        parts.append(run["error"])
    if quality:
        parts.append(f"quality {quality.get('overall')}: {'; '.join(checks) or 'every check passed'}")
    return ": ".join(parts)


class LakegateRunSensor(BaseSensorOperator):
    """Waits for a gateway run to end; cancels it when the wait is given up (timeout, kill, marked failed)."""

    template_fields = ("run_id",)

    def __init__(self, *, run_id: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.run_id = run_id

    def poke(self, context: Any) -> bool:
        try:
            run = _call("GET", f"/pipelines/runs/{self.run_id}")
        except (LakegateError, RequestException) as err:
            if isinstance(err, LakegateError) and not err.transient:
                raise
            # A gateway restarting or shedding load: asked again at the next poke, not a failed try.
            self.log.warning("lakegate run %s: %s; asking again", self.run_id, err)
            return False
        stages = ", ".join(f"{s['name']} {s['status']}{' %d%%' % s['progress']['percent'] if s.get('progress') and s['status'] == 'running' else ''}" for s in run["stages"])
        self.log.info("lakegate run %s %s: %s", self.run_id, run["status"], stages)
        if run["status"] not in TERMINAL:
            # The hour counts from the run's creation, so a retried wait does not start it again.
            created = pendulum.parse(run["createdAt"])
            if pendulum.now("UTC") - created > RUN_TIMEOUT:
                self._cancel(f"the run took more than {RUN_TIMEOUT}")
                raise AirflowFailException(f"lakegate run {self.run_id} took more than {RUN_TIMEOUT}: cancelled")
            return False
        if run["status"] != "succeeded":
            verdict = run_verdict(run)
            self.log.error("%s", verdict)
            # A run that ended is final: retrying this task would only read the same verdict.
            raise AirflowFailException(verdict)
        context["ti"].xcom_push(key="tables", value=sorted({t for s in run["stages"] for t in s.get("tables", [])}))
        return True

    def execute(self, context: Any) -> Any:
        try:
            return super().execute(context)
        except AirflowSensorTimeout:
            self._cancel("the wait timed out")
            raise

    def on_kill(self) -> None:
        self._cancel("the task was killed")

    def _cancel(self, why: str) -> None:
        LakegateRunSensor.cancel(self.run_id, why, self.log)

    @staticmethod
    def cancel(run_id: str, why: str, logger: Any) -> None:
        """Cancels the run (the gateway answers once it stopped); whatever happens, the caller's failure stands."""
        try:
            answer = _call("POST", f"/pipelines/runs/{run_id}/cancel", {}, timeout=120)
            logger.warning("%s: cancelled lakegate run %s (%s)", why, run_id, answer.get("status"))
        except LakegateError as err:
            if err.code == "RUN_NOT_CANCELLABLE":
                logger.info("%s: lakegate run %s had already ended", why, run_id)
            else:
                logger.error("%s: could not cancel lakegate run %s: %s", why, run_id, err)
        except Exception as err:  # noqa: BLE001 - the timeout or kill being handled must not be replaced
            logger.error("%s: could not cancel lakegate run %s: %s", why, run_id, err)


with DAG(
    dag_id="lakegate_card_pipeline",
    description="Card transactions: quality -> etl -> quarterly -> benchmark on a lakegate gateway",
    schedule=CronTriggerTimetable("0 2 * * *", timezone="Asia/Seoul"),
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Seoul"),
    catchup=False,
    max_active_runs=1,
    # A backstop after the wait's own timeout, which cancels the gateway's run first.
    dagrun_timeout=RUN_TIMEOUT + timedelta(minutes=5),
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    params={
        "input": Param(DEFAULT_INPUT, type="string", minLength=1, description="CSV path or URL the gateway reads (a file, folder, glob or s3:// URL)"),
        "year": Param(2024, type="integer", minimum=1970, maximum=2999, description="target year of the quarterly stage"),
        "stages": Param(STAGES, type="array", items={"type": "string", "enum": STAGES}, minItems=1, description="stages to run"),
    },
    tags=["lakegate", "card"],
) as dag:

    @task
    def submit_run() -> str:
        context = get_current_context()
        params = context["params"]
        logical = context.get("logical_date")
        when = logical.isoformat() if logical is not None else context["run_id"]
        request = {"input": params["input"], "year": params["year"], "stages": params["stages"]}
        key = idempotency_key(context["dag"].dag_id, when, request)
        try:
            answer = _call("POST", "/pipelines/run", {**request, "idempotencyKey": key})
        except LakegateError as err:
            if err.transient:
                raise  # Airflow's retries, 5 minutes apart
            raise AirflowFailException(f"the gateway refused the run: {err}") from err
        print(f"lakegate run {answer['runId']} ({answer['status']}), idempotency key {key}")
        return answer["runId"]

    @task
    def validate_tables() -> None:
        tables = get_current_context()["ti"].xcom_pull(task_ids="wait_for_run", key="tables") or []
        if not tables:
            raise AirflowFailException("the run published no tables")
        invalid = []
        for name in tables:
            answer = _call("GET", f"/tables/{name}/validate")
            print(f"{name}: {'ok' if answer['ok'] else 'DIFFERS'}, {answer.get('filesChecked')} files checked")
            if not answer["ok"]:
                invalid.append(f"{name}: {json.dumps(answer['differences'], ensure_ascii=False)[:500]}")
        if invalid:
            raise AirflowFailException("tables whose files differ from their declared schema: " + "; ".join(invalid))

    @task
    def hourly_share() -> None:
        params = get_current_context()["params"]
        if "etl" not in params["stages"]:
            raise AirflowSkipException("the run did not publish the transactions (no etl stage)")
        year = params["year"]
        answer = _call("GET", f"/analytics/hourly-share?year={year}")
        rows = answer.get("rows", [])
        if len(rows) == 0:
            raise AirflowFailException(f"hourly-share for {year} has no rows")
        print(f"hourly-share {year}: {len(rows)} hours, e.g. {rows[0]}")

    run_id = submit_run()
    wait = LakegateRunSensor(
        task_id="wait_for_run",
        run_id=run_id,
        mode="reschedule",
        poke_interval=POLL_SECONDS,
        timeout=RUN_TIMEOUT.total_seconds(),
    )
    @task(trigger_rule=TriggerRule.ONE_FAILED, retries=0)
    def cancel_on_failure() -> None:
        """Runs when the wait failed however it did (timed out, killed, marked failed): the gateway's run stops too."""
        run = get_current_context()["ti"].xcom_pull(task_ids="submit_run")
        if not run:
            print("no lakegate run was submitted: nothing to cancel")
            return
        LakegateRunSensor.cancel(run, "the wait failed", log)

    run_id >> wait >> validate_tables() >> hourly_share()
    wait >> cancel_on_failure()
