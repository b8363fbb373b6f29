"""Benchmark stage on Spark: the comparisons of the domain facts, measured on this run's data.

Same comparisons, variant names and row semantics as src/jobs/local/benchmark-suite.ts (so both
engines fill benchmark_report alike): csv vs parquet, partition layouts, caching, a dimension join
plain (shuffled hash join) vs broadcast, and repartition counts. Each variant is timed once, after
its untimed setup; `rowsRead` is the number of rows the measured query returned.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .session import count_parquet_files, delete

# Comparisons that write copies use at most this many rows (as the embedded engine does).
WRITE_SAMPLE_ROWS = 250_000


@dataclass
class Variant:
    variant: str
    detail: str
    measure: Callable[[], int]
    setup: Optional[Callable[[], Any]] = None
    files: Optional[Callable[[], int]] = None


def _js_round(x: float) -> float:
    return math.floor(x + 0.5)


def compare(name: str, variants: List[Variant]) -> List[Dict[str, Any]]:
    """Times each variant once (after its setup); savings are against the first variant."""
    results: List[Dict[str, Any]] = []
    for v in variants:
        if v.setup:
            v.setup()
        t0 = time.perf_counter()
        rows = v.measure()
        elapsed = (time.perf_counter() - t0) * 1000
        base = results[0]["elapsedMs"] if results else None
        results.append({
            "benchmark": name,
            "variant": v.variant,
            "elapsedMs": _js_round(elapsed * 1000) / 1000,
            "rowsRead": rows,
            "outputFiles": v.files() if v.files else None,
            "improvementPct": None if not base else _js_round(((base - elapsed) / base) * 1000) / 10,
            "detail": v.detail,
        })
    return results


def _sample(txn: DataFrame, n: int) -> DataFrame:
    """Up to n rows spread over the whole input (a plain limit would take the first months' files only)."""
    total = txn.count()
    if total <= n:
        return txn
    return txn.sample(withReplacement=False, fraction=min(1.0, 1.05 * n / total), seed=42).limit(n)


def _rows(df: DataFrame) -> int:
    return len(df.collect())


class _BroadcastOff:
    """Disables automatic broadcast joins (planner and AQE) for the duration of a block."""

    KEYS = ("spark.sql.autoBroadcastJoinThreshold", "spark.sql.adaptive.autoBroadcastJoinThreshold")

    def __init__(self, spark: SparkSession):
        self.conf = spark.conf
        self.saved: Dict[str, Optional[str]] = {}

    def __enter__(self) -> None:
        for k in self.KEYS:
            self.saved[k] = self.conf.get(k, None)
            self.conf.set(k, "-1")

    def __exit__(self, *exc: Any) -> None:
        for k, v in self.saved.items():
            if v is None:
                self.conf.unset(k)
            else:
                self.conf.set(k, v)


def run_benchmarks(spark: SparkSession, txn: DataFrame, csv_uris: List[str], parquet_uri: str, scratch: str,
                   year: int, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
    """`txn`: typed transactions; `parquet_uri`: the same as partitioned Parquet; `scratch`: removed at the end."""
    col = F.col
    parquet = lambda: spark.read.parquet(parquet_uri)  # noqa: E731
    path = lambda name: f"{scratch}/{name}"  # noqa: E731
    month_query = lambda df: df.where((col("txn_year") == year) & (col("txn_month") == 6)).groupBy("category").agg(F.sum("amount"))  # noqa: E731
    aggregate = lambda df: df.groupBy("region", "category").agg(F.sum("amount"), F.avg("amount"))  # noqa: E731
    dim = spark.createDataFrame([(c["name"], i + 1) for i, c in enumerate(domain["categories"])], "category STRING, category_id INT")
    sample = _sample(txn, WRITE_SAMPLE_ROWS).cache()
    sample_rows = sample.count()
    sampled = f"(up to {WRITE_SAMPLE_ROWS:,} rows)"
    results: List[Dict[str, Any]] = []

    csv = lambda: spark.read.option("header", True).option("escape", '"').csv(csv_uris)  # noqa: E731
    results += compare("csv_vs_parquet", [
        Variant("csv", "count and sum(amount) scanning the input CSV",
                lambda: _rows(csv().agg(F.count(F.lit(1)), F.sum(F.expr("try_cast(amount AS BIGINT)"))))),
        Variant("parquet", "the same over partitioned_transactions Parquet",
                lambda: _rows(parquet().agg(F.count(F.lit(1)), F.sum("amount")))),
    ])

    def write_flat() -> None:
        sample.coalesce(1).write.mode("overwrite").parquet(path("flat"))

    def write_by_date() -> None:
        dated = sample.withColumn("d", col("txn_date").cast("string"))
        dated.repartition("d").write.mode("overwrite").partitionBy("d").parquet(path("by_date"))

    def write_by_year_month() -> None:
        keys = ["txn_year", "txn_month"]
        sample.repartition(*keys).write.mode("overwrite").partitionBy(*keys).parquet(path("by_year_month"))

    results += compare("partitioning", [
        Variant("unpartitioned", f"one month filtered from a single unpartitioned file {sampled}",
                lambda: _rows(month_query(spark.read.parquet(path("flat")))), write_flat, lambda: count_parquet_files(spark, path("flat"))),
        Variant("by_date", f"the same month from a copy partitioned by txn_date {sampled}",
                lambda: _rows(month_query(spark.read.parquet(path("by_date")))), write_by_date, lambda: count_parquet_files(spark, path("by_date"))),
        Variant("by_year_month", f"the same month from a txn_year/txn_month copy, pruning partitions {sampled}",
                lambda: _rows(month_query(spark.read.parquet(path("by_year_month")))), write_by_year_month,
                lambda: count_parquet_files(spark, path("by_year_month"))),
    ])

    cached = parquet().select("region", "category", "amount").cache()

    def warm_cache() -> None:
        cached.count()
        _rows(aggregate(cached))

    results += compare("caching", [
        Variant("uncached", "region x category aggregate re-reading Parquet", lambda: _rows(aggregate(parquet())), lambda: _rows(aggregate(parquet()))),
        Variant("cached", "the same aggregate on a cached DataFrame (second run)", lambda: _rows(aggregate(cached)), warm_cache),
    ])
    cached.unpersist()

    def join(hint: Callable[[DataFrame], DataFrame]) -> int:
        return _rows(parquet().join(hint(dim), "category").groupBy("category_id").agg(F.sum("amount")))

    def hash_join() -> int:
        with _BroadcastOff(spark):
            return join(lambda d: d.hint("shuffle_hash"))

    results += compare("dimension_join", [
        Variant("hash_join", "join with an 8-row category dimension, shuffled hash join (automatic broadcast off)", hash_join),
        Variant("broadcast", "the same join with the dimension broadcast to every task", lambda: join(F.broadcast)),
    ])

    def repartition(k: int) -> Variant:
        def measure() -> int:
            sample.repartition(k).write.mode("overwrite").parquet(path(f"bucket_{k}"))
            return sample_rows
        return Variant(f"files_{k}", f"transactions rewritten as {k} partitions {sampled}", measure,
                       files=lambda: count_parquet_files(spark, path(f"bucket_{k}")))

    results += compare("repartition", [repartition(k) for k in (1, 4, 16)])
    sample.unpersist()
    delete(spark, scratch)
    return results
