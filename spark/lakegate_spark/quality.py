"""Data-quality stage: raw counts in Spark, then the rules of src/pipeline/quality-rules.ts.

The rules and their texts are a port of quality-rules.ts (same check names, statuses, issue counts and
detail strings), with thresholds and domains from ddl/card-domain.json, so that both engines report
the same quality_report for the same input.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Dict, List

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

_RANK = {"PASS": 0, "WARN": 1, "FAIL": 2}


@dataclass
class Check:
    name: str
    status: str
    issueCount: int
    detail: str


def _count_if(cond) -> Any:
    return F.count(F.when(cond, F.lit(1)))


def _card_no_regex(pattern: str) -> str:
    """The domain's pattern as a Java full match (`$` alone would also accept a trailing newline)."""
    return "^(?:" + re.sub(r"^\^|\$$", "", pattern) + r")\z"


def quality_counts(raw: DataFrame, domain: Dict[str, Any], now_utc: datetime) -> Dict[str, Any]:
    """One aggregate pass over the raw input (see transactions.read_raw), one for double charges, one for repeated ids."""
    # The latest local time that is not yet in the future in every time zone (UTC+14).
    future = (now_utc + timedelta(hours=14)).strftime("%Y-%m-%d %H:%M:%S")
    col = F.col
    names = lambda key: [v["name"] for v in domain[key]]  # noqa: E731
    aggs = [F.count(F.lit(1)).alias("total")]
    aggs += [(F.count(F.lit(1)) - F.count(col(c))).alias(f"null_{c}") for c in domain["columns"]]
    aggs += [
        _count_if(col("amount").isNotNull() & col("_amount").isNull()).alias("invalid_amount"),
        _count_if(col("_amount") < 0).alias("negative_amount"),
        _count_if(col("_amount") == 0).alias("zero_amount"),
        _count_if(col("_amount") > F.lit(domain["maxAmountWarn"])).alias("huge_amount"),
        _count_if(col("installment_months").isNotNull() & F.coalesce(col("_installment") < 0, F.lit(True))).alias("invalid_installment"),
        _count_if(col("transaction_date").isNotNull() & col("_ts").isNull()).alias("invalid_date"),
        _count_if(col("_ts") > F.expr(f"TIMESTAMP_NTZ'{future}'")).alias("future_date"),
        _count_if(~col("category").isin(*names("categories"))).alias("bad_category"),
        _count_if(~col("card_type").isin(*names("cardTypes"))).alias("bad_card_type"),
        _count_if(~col("approval_status").isin(*names("approvalStatuses"))).alias("bad_approval_status"),
        _count_if(~col("region").isin(*names("regions"))).alias("bad_region"),
        _count_if(~col("card_no").rlike(_card_no_regex(domain["cardNoPattern"]))).alias("bad_card_no"),
        _count_if(col("approval_status") == "declined").alias("declined"),
    ]
    counts = raw.agg(*aggs).first().asDict()
    keys = ["transaction_date", "card_no", "amount", "merchant"]
    groups = (
        raw.where(F.col("transaction_date").isNotNull() & col("card_no").isNotNull() & col("amount").isNotNull() & col("merchant").isNotNull())
        .groupBy(*keys)
        .count()
        .where(col("count") > 1)
        .agg(F.count(F.lit(1)).alias("groups"), F.coalesce(F.sum("count"), F.lit(0)).alias("rows"))
        .first()
    )
    counts["double_charge_groups"] = int(groups["groups"])
    counts["double_charge_rows"] = int(groups["rows"])
    # Ids that occur more than once (what the original batch counted) and the rows beyond the first of each.
    ids = (
        raw.where(col("transaction_id").isNotNull())
        .groupBy("transaction_id")
        .count()
        .where(col("count") > 1)
        .agg(F.count(F.lit(1)).alias("ids"), F.coalesce(F.sum(col("count") - 1), F.lit(0)).alias("rows"))
        .first()
    )
    counts["duplicate_ids"] = int(ids["ids"])
    counts["duplicate_rows"] = int(ids["rows"])
    return {k: int(v or 0) for k, v in counts.items()}


def js_number(x: float) -> str:
    """A number as JavaScript's String(x) writes it (1 not 1.0)."""
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e21):
        return str(int(x))
    return repr(x)


def _pct(n: int, total: int) -> str:
    """(100 * n / total).toFixed(3) without trailing zeros, rounding ties up as JavaScript does."""
    if total == 0:
        return "0"
    fixed = str(Decimal(100 * n / total).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))
    return re.sub(r"\.?0+$", "", fixed, count=1)


def _grouped(n: Any) -> str:
    """Number.prototype.toLocaleString('en')."""
    if isinstance(n, int) or float(n).is_integer():
        return f"{int(n):,}"
    return f"{n:,.3f}".rstrip("0").rstrip(".")


def _check(name: str, n: int, fail_status: str, detail: str) -> Check:
    return Check(name, fail_status if n > 0 else "PASS", n, detail)


def evaluate(c: Dict[str, int], d: Dict[str, Any]) -> Dict[str, Any]:
    """The report ({overall, checks}) for the counts: the rules of quality-rules.ts."""
    total = c["total"]
    domains = lambda key: ", ".join(v["name"] for v in d[key])  # noqa: E731
    checks: List[Check] = []
    for col in d["columns"]:
        n = c.get(f"null_{col}", 0)
        status = "PASS" if n == 0 else "FAIL" if n > total * d["nullFailRatio"] else "WARN"
        checks.append(Check(
            f"null_{col}", status, n,
            f"{n} of {total} rows ({_pct(n, total)}%) have no {col}; FAIL above {js_number(d['nullFailRatio'] * 100)}%",
        ))
    checks += [
        _check("duplicate_transaction_id", c["duplicate_ids"], "FAIL",
               f"{c['duplicate_ids']} transaction_ids occur more than once ({c['duplicate_rows']} rows beyond the first of each)"),
        _check("suspected_double_charge", c["double_charge_groups"], "WARN",
               f"{c['double_charge_groups']} groups ({c['double_charge_rows']} rows) share transaction_date, card_no, amount and merchant"),
        _check("invalid_amount", c["invalid_amount"], "FAIL", f"{c['invalid_amount']} amounts are not whole numbers"),
        _check("negative_amount", c["negative_amount"], "FAIL", f"{c['negative_amount']} amounts are below zero"),
        _check("zero_amount", c["zero_amount"], "WARN", f"{c['zero_amount']} amounts are zero"),
        _check("amount_over_limit", c["huge_amount"], "WARN", f"{c['huge_amount']} amounts exceed {_grouped(d['maxAmountWarn'])} KRW"),
        _check("invalid_installment_months", c["invalid_installment"], "FAIL",
               f"{c['invalid_installment']} installment_months are not whole numbers >= 0"),
        _check("invalid_transaction_date", c["invalid_date"], "FAIL",
               f"{c['invalid_date']} transaction_date values do not parse as yyyy-MM-dd HH:mm:ss"),
        _check("future_transaction_date", c["future_date"], "WARN",
               f"{c['future_date']} transaction_date values are later than now in every time zone"),
        _check("category_domain", c["bad_category"], "FAIL", f"{c['bad_category']} categories outside {domains('categories')}"),
        _check("card_type_domain", c["bad_card_type"], "FAIL", f"{c['bad_card_type']} card types outside {domains('cardTypes')}"),
        _check("approval_status_domain", c["bad_approval_status"], "FAIL",
               f"{c['bad_approval_status']} approval statuses outside {domains('approvalStatuses')}"),
        _check("region_domain", c["bad_region"], "FAIL", f"{c['bad_region']} regions outside {domains('regions')}"),
        _check("card_no_pattern", c["bad_card_no"], "FAIL", f"{c['bad_card_no']} card numbers do not match {d['cardNoPattern']}"),
    ]
    declined = c["declined"]
    high = total > 0 and declined > total * d["declinedWarnRatio"]
    checks.append(Check(
        "declined_ratio", "WARN" if high else "PASS", declined if high else 0,
        f"{declined} of {total} rows ({_pct(declined, total)}%) declined; WARN above {js_number(d['declinedWarnRatio'] * 100)}%",
    ))
    overall = max((ch.status for ch in checks), key=lambda s: _RANK[s], default="PASS")
    return {"overall": overall, "checks": [ch.__dict__ for ch in checks]}


def utc_now() -> datetime:
    """Now as a UTC wall-clock time (what quality_report.checked_at holds)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
