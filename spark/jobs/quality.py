"""Stage 1, data quality: every check of the domain on the raw CSV; writes quality_report unless FAIL.

spark-submit spark/jobs/quality.py --input CSV [--input CSV ...] --output DIR --year Y --version V --run-id R [--ddl-dir DIR]
Prints `LAKEGATE_QUALITY {overall, checks, rows}`; exits 3 on FAIL.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # spark/, for lakegate_spark (client mode)

from lakegate_spark.cli import EXIT_QUALITY_FAIL, Job, emit, run  # noqa: E402
from lakegate_spark.quality import evaluate, quality_counts, utc_now  # noqa: E402
from lakegate_spark.tables import write_table  # noqa: E402
from lakegate_spark.transactions import read_raw  # noqa: E402


def main(job: Job) -> int:
    domain = job.tables.domain()
    raw = read_raw(job.spark, job.inputs, domain)
    counts = quality_counts(raw, domain, utc_now())
    report = evaluate(counts, domain)
    emit("LAKEGATE_QUALITY", {**report, "rows": counts["total"]})
    if report["overall"] == "FAIL":
        return EXIT_QUALITY_FAIL
    schema = job.tables.schema("quality_report")
    checked_at = utc_now()
    rows = [(job.run_id, c["name"], c["status"], c["issueCount"], c["detail"], checked_at) for c in report["checks"]]
    df = job.spark.createDataFrame(rows, schema.struct())
    write_table(df, schema, job.version_dir("quality_report"))
    emit("LAKEGATE_RESULT", {"rows": counts["total"], "tables": ["quality_report"]})
    return 0


if __name__ == "__main__":
    run("quality", main)
