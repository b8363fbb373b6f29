"""ddl/ as the jobs see it: schemas, transforms and value domains, read once per job."""
from __future__ import annotations

import json
import re
from typing import Any, Dict

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .ddl import TableSchema, parse_ddl
from .session import read_text


class Tables:
    def __init__(self, spark: SparkSession, ddl_dir: str):
        self.spark = spark
        self.ddl_dir = ddl_dir.rstrip("/")
        self._schemas: Dict[str, TableSchema] = {}
        self._domain: Dict[str, Any] = {}

    def schema(self, name: str) -> TableSchema:
        if name not in self._schemas:
            parsed = parse_ddl(read_text(self.spark, f"{self.ddl_dir}/{name}.sql"))
            if parsed.name != name:
                raise ValueError(f"ddl/{name}.sql defines table {parsed.name}")
            self._schemas[name] = parsed
        return self._schemas[name]

    def transform(self, name: str, year: int) -> str:
        """ddl/transforms/<name>.sql verbatim, `:year` bound to the integer year."""
        sql = read_text(self.spark, f"{self.ddl_dir}/transforms/{name}.sql").strip()
        return re.sub(r":year\b", str(int(year)), sql)

    def domain(self) -> Dict[str, Any]:
        if not self._domain:
            self._domain = json.loads(read_text(self.spark, f"{self.ddl_dir}/card-domain.json"))
        return self._domain


def conform(df: DataFrame, schema: TableSchema) -> DataFrame:
    """Exactly the declared columns (then partition keys), in order, cast to the declared types, all nullable."""
    return _nullable(df.select(*[F.col(c.name).cast(c.spark_type).alias(c.name) for c in schema.all_columns]))


def _nullable(df: DataFrame) -> DataFrame:
    """Hive columns are nullable: Spark would write an aggregate's count(*) as a REQUIRED Parquet field.

    Re-typing goes through the JVM's row RDD (no Python round trip); only small aggregates need it.
    """
    if all(f.nullable for f in df.schema.fields):
        return df
    spark = df.sparkSession
    nullable = T.StructType([T.StructField(f.name, f.dataType, True) for f in df.schema.fields])
    jdf = spark._jsparkSession.createDataFrame(df._jdf.javaRDD(), spark._jsparkSession.parseDataType(nullable.json()))
    return DataFrame(jdf, spark)


def write_table(df: DataFrame, schema: TableSchema, uri: str) -> None:
    """Snappy Parquet under `uri`: one file per Hive-style partition, or one file for an unpartitioned table."""
    out = conform(df, schema)
    keys = [c.name for c in schema.partition_keys]
    if keys:
        out.repartition(*keys).write.mode("overwrite").partitionBy(*keys).parquet(uri)
    else:
        out.coalesce(1).write.mode("overwrite").parquet(uri)
