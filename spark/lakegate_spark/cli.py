"""What the four jobs share: arguments, result lines on stdout, exit codes, the session's lifetime.

Contract with the gateway (src/jobs/spark/spark-job-backend.ts):
  stdout lines `LAKEGATE_RESULT {json}` (rows, tables written), `LAKEGATE_QUALITY {json}`, `LAKEGATE_BENCHMARK [json]`;
  exit 0 = done, 3 = quality FAIL (nothing written), 4 = the input is not a readable card CSV,
  2 = bad arguments, anything else = an error worth retrying.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, List, Optional

from pyspark.sql import DataFrame, SparkSession

from .session import create_session, read_text, spark_uri
from .tables import Tables
from .transactions import InputError, read_raw, read_txn_parquet, txn_from_raw

EXIT_QUALITY_FAIL = 3
EXIT_INPUT_INVALID = 4

DEFAULT_DDL_DIR = str(Path(__file__).resolve().parents[2] / "ddl")


class Job:
    """The parsed arguments, the session and ddl/ of one job run."""

    def __init__(self, args: argparse.Namespace, spark: SparkSession):
        self.args = args
        self.spark = spark
        # The input's files: one CSV, or several of one header (`.gz` ones are read as gzip, by their
        # extension), given as --input or listed one per line in the --input-list file.
        listed = read_text(spark, spark_uri(args.input_list)).splitlines() if args.input_list else []
        self.inputs: List[str] = [spark_uri(i) for i in [*(args.input or []), *listed] if i.strip()]
        if not self.inputs:
            raise InputError("no input files: --input-list names an empty list")
        self.output = spark_uri(args.output).rstrip("/")
        self.year: int = args.year
        self.version: str = args.version
        self.run_id: str = args.run_id
        self.tables = Tables(spark, spark_uri(args.ddl_dir))
        self.transactions: Optional[str] = spark_uri(args.transactions) if args.transactions else None

    def txn(self) -> DataFrame:
        """Typed transactions: the published partitioned_transactions given by --transactions, else the CSV."""
        if self.transactions:
            return read_txn_parquet(self.spark, self.transactions, self.tables.schema("partitioned_transactions"))
        return txn_from_raw(read_raw(self.spark, self.inputs, self.tables.domain()))

    def version_dir(self, table: str) -> str:
        """Where this job writes `table`: `<output>/.versions/<table>/<version>` (the gateway publishes it)."""
        return f"{self.output}/.versions/{table}/{self.version}"


def _version(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", text) or text in (".", ".."):
        raise argparse.ArgumentTypeError(f"not a version directory name: {text!r}")
    return text


def parse_args(stage: str, argv: Optional[list] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=f"{stage}.py", description=f"lakegate {stage} stage on Spark")
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument("--input", action="append",
                       help="card CSV file (local path, s3:// or s3a://; .csv.gz read as gzip); may be repeated")
    given.add_argument("--input-list", help="a text file listing the input's CSV files, one per line (an input of many files)")
    p.add_argument("--output", required=True, help="warehouse root; tables go to <output>/.versions/<table>/<version>/")
    p.add_argument("--year", required=True, type=int, help="target year of the quarterly stage")
    p.add_argument("--version", required=True, type=_version, help="version directory name, e.g. <runId>-a<attempt>")
    p.add_argument("--run-id", required=True, help="pipeline run id (written into report tables)")
    p.add_argument("--ddl-dir", default=DEFAULT_DDL_DIR, help="directory of <table>.sql, transforms/ and card-domain.json")
    p.add_argument("--transactions", help="published partitioned_transactions to read instead of the CSV (quarterly, benchmark)")
    p.add_argument("--scratch", help="scratch directory of the benchmark stage (default <output>/.staging/<version>-bench)")
    return p.parse_args(argv)


def emit(tag: str, payload: Any) -> None:
    """One machine-readable line on stdout for the gateway."""
    print(f"{tag} {json.dumps(payload, ensure_ascii=True, separators=(',', ':'))}", flush=True)


def run(stage: str, body: Callable[[Job], int]) -> None:
    """Parses arguments, runs `body` in a session and exits with its code (or 4 / 1 on errors)."""
    args = parse_args(stage)
    spark = create_session(f"lakegate-{stage}", [*(args.input or []), *([args.input_list] if args.input_list else []), args.output])
    code = 1
    try:
        code = body(Job(args, spark))
    except InputError as err:
        print(f"lakegate {stage}: {err}", file=sys.stderr, flush=True)
        code = EXIT_INPUT_INVALID
    except Exception:  # noqa: BLE001 - anything else is reported and maps to a retryable failure
        traceback.print_exc()
        code = 1
    finally:
        spark.stop()
    sys.exit(code)
