"""Stage 4, benchmark: CSV vs Parquet, partition layouts, caching, dimension join, repartition counts on Spark.

spark-submit spark/jobs/benchmark.py --input CSV [--input CSV ...] --output DIR --year Y --version V --run-id R
    [--transactions DIR_OF_PUBLISHED_partitioned_transactions] [--scratch DIR] [--ddl-dir DIR]
Prints `LAKEGATE_BENCHMARK [results]`; writes benchmark_report.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # spark/, for lakegate_spark (client mode)

from lakegate_spark.benchmarks import run_benchmarks  # noqa: E402
from lakegate_spark.cli import Job, emit, run  # noqa: E402
from lakegate_spark.session import delete, exists  # noqa: E402
from lakegate_spark.tables import write_table  # noqa: E402


def main(job: Job) -> int:
    scratch = job.args.scratch or f"{job.output}/.staging/{job.version}-bench"
    if exists(job.spark, scratch):
        delete(job.spark, scratch)
    txn = job.txn()
    parquet = job.transactions
    if parquet is None:
        # No published transactions to compare against: write the run's own copy first (not timed).
        parquet = f"{scratch}/partitioned_transactions"
        write_table(txn, job.tables.schema("partitioned_transactions"), parquet)
    try:
        results = run_benchmarks(job.spark, txn, job.inputs, parquet, scratch, job.year, job.tables.domain())
    finally:
        if exists(job.spark, scratch):
            delete(job.spark, scratch)
    emit("LAKEGATE_BENCHMARK", results)
    schema = job.tables.schema("benchmark_report")
    rows = [(job.run_id, r["benchmark"], r["variant"], float(r["elapsedMs"]), r["rowsRead"], r["outputFiles"],
             None if r["improvementPct"] is None else float(r["improvementPct"]), r["detail"]) for r in results]
    write_table(job.spark.createDataFrame(rows, schema.struct()), schema, job.version_dir("benchmark_report"))
    emit("LAKEGATE_RESULT", {"rows": len(results), "tables": ["benchmark_report"]})
    return 0


if __name__ == "__main__":
    run("benchmark", main)
