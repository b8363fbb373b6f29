"""Stage 2, ETL: typed transactions (partitioned by txn_year/txn_month) and the five daily-to-monthly summaries.

spark-submit spark/jobs/etl.py --input CSV [--input CSV ...] --output DIR --year Y --version V --run-id R [--ddl-dir DIR]
Summaries are ddl/transforms/<table>.sql run verbatim over the temp view `txn`.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # spark/, for lakegate_spark (client mode)

from lakegate_spark.cli import Job, emit, run  # noqa: E402
from lakegate_spark.tables import write_table  # noqa: E402
from lakegate_spark.transactions import read_raw, read_txn_parquet, txn_from_raw  # noqa: E402

SUMMARIES = ["daily_category_summary", "merchant_ranking", "hourly_pattern", "regional_analysis", "monthly_trend"]


def main(job: Job) -> int:
    schema = job.tables.schema("partitioned_transactions")
    written = job.version_dir("partitioned_transactions")
    write_table(txn_from_raw(read_raw(job.spark, job.inputs, job.tables.domain())), schema, written)
    # The summaries read the Parquet just written: one CSV parse in all, and columnar scans after it.
    txn = read_txn_parquet(job.spark, written, schema)
    txn.createOrReplaceTempView("txn")
    for table in SUMMARIES:
        write_table(job.spark.sql(job.tables.transform(table, job.year)), job.tables.schema(table), job.version_dir(table))
    emit("LAKEGATE_RESULT", {"rows": txn.count(), "tables": ["partitioned_transactions", *SUMMARIES]})
    return 0


if __name__ == "__main__":
    run("etl", main)
