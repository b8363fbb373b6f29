import { describe, it } from 'vitest';
import { expectSql } from './support/golden.js';

describe('translation: conditionals', () => {
  it("if, nvl, coalesce, nullif", () => {
    expectSql(
      "SELECT if(amount > 100000, 'high', 'low') AS a, nvl(sub_category, 'none') AS b, coalesce(sub_category, merchant) AS c, nullif(installment_months, 0) AS d FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CASE WHEN \"amount\" > 100000 THEN 'high' ELSE 'low' END AS \"a\", coalesce(\"sub_category\", 'none') AS \"b\", coalesce(\"sub_category\", \"merchant\") AS \"c\", nullif(\"installment_months\", 0) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CASE WHEN \"amount\" > 100000 THEN 'high' ELSE 'low' END AS \"a\", coalesce(\"sub_category\", 'none') AS \"b\", coalesce(\"sub_category\", \"merchant\") AS \"c\", nullif(\"installment_months\", 0) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT CASE WHEN `amount` > 100000 THEN 'high' ELSE 'low' END AS `a`, coalesce(`sub_category`, 'none') AS `b`, coalesce(`sub_category`, `merchant`) AS `c`, nullif(`installment_months`, 0) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CASE WHEN `amount` > 100000 THEN 'high' ELSE 'low' END AS `a`, coalesce(`sub_category`, 'none') AS `b`, coalesce(`sub_category`, `merchant`) AS `c`, nullif(`installment_months`, 0) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CASE WHEN `amount` > 100000 THEN 'high' ELSE 'low' END AS `a`, coalesce(`sub_category`, 'none') AS `b`, coalesce(`sub_category`, `merchant`) AS `c`, nullif(`installment_months`, 0) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("CASE in both forms", () => {
    expectSql(
      "SELECT CASE WHEN txn_hour < 12 THEN 'am' ELSE 'pm' END AS a, CASE card_type WHEN '신용' THEN 'credit' END AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CASE WHEN \"txn_hour\" < 12 THEN 'am' ELSE 'pm' END AS \"a\", CASE \"card_type\" WHEN '신용' THEN 'credit' END AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CASE WHEN \"txn_hour\" < 12 THEN 'am' ELSE 'pm' END AS \"a\", CASE \"card_type\" WHEN '신용' THEN 'credit' END AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT CASE WHEN `txn_hour` < 12 THEN 'am' ELSE 'pm' END AS `a`, CASE `card_type` WHEN '신용' THEN 'credit' END AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CASE WHEN `txn_hour` < 12 THEN 'am' ELSE 'pm' END AS `a`, CASE `card_type` WHEN '신용' THEN 'credit' END AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CASE WHEN `txn_hour` < 12 THEN 'am' ELSE 'pm' END AS `a`, CASE `card_type` WHEN '신용' THEN 'credit' END AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("Hive greatest/least are NULL when any argument is NULL", () => {
    expectSql(
      "SELECT greatest(amount, 50000, installment_months) AS a, least(txn_hour, 12) AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CASE WHEN \"amount\" IS NULL OR \"installment_months\" IS NULL THEN NULL ELSE greatest(\"amount\", 50000, \"installment_months\") END AS \"a\", CASE WHEN \"txn_hour\" IS NULL THEN NULL ELSE least(\"txn_hour\", 12) END AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT greatest(\"amount\", 50000, \"installment_months\") AS \"a\", least(\"txn_hour\", 12) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT greatest(`amount`, 50000, `installment_months`) AS `a`, least(`txn_hour`, 12) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CASE WHEN `amount` IS NULL OR `installment_months` IS NULL THEN NULL ELSE greatest(`amount`, 50000, `installment_months`) END AS `a`, CASE WHEN `txn_hour` IS NULL THEN NULL ELSE least(`txn_hour`, 12) END AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CASE WHEN `amount` IS NULL OR `installment_months` IS NULL THEN NULL ELSE greatest(`amount`, 50000, `installment_months`) END AS `a`, CASE WHEN `txn_hour` IS NULL THEN NULL ELSE least(`txn_hour`, 12) END AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("Spark greatest/least skip NULLs", () => {
    expectSql(
      "SELECT greatest(amount, 50000) AS a, least(txn_hour, 12) AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT greatest(\"amount\", 50000) AS \"a\", least(\"txn_hour\", 12) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT greatest(coalesce(\"amount\", 50000), coalesce(50000, \"amount\")) AS \"a\", least(coalesce(\"txn_hour\", 12), coalesce(12, \"txn_hour\")) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT greatest(coalesce(`amount`, 50000), coalesce(50000, `amount`)) AS `a`, least(coalesce(`txn_hour`, 12), coalesce(12, `txn_hour`)) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT greatest(`amount`, 50000) AS `a`, least(`txn_hour`, 12) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT greatest(coalesce(`amount`, 50000), coalesce(50000, `amount`)) AS `a`, least(coalesce(`txn_hour`, 12), coalesce(12, `txn_hour`)) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'spark',
    );
  });
  it("isnull and isnotnull", () => {
    expectSql(
      "SELECT isnull(sub_category) AS a, isnotnull(sub_category) AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT \"sub_category\" IS NULL AS \"a\", \"sub_category\" IS NOT NULL AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT \"sub_category\" IS NULL AS \"a\", \"sub_category\" IS NOT NULL AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT `sub_category` IS NULL AS `a`, `sub_category` IS NOT NULL AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT `sub_category` IS NULL AS `a`, `sub_category` IS NOT NULL AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT `sub_category` IS NULL AS `a`, `sub_category` IS NOT NULL AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("DuckDB greatest skips NULLs, Trino's does not", () => {
    expectSql(
      "SELECT greatest(total_amount, max_amount) AS a FROM daily_category_summary",
      {
        duckdb: "SELECT greatest(\"total_amount\", \"max_amount\") AS \"a\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        trino: "SELECT greatest(coalesce(\"total_amount\", \"max_amount\"), coalesce(\"max_amount\", \"total_amount\")) AS \"a\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        hive: "SELECT greatest(coalesce(`total_amount`, `max_amount`), coalesce(`max_amount`, `total_amount`)) AS `a` FROM `daily_category_summary` AS `daily_category_summary`",
        spark: "SELECT greatest(`total_amount`, `max_amount`) AS `a` FROM `daily_category_summary` AS `daily_category_summary`",
        impala: "SELECT greatest(coalesce(`total_amount`, `max_amount`), coalesce(`max_amount`, `total_amount`)) AS `a` FROM `daily_category_summary` AS `daily_category_summary`",
      },
      'duckdb',
    );
  });
});
