"""Runs Spark SQL queries over Parquet tables in one local Spark session and prints the results as JSON.

Input (a JSON file named on the command line, or stdin):
  {"database": "card_analytics",
   "tables": {"partitioned_transactions": "/tmp/x/partitioned_transactions", ...},
   "queries": [{"id": "q01", "sql": "SELECT ..."}, ...]}
Output (stdout, one JSON document):
  {"spark": "4.x", "results": [{"id": "q01", "columns": [...], "rows": [[...], ...]} | {"id": ..., "error": "..."}]}
Values are tagged so that nothing is lost on the way to JavaScript: integers {"int": "123"},
decimals {"dec": "1.50"}, floats {"float": 1.5} (or "NaN"/"Infinity"/"-Infinity"), dates {"date": ...},
timestamps {"ts": "yyyy-MM-dd HH:mm:ss[.ffffff]"}; strings, booleans, null and lists as themselves.
Tables are exposed both as temporary views (bare names) and as views in the given database.
The session time zone is UTC and ANSI mode is off (Hive semantics: bad casts and x/0 give NULL).
"""
import datetime
import decimal
import json
import math
import os
import sys
import time


def encode(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"float": "NaN"}
        if math.isinf(value):
            return {"float": "Infinity" if value > 0 else "-Infinity"}
        return {"float": value}
    if isinstance(value, decimal.Decimal):
        return {"dec": str(value)}
    if isinstance(value, datetime.datetime):
        text = value.strftime("%Y-%m-%d %H:%M:%S")
        if value.microsecond:
            text += (".%06d" % value.microsecond).rstrip("0")
        return {"ts": text}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"map": {str(k): encode(v) for k, v in value.items()}}
    return {"other": str(value)}


def main():
    spec = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
    from pyspark.sql import SparkSession

    warehouse = spec.get("warehouse") or os.path.join(os.getcwd(), "spark-warehouse")
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("lakegate-sql-parity")
        .config("spark.driver.memory", spec.get("driverMemory", "768m"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Tiny tables: one shuffle partition and no whole-stage code generation keep each query fast.
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.warehouse.dir", warehouse)
        .config("spark.driver.extraJavaOptions", "-Duser.timezone=UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    database = spec.get("database", "card_analytics")
    spark.sql(f"CREATE DATABASE IF NOT EXISTS `{database}`")
    for name, location in spec["tables"].items():
        path = location.replace("`", "``")
        spark.read.parquet(location).createOrReplaceTempView(name)
        spark.sql(f"CREATE OR REPLACE VIEW `{database}`.`{name}` AS SELECT * FROM parquet.`{path}`")
        # Read the Parquet once; the queries then scan the cached rows.
        spark.sql(f"CACHE TABLE `{database}`.`{name}`")
    results = []
    for query in spec["queries"]:
        started = time.time()
        try:
            df = spark.sql(query["sql"])
            rows = [[encode(v) for v in row] for row in df.collect()]
            results.append({"id": query["id"], "columns": df.columns, "rows": rows})
            if os.environ.get("LAKEGATE_SPARK_TIMING"):
                print(f"{query['id']}: {time.time() - started:.2f}s", file=sys.stderr)
        except Exception as exc:  # one bad query must not hide the others' results
            results.append({"id": query["id"], "error": str(exc).split("\n")[0][:2000]})
    json.dump({"spark": spark.version, "results": results}, sys.stdout, ensure_ascii=False)
    sys.stdout.flush()
    spark.stop()


if __name__ == "__main__":
    main()
