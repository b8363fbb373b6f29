import { describe, it } from 'vitest';
import { expectSql } from './support/golden.js';

describe('translation: identifiers, ordering, limits and query structure', () => {
  it("identifiers are quoted in the target's style", () => {
    expectSql(
      "SELECT `category` AS `Spending Category`, `select` FROM `card_analytics`.`partitioned_transactions` AS `tx`",
      {
        duckdb: "SELECT \"category\" AS \"Spending Category\", \"select\" FROM \"partitioned_transactions\" AS \"tx\"",
        trino: "SELECT \"category\" AS \"Spending Category\", \"select\" FROM \"partitioned_transactions\" AS \"tx\"",
        hive: "SELECT `category` AS `Spending Category`, `select` FROM `partitioned_transactions` AS `tx`",
        spark: "SELECT `category` AS `Spending Category`, `select` FROM `partitioned_transactions` AS `tx`",
        impala: "SELECT `category` AS `Spending Category`, `select` FROM `partitioned_transactions` AS `tx`",
      },
    );
  });
  it("ORDER BY makes Hive's NULL order explicit", () => {
    expectSql(
      "SELECT txn_month FROM card_analytics.monthly_trend ORDER BY mom_growth_pct, txn_month DESC",
      {
        duckdb: "SELECT \"txn_month\" FROM \"monthly_trend\" AS \"monthly_trend\" ORDER BY \"mom_growth_pct\" ASC NULLS FIRST, \"txn_month\" DESC NULLS LAST",
        trino: "SELECT \"txn_month\" FROM \"monthly_trend\" AS \"monthly_trend\" ORDER BY \"mom_growth_pct\" ASC NULLS FIRST, \"txn_month\" DESC NULLS LAST",
        hive: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` ASC NULLS FIRST, `txn_month` DESC NULLS LAST",
        spark: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` ASC NULLS FIRST, `txn_month` DESC NULLS LAST",
        impala: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` ASC NULLS FIRST, `txn_month` DESC NULLS LAST",
      },
    );
  });
  it("explicit NULLS FIRST/LAST in Hive input", () => {
    expectSql(
      "SELECT txn_month FROM card_analytics.monthly_trend ORDER BY mom_growth_pct DESC NULLS FIRST, coalesce(total_amount, 0) NULLS LAST",
      {
        duckdb: "SELECT \"txn_month\" FROM \"monthly_trend\" AS \"monthly_trend\" ORDER BY \"mom_growth_pct\" DESC NULLS FIRST, coalesce(\"total_amount\", 0) ASC NULLS LAST",
        trino: "SELECT \"txn_month\" FROM \"monthly_trend\" AS \"monthly_trend\" ORDER BY \"mom_growth_pct\" DESC NULLS FIRST, coalesce(\"total_amount\", 0) ASC NULLS LAST",
        hive: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` DESC NULLS FIRST, coalesce(`total_amount`, 0) ASC NULLS LAST",
        spark: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` DESC NULLS FIRST, coalesce(`total_amount`, 0) ASC NULLS LAST",
        impala: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` DESC NULLS FIRST, coalesce(`total_amount`, 0) ASC NULLS LAST",
      },
    );
  });
  it("Trino and DuckDB sort NULLs last by default", () => {
    expectSql(
      "SELECT txn_month FROM monthly_trend ORDER BY mom_growth_pct",
      {
        duckdb: "SELECT \"txn_month\" FROM \"monthly_trend\" AS \"monthly_trend\" ORDER BY \"mom_growth_pct\" ASC NULLS LAST",
        trino: "SELECT \"txn_month\" FROM \"monthly_trend\" AS \"monthly_trend\" ORDER BY \"mom_growth_pct\" ASC NULLS LAST",
        hive: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` ASC NULLS LAST",
        spark: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` ASC NULLS LAST",
        impala: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` ASC NULLS LAST",
      },
      'trino',
    );
  });
  it("Impala sorts NULLs last ascending, first descending", () => {
    expectSql(
      "SELECT txn_month FROM monthly_trend ORDER BY mom_growth_pct, txn_month DESC",
      {
        duckdb: "SELECT \"txn_month\" FROM \"monthly_trend\" AS \"monthly_trend\" ORDER BY \"mom_growth_pct\" ASC NULLS LAST, \"txn_month\" DESC NULLS FIRST",
        trino: "SELECT \"txn_month\" FROM \"monthly_trend\" AS \"monthly_trend\" ORDER BY \"mom_growth_pct\" ASC NULLS LAST, \"txn_month\" DESC NULLS FIRST",
        hive: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` ASC NULLS LAST, `txn_month` DESC NULLS FIRST",
        spark: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` ASC NULLS LAST, `txn_month` DESC NULLS FIRST",
        impala: "SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend` ORDER BY `mom_growth_pct` ASC NULLS LAST, `txn_month` DESC NULLS FIRST",
      },
      'impala',
    );
  });
  it("LIMIT and Hive's LIMIT offset, count", () => {
    expectSql(
      "SELECT transaction_id FROM card_analytics.partitioned_transactions ORDER BY transaction_id LIMIT 10, 5",
      {
        duckdb: "SELECT \"transaction_id\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" ORDER BY \"transaction_id\" ASC NULLS FIRST LIMIT 5 OFFSET 10",
        trino: "SELECT \"transaction_id\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" ORDER BY \"transaction_id\" ASC NULLS FIRST OFFSET 10 LIMIT 5",
        hive: "SELECT `transaction_id` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `transaction_id` ASC NULLS FIRST LIMIT 10, 5",
        spark: "SELECT `transaction_id` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `transaction_id` ASC NULLS FIRST LIMIT 5 OFFSET 10",
        impala: "SELECT `transaction_id` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `transaction_id` ASC NULLS FIRST LIMIT 5 OFFSET 10",
      },
    );
  });
  it("OFFSET from ANSI sources", () => {
    expectSql(
      "SELECT transaction_id FROM partitioned_transactions ORDER BY transaction_id LIMIT 5 OFFSET 10",
      {
        duckdb: "SELECT \"transaction_id\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" ORDER BY \"transaction_id\" ASC NULLS LAST LIMIT 5 OFFSET 10",
        trino: "SELECT \"transaction_id\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" ORDER BY \"transaction_id\" ASC NULLS LAST OFFSET 10 LIMIT 5",
        hive: "SELECT `transaction_id` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `transaction_id` ASC NULLS LAST LIMIT 10, 5",
        spark: "SELECT `transaction_id` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `transaction_id` ASC NULLS LAST LIMIT 5 OFFSET 10",
        impala: "SELECT `transaction_id` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `transaction_id` ASC NULLS LAST LIMIT 5 OFFSET 10",
      },
      'duckdb',
    );
  });
  it("GROUP BY ordinals are expanded for Hive", () => {
    expectSql(
      "SELECT category, count(*) FROM partitioned_transactions GROUP BY 1",
      {
        duckdb: "SELECT \"category\", count(*) FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY 1",
        trino: "SELECT \"category\", count(*) FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY 1",
        hive: "SELECT `category`, count(*) FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `category`",
        spark: "SELECT `category`, count(*) FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY 1",
        impala: "SELECT `category`, count(*) FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY 1",
      },
      'trino',
    );
  });
  it("UNION, CTE, subqueries", () => {
    expectSql(
      "WITH m AS (SELECT txn_month, total_amount FROM card_analytics.monthly_trend) SELECT txn_month FROM m WHERE total_amount > (SELECT avg(total_amount) FROM m) UNION ALL SELECT txn_month FROM m WHERE txn_month IN (SELECT txn_month FROM m WHERE txn_month < 3) ORDER BY txn_month LIMIT 3",
      {
        duckdb: "WITH m AS (SELECT \"txn_month\", \"total_amount\" FROM \"monthly_trend\" AS \"monthly_trend\") SELECT \"txn_month\" FROM \"m\" WHERE \"total_amount\" > (SELECT avg(\"total_amount\") FROM \"m\") UNION ALL SELECT \"txn_month\" FROM \"m\" WHERE \"txn_month\" IN (SELECT \"txn_month\" FROM \"m\" WHERE \"txn_month\" < 3) ORDER BY \"txn_month\" ASC NULLS FIRST LIMIT 3",
        trino: "WITH m AS (SELECT \"txn_month\", \"total_amount\" FROM \"monthly_trend\" AS \"monthly_trend\") SELECT \"txn_month\" FROM \"m\" WHERE \"total_amount\" > (SELECT avg(\"total_amount\") FROM \"m\") UNION ALL SELECT \"txn_month\" FROM \"m\" WHERE \"txn_month\" IN (SELECT \"txn_month\" FROM \"m\" WHERE \"txn_month\" < 3) ORDER BY \"txn_month\" ASC NULLS FIRST LIMIT 3",
        hive: "WITH m AS (SELECT `txn_month`, `total_amount` FROM `monthly_trend` AS `monthly_trend`) SELECT `txn_month` FROM `m` WHERE `total_amount` > (SELECT avg(`total_amount`) FROM `m`) UNION ALL SELECT `txn_month` FROM `m` WHERE `txn_month` IN (SELECT `txn_month` FROM `m` WHERE `txn_month` < 3) ORDER BY `txn_month` ASC NULLS FIRST LIMIT 3",
        spark: "WITH m AS (SELECT `txn_month`, `total_amount` FROM `monthly_trend` AS `monthly_trend`) SELECT `txn_month` FROM `m` WHERE `total_amount` > (SELECT avg(`total_amount`) FROM `m`) UNION ALL SELECT `txn_month` FROM `m` WHERE `txn_month` IN (SELECT `txn_month` FROM `m` WHERE `txn_month` < 3) ORDER BY `txn_month` ASC NULLS FIRST LIMIT 3",
        impala: "WITH m AS (SELECT `txn_month`, `total_amount` FROM `monthly_trend` AS `monthly_trend`) SELECT `txn_month` FROM `m` WHERE `total_amount` > (SELECT avg(`total_amount`) FROM `m`) UNION ALL SELECT `txn_month` FROM `m` WHERE `txn_month` IN (SELECT `txn_month` FROM `m` WHERE `txn_month` < 3) ORDER BY `txn_month` ASC NULLS FIRST LIMIT 3",
      },
    );
  });
  it("derived tables get an alias where one is required", () => {
    expectSql(
      "SELECT * FROM (SELECT txn_month FROM monthly_trend)",
      {
        duckdb: "SELECT * FROM (SELECT \"txn_month\" FROM \"monthly_trend\" AS \"monthly_trend\")",
        trino: "SELECT * FROM (SELECT \"txn_month\" FROM \"monthly_trend\" AS \"monthly_trend\")",
        hive: "SELECT * FROM (SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend`) AS `_lg_subquery_1`",
        spark: "SELECT * FROM (SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend`) AS `_lg_subquery_1`",
        impala: "SELECT * FROM (SELECT `txn_month` FROM `monthly_trend` AS `monthly_trend`) AS `_lg_subquery_1`",
      },
      'duckdb',
    );
  });
  it("joins", () => {
    expectSql(
      "SELECT d.category, m.total_amount FROM card_analytics.daily_category_summary d LEFT JOIN card_analytics.monthly_trend m ON month(d.txn_date) = m.txn_month CROSS JOIN card_analytics.hourly_pattern h WHERE h.txn_hour = 1",
      {
        duckdb: "SELECT \"d\".\"category\", \"m\".\"total_amount\" FROM \"daily_category_summary\" AS \"d\" LEFT OUTER JOIN \"monthly_trend\" AS \"m\" ON month(\"d\".\"txn_date\") = \"m\".\"txn_month\" CROSS JOIN \"hourly_pattern\" AS \"h\" WHERE \"h\".\"txn_hour\" = 1",
        trino: "SELECT \"d\".\"category\", \"m\".\"total_amount\" FROM \"daily_category_summary\" AS \"d\" LEFT OUTER JOIN \"monthly_trend\" AS \"m\" ON month(\"d\".\"txn_date\") = \"m\".\"txn_month\" CROSS JOIN \"hourly_pattern\" AS \"h\" WHERE \"h\".\"txn_hour\" = 1",
        hive: "SELECT `d`.`category`, `m`.`total_amount` FROM `daily_category_summary` AS `d` LEFT OUTER JOIN `monthly_trend` AS `m` ON month(`d`.`txn_date`) = `m`.`txn_month` CROSS JOIN `hourly_pattern` AS `h` WHERE `h`.`txn_hour` = 1",
        spark: "SELECT `d`.`category`, `m`.`total_amount` FROM `daily_category_summary` AS `d` LEFT OUTER JOIN `monthly_trend` AS `m` ON month(`d`.`txn_date`) = `m`.`txn_month` CROSS JOIN `hourly_pattern` AS `h` WHERE `h`.`txn_hour` = 1",
        impala: "SELECT `d`.`category`, `m`.`total_amount` FROM `daily_category_summary` AS `d` LEFT OUTER JOIN `monthly_trend` AS `m` ON month(CAST(`d`.`txn_date` AS TIMESTAMP)) = `m`.`txn_month` CROSS JOIN `hourly_pattern` AS `h` WHERE `h`.`txn_hour` = 1",
      },
    );
  });
  it("INTERVAL arithmetic on DATE and TIMESTAMP; a DATE moved by days or months stays a DATE", () => {
    expectSql(
      "SELECT transaction_ts + INTERVAL '1' DAY AS a, txn_date - INTERVAL 2 MONTH AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT \"transaction_ts\" + INTERVAL '1' DAY AS \"a\", CAST(\"txn_date\" - INTERVAL '2' MONTH AS DATE) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT \"transaction_ts\" + INTERVAL '1' DAY AS \"a\", CAST(\"txn_date\" - INTERVAL '2' MONTH AS DATE) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT `transaction_ts` + INTERVAL '1' DAY AS `a`, CAST(`txn_date` - INTERVAL '2' MONTH AS DATE) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT `transaction_ts` + INTERVAL '1' DAY AS `a`, CAST(`txn_date` - INTERVAL '2' MONTH AS DATE) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT `transaction_ts` + INTERVAL 1 DAYS AS `a`, CAST(`txn_date` - INTERVAL 2 MONTHS AS DATE) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("INTERVAL arithmetic on a value of unknown type is refused, except into the source dialect itself", () => {
    expectSql(
      "SELECT no_such_column + INTERVAL '1' DAY AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: "SELECT `no_such_column` + INTERVAL '1' DAY AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: { error: 'SQL_UNTRANSLATABLE' },
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("date arithmetic with + is refused", () => {
    expectSql(
      "SELECT txn_date + 1 AS a FROM partitioned_transactions",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: { error: 'SQL_UNTRANSLATABLE' },
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'duckdb',
    );
  });
});
