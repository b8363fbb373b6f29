import { describe, expect, it } from 'vitest';
import { translate } from '../../src/sql/index.js';
import { expectSql } from './support/golden.js';

describe('translation: division and remainders', () => {
  it("Hive / is floating and NULL on zero", () => {
    expectSql(
      "SELECT amount / 3 AS a, amount / installment_months AS b, 7 / 2 AS c FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT (\"amount\" / 3) AS \"a\", (\"amount\" / NULLIF(\"installment_months\", 0)) AS \"b\", (7 / 2) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT (CAST(\"amount\" AS DOUBLE) / 3E0) AS \"a\", (CAST(\"amount\" AS DOUBLE) / NULLIF(CAST(\"installment_months\" AS DOUBLE), 0)) AS \"b\", (CAST(7 AS DOUBLE) / 2E0) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT (`amount` / 3) AS `a`, (`amount` / `installment_months`) AS `b`, (7 / 2) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT (`amount` / 3) AS `a`, (`amount` / NULLIF(`installment_months`, 0)) AS `b`, (7 / 2) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT (`amount` / 3) AS `a`, (`amount` / NULLIF(`installment_months`, 0)) AS `b`, (7 / 2) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("Hive DIV is integer division", () => {
    expectSql(
      "SELECT amount DIV 1000 AS a, amount DIV installment_months AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT (\"amount\" // 1000) AS \"a\", (\"amount\" // \"installment_months\") AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT (\"amount\" / 1000) AS \"a\", (\"amount\" / NULLIF(\"installment_months\", 0)) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT (`amount` DIV 1000) AS `a`, (`amount` DIV `installment_months`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT (`amount` DIV 1000) AS `a`, (`amount` DIV NULLIF(`installment_months`, 0)) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT (`amount` DIV 1000) AS `a`, (`amount` DIV NULLIF(`installment_months`, 0)) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("DIV binds like / and *", () => {
    expectSql(
      "SELECT amount * 2 DIV 3 AS a, amount DIV 3 * 2 AS b, -amount DIV (txn_hour + 1) AS c FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT ((\"amount\" * 2) // 3) AS \"a\", (\"amount\" // 3) * 2 AS \"b\", ((-\"amount\") // (\"txn_hour\" + 1)) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT ((\"amount\" * 2) / 3) AS \"a\", (\"amount\" / 3) * 2 AS \"b\", ((-\"amount\") / NULLIF(\"txn_hour\" + 1, 0)) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT ((`amount` * 2) DIV 3) AS `a`, (`amount` DIV 3) * 2 AS `b`, ((-`amount`) DIV (`txn_hour` + 1)) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT ((`amount` * 2) DIV 3) AS `a`, (`amount` DIV 3) * 2 AS `b`, ((-`amount`) DIV NULLIF(`txn_hour` + 1, 0)) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT ((`amount` * 2) DIV 3) AS `a`, (`amount` DIV 3) * 2 AS `b`, ((-`amount`) DIV NULLIF(`txn_hour` + 1, 0)) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("% and pmod", () => {
    expectSql(
      "SELECT amount % 7 AS a, pmod(amount, 7) AS b, pmod(txn_hour - 12, installment_months) AS c FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT (\"amount\" % 7) AS \"a\", (((\"amount\" % 7) + 7) % 7) AS \"b\", ((((\"txn_hour\" - 12) % \"installment_months\") + \"installment_months\") % \"installment_months\") AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT (\"amount\" % 7) AS \"a\", (((\"amount\" % 7) + 7) % 7) AS \"b\", ((((\"txn_hour\" - 12) % NULLIF(\"installment_months\", 0)) + \"installment_months\") % NULLIF(\"installment_months\", 0)) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT (`amount` % 7) AS `a`, pmod(`amount`, 7) AS `b`, pmod(`txn_hour` - 12, `installment_months`) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT (`amount` % 7) AS `a`, pmod(`amount`, 7) AS `b`, pmod(`txn_hour` - 12, `installment_months`) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT (`amount` % 7) AS `a`, pmod(`amount`, 7) AS `b`, pmod(`txn_hour` - 12, `installment_months`) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("Spark pmod adds the divisor only to negative remainders", () => {
    expectSql(
      "SELECT pmod(txn_hour - 12, installment_months) AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CASE WHEN ((\"txn_hour\" - 12) % \"installment_months\") < 0 THEN ((((\"txn_hour\" - 12) % \"installment_months\") + \"installment_months\") % \"installment_months\") ELSE ((\"txn_hour\" - 12) % \"installment_months\") END AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CASE WHEN ((\"txn_hour\" - 12) % NULLIF(\"installment_months\", 0)) < 0 THEN ((((\"txn_hour\" - 12) % NULLIF(\"installment_months\", 0)) + \"installment_months\") % NULLIF(\"installment_months\", 0)) ELSE ((\"txn_hour\" - 12) % NULLIF(\"installment_months\", 0)) END AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT CASE WHEN ((`txn_hour` - 12) % `installment_months`) < 0 THEN pmod(`txn_hour` - 12, `installment_months`) ELSE ((`txn_hour` - 12) % `installment_months`) END AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CASE WHEN ((`txn_hour` - 12) % NULLIF(`installment_months`, 0)) < 0 THEN pmod(`txn_hour` - 12, `installment_months`) ELSE ((`txn_hour` - 12) % NULLIF(`installment_months`, 0)) END AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CASE WHEN ((`txn_hour` - 12) % NULLIF(`installment_months`, 0)) < 0 THEN pmod(`txn_hour` - 12, `installment_months`) ELSE ((`txn_hour` - 12) % NULLIF(`installment_months`, 0)) END AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'spark',
    );
  });
  it("DIV of non-integers is refused where integer division needs integers", () => {
    expectSql(
      "SELECT avg_amount DIV 2 AS a FROM card_analytics.daily_category_summary",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: "SELECT (CAST(truncate(\"avg_amount\") AS BIGINT) / 2) AS \"a\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        hive: "SELECT (`avg_amount` DIV 2) AS `a` FROM `daily_category_summary` AS `daily_category_summary`",
        spark: "SELECT (`avg_amount` DIV 2) AS `a` FROM `daily_category_summary` AS `daily_category_summary`",
        impala: "SELECT (`avg_amount` DIV 2) AS `a` FROM `daily_category_summary` AS `daily_category_summary`",
      },
    );
  });
  it("Trino: DIV converts operands that are not integers to BIGINT as Hive does (truncated; text parsed or NULL)", () => {
    expectSql(
      "SELECT 7.5 DIV avg_amount AS a, category DIV 2 AS b, total_amount DIV (avg_amount / 2) AS c FROM card_analytics.daily_category_summary",
      {
        trino: "SELECT (CAST(truncate(7.5E0) AS BIGINT) / NULLIF(CAST(truncate(\"avg_amount\") AS BIGINT), 0)) AS \"a\", (TRY_CAST(truncate(TRY_CAST(trim(\"category\") AS DECIMAL(38, 9))) AS BIGINT) / 2) AS \"b\", (\"total_amount\" / NULLIF(CAST(truncate((\"avg_amount\" / 2E0)) AS BIGINT), 0)) AS \"c\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        athena: "SELECT (CAST(truncate(7.5E0) AS BIGINT) / NULLIF(CAST(truncate(\"avg_amount\") AS BIGINT), 0)) AS \"a\", (TRY_CAST(truncate(TRY_CAST(trim(\"category\") AS DECIMAL(38, 9))) AS BIGINT) / 2) AS \"b\", (\"total_amount\" / NULLIF(CAST(truncate((\"avg_amount\" / 2E0)) AS BIGINT), 0)) AS \"c\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
      },
    );
  });
  it("Trino: DIV of a value of unknown type goes through DECIMAL, exact for integers", () => {
    const sql = translate({ sql: 'SELECT x DIV 3 AS a FROM t', from: 'hive', to: 'trino' }).sql;
    expect(sql).toBe('SELECT (TRY_CAST(truncate(TRY_CAST("x" AS DECIMAL(38, 9))) AS BIGINT) / 3) AS "a" FROM "t" AS "t"');
  });
  it("Trino / divides integers as integers", () => {
    expectSql(
      "SELECT total_amount / transaction_count AS a, avg_amount / 2 AS b FROM daily_category_summary",
      {
        duckdb: "SELECT (\"total_amount\" // \"transaction_count\") AS \"a\", (\"avg_amount\" / 2) AS \"b\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        trino: "SELECT (\"total_amount\" / \"transaction_count\") AS \"a\", (\"avg_amount\" / 2) AS \"b\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        hive: "SELECT (`total_amount` DIV `transaction_count`) AS `a`, (`avg_amount` / 2) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
        spark: "SELECT (`total_amount` DIV NULLIF(`transaction_count`, 0)) AS `a`, (`avg_amount` / 2) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
        impala: "SELECT (`total_amount` DIV NULLIF(`transaction_count`, 0)) AS `a`, (`avg_amount` / 2) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
      },
      'trino',
    );
  });
  it("DuckDB / is floating, // integer", () => {
    expectSql(
      "SELECT total_amount / transaction_count AS a, total_amount // transaction_count AS b FROM daily_category_summary",
      {
        duckdb: "SELECT (\"total_amount\" / \"transaction_count\") AS \"a\", (\"total_amount\" // \"transaction_count\") AS \"b\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        trino: "SELECT (CAST(\"total_amount\" AS DOUBLE) / CAST(\"transaction_count\" AS DOUBLE)) AS \"a\", (\"total_amount\" / NULLIF(\"transaction_count\", 0)) AS \"b\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        hive: "SELECT (`total_amount` / `transaction_count`) AS `a`, (`total_amount` DIV `transaction_count`) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
        spark: "SELECT (`total_amount` / NULLIF(`transaction_count`, 0)) AS `a`, (`total_amount` DIV NULLIF(`transaction_count`, 0)) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
        impala: "SELECT (`total_amount` / NULLIF(`transaction_count`, 0)) AS `a`, (`total_amount` DIV NULLIF(`transaction_count`, 0)) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
      },
      'duckdb',
    );
  });
});
