"""Stage 3, quarterly batch for --year: the six quarterly tables from ddl/transforms over `txn`.

spark-submit spark/jobs/quarterly.py --input CSV [--input CSV ...] --output DIR --year Y --version V --run-id R
    [--transactions DIR_OF_PUBLISHED_partitioned_transactions] [--ddl-dir DIR]
`txn` is the published partitioned_transactions when --transactions is given, else the CSV.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # spark/, for lakegate_spark (client mode)

from pyspark.sql import functions as F  # noqa: E402

from lakegate_spark.cli import Job, emit, run  # noqa: E402
from lakegate_spark.tables import write_table  # noqa: E402

TABLES = [
    "quarterly_category_summary",
    "quarterly_summary",
    "quarterly_merchant_ranking",
    "quarterly_card_type",
    "quarterly_region",
    "quarterly_installment",
]


def main(job: Job) -> int:
    txn = job.txn().where(F.col("txn_year") == job.year)
    txn.createOrReplaceTempView("txn")
    for table in TABLES:
        write_table(job.spark.sql(job.tables.transform(table, job.year)), job.tables.schema(table), job.version_dir(table))
    rows = txn.where(F.col("approval_status") == "approved").count()
    emit("LAKEGATE_RESULT", {"rows": rows, "tables": TABLES})
    return 0


if __name__ == "__main__":
    run("quarterly", main)
