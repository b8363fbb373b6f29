"""The card CSV as Spark reads it (raw text plus parsed fields) and the typed transactions (`txn`)."""
from __future__ import annotations

from typing import Any, Dict, List

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from .ddl import TableSchema

# What counts as parseable: exactly these shapes, then a valid calendar value. Both engines apply
# the same rule, so a half-formatted value ("2024-1-5 9:00:00", "12.5") is invalid everywhere.
WHOLE_NUMBER = r"^[+-]?[0-9]+\z"
TIMESTAMP_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\z"


class InputError(Exception):
    """The input cannot be read as the card CSV (missing, unreadable, lacking columns)."""


def _null_if_text(c: str, null_texts: List[str]) -> Column:
    """The domain's texts for "no value" ('' and 'null') as NULL; any other text ('NULL' too) is a value."""
    return F.when(F.col(c).isin(*null_texts), F.lit(None).cast("string")).otherwise(F.col(c)).alias(c)


def _parsed_int(c: str, sql_type: str) -> Column:
    return F.when(F.col(c).rlike(WHOLE_NUMBER), F.expr(f"try_cast({c} AS {sql_type})"))


def read_raw(spark: SparkSession, uris: List[str], domain: Dict[str, Any]) -> DataFrame:
    """The input's CSV files (one header, checked by the gateway) as one frame: every column as text
    (NULL for the null texts), plus `_ts`, `_amount`, `_installment` parsed once."""
    columns = domain["columns"]
    uri = uris[0] if len(uris) == 1 else f"{uris[0]} (and {len(uris) - 1} more files)"
    try:
        csv = (
            spark.read.option("header", True)
            .option("inferSchema", False)
            .option("escape", '"')
            .option("mode", "PERMISSIVE")
            .csv(uris)
        )
    except Exception as err:  # AnalysisException for a missing path, and the reader's own errors
        raise InputError(f"cannot read {uri} as the card CSV: {err}") from err
    missing = [c for c in columns if c not in csv.columns]
    if missing:
        raise InputError(f"input {uri} lacks the column(s) {', '.join(missing)} in its header row")
    # A card-domain.json staged before nullTexts existed meant the same two texts.
    text = csv.select(*[_null_if_text(c, domain.get("nullTexts", ["", "null"])) for c in columns])
    ts = F.when(
        F.col("transaction_date").rlike(TIMESTAMP_TEXT),
        # Within that shape, the cast's own parser (2-3x faster than a DateTimeFormatter) rejects 02-30 or 24:00.
        F.expr("try_cast(transaction_date AS TIMESTAMP_NTZ)"),
    )
    return text.select(
        *columns,
        ts.alias("_ts"),
        _parsed_int("amount", "BIGINT").alias("_amount"),
        _parsed_int("installment_months", "INT").alias("_installment"),
    )


def txn_from_raw(raw: DataFrame) -> DataFrame:
    """Typed transactions (the columns of partitioned_transactions plus txn_year, txn_month): every row."""
    return raw.select(
        "transaction_id",
        F.col("_ts").alias("transaction_ts"),
        "card_no",
        "card_type",
        "merchant",
        "sub_category",
        "category",
        F.col("_amount").alias("amount"),
        F.col("_installment").alias("installment_months"),
        "approval_status",
        "region",
        F.to_date("_ts").alias("txn_date"),
        F.hour("_ts").alias("txn_hour"),
        F.year("_ts").alias("txn_year"),
        F.month("_ts").alias("txn_month"),
    )


def read_txn_parquet(spark: SparkSession, uri: str, schema: TableSchema) -> DataFrame:
    """Published partitioned_transactions, partition keys typed as declared."""
    return spark.read.schema(schema.struct()).parquet(uri)
