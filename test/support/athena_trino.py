"""Athena's query engine for the moto harness: StartQueryExecution runs the query on a real Trino.

Athena engine v3 is Trino. When the harness is given a Trino base URL (LAKEGATE_HARNESS_ATHENA_TRINO),
every query execution is sent to that Trino (POST /v1/statement, catalog `hive`, schema = the
QueryExecutionContext's Database) and followed through its nextUri in a background thread. Meanwhile
the execution is RUNNING; then it is SUCCEEDED with the result as Athena presents it (GetQueryResults:
the header row first, every cell as VarCharValue text, NULL as an empty Datum, ColumnInfo with Athena's
type names), or FAILED with Athena's StateChangeReason ("COLUMN_NOT_FOUND: line 1:8: ..."), or
CANCELLED by StopQueryExecution, which also cancels the Trino query (DELETE on its nextUri).

Without the URL, nothing here is installed and moto behaves as before.
"""

import base64
import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from moto.athena.exceptions import QueryStillRunning
from moto.athena.models import QueryResults

USER = "lakegate-athena"
# Athena's Precision for the types with a fixed one (Scale is 0 for all of them).
PRECISION = {"tinyint": 3, "smallint": 5, "integer": 10, "bigint": 19, "real": 7, "double": 17, "varchar": 2147483647}
CASE_SENSITIVE = {"varchar", "char"}


def _text(sig: dict[str, Any], value: Any) -> str:
    """Athena's text for one value of the type signature `sig`, nested values included ("[1, 2]", "{a=1}")."""
    if value is None:
        return "null"
    raw = sig["rawType"]
    args = sig.get("arguments") or []
    if raw == "boolean":
        return "true" if value else "false"
    if raw == "varbinary":
        return " ".join(f"{b:02x}" for b in base64.b64decode(value))
    if raw == "array":
        return "[" + ", ".join(_text(args[0]["value"], v) for v in value) + "]"
    if raw == "map":
        # Trino sends a map as a JSON object: its keys are already text.
        return "{" + ", ".join(f"{k}={_text(args[1]['value'], v)}" for k, v in value.items()) + "}"
    if raw == "row":
        fields = [(a["value"].get("fieldName") or {}).get("name") or f"field{i}" for i, a in enumerate(args)]
        return "{" + ", ".join(f"{name}={_text(a['value']['typeSignature'], v)}" for name, a, v in zip(fields, args, value)) + "}"
    # Numbers arrive as their JSON text (see _parse): BIGINT digits exact, DOUBLE as Java prints it
    # ("1.0E300", "-1.5"), which is what Athena shows; DECIMAL, dates and timestamps are JSON strings.
    return str(value)


def _parse(body: bytes) -> Any:
    """Trino's JSON with every number kept as its text: no BIGINT or DOUBLE passes through a Python float."""
    return json.loads(body, parse_int=str, parse_float=str)


def _column_info(column: dict[str, Any]) -> dict[str, Any]:
    sig = column["typeSignature"]
    raw = sig["rawType"]
    longs = [a["value"] for a in sig.get("arguments") or [] if a["kind"] == "LONG"]
    precision, scale = PRECISION.get(raw, 0), 0
    if raw == "decimal":
        precision, scale = int(longs[0]), int(longs[1])
    elif longs and raw in {"varchar", "char", "timestamp", "time", "timestamp with time zone"}:
        precision = int(longs[0])
    return {
        "CatalogName": "hive",
        "SchemaName": "",
        "TableName": "",
        "Name": column["name"],
        "Label": column["name"],
        "Type": raw,
        "Precision": precision,
        "Scale": scale,
        "Nullable": "UNKNOWN",
        "CaseSensitive": raw in CASE_SENSITIVE,
    }


class TrinoRun:
    """One Athena execution on Trino: its state, the rows collected so far and the URI that cancels it."""

    def __init__(self, base: str, query: str, schema: str | None) -> None:
        self.base = base.rstrip("/")
        self.query = query
        self.schema = schema
        self.lock = threading.Lock()
        self.state = "RUNNING"
        self.reason: str | None = None
        self.error: dict[str, Any] | None = None
        self.next_uri: str | None = None
        self.columns: list[dict[str, Any]] = []
        self.data: list[list[Any]] = []
        self.scanned = 0
        self.elapsed_ms = 0
        self.results: QueryResults | None = None
        threading.Thread(target=self._run, daemon=True).start()

    def _request(self, method: str, url: str, data: bytes | None = None) -> Any:
        # Athena runs in UTC; without PARAMETRIC_DATETIME Trino would round every timestamp to milliseconds
        # for an old client, whatever the column's precision.
        headers = {
            "X-Trino-User": USER,
            "X-Trino-Catalog": "hive",
            "X-Trino-Source": "moto-athena",
            "X-Trino-Time-Zone": "UTC",
            "X-Trino-Client-Capabilities": "PARAMETRIC_DATETIME",
        }
        if self.schema:
            headers["X-Trino-Schema"] = self.schema
        for attempt in range(50):
            try:
                with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers), timeout=60) as res:
                    return _parse(res.read()) if method != "DELETE" else None
            except urllib.error.HTTPError as err:
                # Trino answers 502/503/504 when the client should retry the same URI.
                if err.code not in (502, 503, 504) or attempt == 49:
                    raise
                time.sleep(0.1)
        return None

    def _run(self) -> None:
        try:
            payload = self._request("POST", f"{self.base}/v1/statement", self.query.encode("utf-8"))
            while True:
                self.columns = payload.get("columns") or self.columns
                self.data.extend(payload.get("data") or [])
                stats = payload.get("stats") or {}
                self.scanned = int(stats.get("physicalInputBytes") or stats.get("processedBytes") or 0)
                self.elapsed_ms = int(stats.get("elapsedTimeMillis") or 0)
                if payload.get("error"):
                    return self._finish("FAILED", error=payload["error"])
                with self.lock:
                    cancelled = self.state == "CANCELLED"
                    self.next_uri = payload.get("nextUri")
                if cancelled:
                    # Stopped before Trino had answered the POST (cancel() had no URI to DELETE then).
                    if self.next_uri:
                        self._request("DELETE", self.next_uri)
                    return
                if not self.next_uri:
                    return self._finish("SUCCEEDED")
                payload = self._request("GET", self.next_uri)
        except Exception as err:  # noqa: BLE001 - any failure to reach Trino fails the execution, as Athena would
            self._finish("FAILED", error={"errorName": "GENERIC_INTERNAL_ERROR", "errorType": "INTERNAL_ERROR", "message": f"{type(err).__name__}: {err}"})

    def _finish(self, state: str, error: dict[str, Any] | None = None) -> None:
        results = self._results() if state == "SUCCEEDED" else None
        with self.lock:
            if self.state == "CANCELLED":
                return
            self.results, self.error, self.state = results, error, state
            if error:
                self.reason = f"{error.get('errorName', 'GENERIC_INTERNAL_ERROR')}: {error.get('message', '')}"

    def _results(self) -> QueryResults:
        sigs = [c["typeSignature"] for c in self.columns]
        header = {"Data": [{"VarCharValue": c["name"]} for c in self.columns]}
        rows = [{"Data": [{} if v is None else {"VarCharValue": _text(s, v)} for s, v in zip(sigs, row)]} for row in self.data]
        return QueryResults(rows=[header, *rows] if self.columns else [], column_info=[_column_info(c) for c in self.columns])

    def cancel(self) -> None:
        with self.lock:
            if self.state != "RUNNING":
                return
            self.state, self.reason, uri = "CANCELLED", "Query cancelled by user", self.next_uri
        if uri:
            try:
                self._request("DELETE", uri)
            except Exception:  # noqa: BLE001 - a query Trino already forgot is cancelled all the same
                pass

    def describe(self, execution: dict[str, Any]) -> None:
        """GetQueryExecution's fields that come from the run: reason, error, statistics."""
        with self.lock:
            if self.reason:
                execution["Status"]["StateChangeReason"] = self.reason
            if self.error:
                user = self.error.get("errorType") == "USER_ERROR"
                execution["Status"]["AthenaError"] = {"ErrorCategory": 2 if user else 1, "ErrorType": 1006 if user else 401, "Retryable": not user, "ErrorMessage": self.reason}
            execution["Statistics"]["DataScannedInBytes"] = self.scanned
            execution["Statistics"]["EngineExecutionTimeInMillis"] = self.elapsed_ms
            execution["Statistics"]["TotalExecutionTimeInMillis"] = self.elapsed_ms


def run_of(execution: Any) -> TrinoRun | None:
    return getattr(execution, "trino_run", None)


def install(backend_class: Any, execution_class: Any, trino_url: str | None) -> None:
    """Routes moto's Athena executions through Trino at `trino_url` (no-op without one)."""
    if not trino_url:
        return
    start, stop, results = backend_class.start_query_execution, backend_class.stop_query_execution, backend_class.get_query_results
    managed = execution_class.status

    def start_query_execution(self: Any, query: str, context: Any, *args: Any, **kwargs: Any) -> str:
        exec_id = start(self, query, context, *args, **kwargs)
        database = context.get("Database") if isinstance(context, dict) else None
        self.executions[exec_id].trino_run = TrinoRun(trino_url, query, database)
        return exec_id

    def stop_query_execution(self: Any, exec_id: str) -> None:
        run = run_of(self.executions[exec_id])
        if run:
            run.cancel()
        else:
            stop(self, exec_id)

    def get_query_results(self: Any, exec_id: str) -> Any:
        run = run_of(self.executions.get(exec_id))
        if not run:
            return results(self, exec_id)
        with run.lock:
            state, answer = run.state, run.results
        # As Athena: the results of a query that did not succeed (yet) are refused, never made up.
        if state != "SUCCEEDED" or answer is None:
            raise QueryStillRunning(state)
        return answer

    # The run's state, not moto's state manager (which only walks QUEUED -> RUNNING -> SUCCEEDED).
    def status_get(self: Any) -> str | None:
        run = run_of(self)
        return run.state if run else managed.fget(self)

    def status_set(self: Any, value: str) -> None:
        run = run_of(self)
        if run:
            with run.lock:
                run.state = value
        else:
            managed.fset(self, value)

    backend_class.start_query_execution = start_query_execution
    backend_class.stop_query_execution = stop_query_execution
    backend_class.get_query_results = get_query_results
    execution_class.status = property(status_get, status_set)
