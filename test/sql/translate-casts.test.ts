import { describe, it } from 'vitest';
import { expectSql } from './support/golden.js';

describe('translation: casts and types', () => {
  it("to text", () => {
    expectSql(
      "SELECT CAST(amount AS STRING) AS a, CAST(txn_date AS STRING) AS b, CAST(transaction_ts AS STRING) AS c FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CAST(\"amount\" AS VARCHAR) AS \"a\", CAST(\"txn_date\" AS VARCHAR) AS \"b\", CAST(\"transaction_ts\" AS VARCHAR) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CAST(\"amount\" AS VARCHAR) AS \"a\", CAST(\"txn_date\" AS VARCHAR) AS \"b\", regexp_replace(regexp_replace(CAST(\"transaction_ts\" AS VARCHAR), '(\\.\\d*?)0+$', '$1'), '\\.$', '') AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT CAST(`amount` AS STRING) AS `a`, CAST(`txn_date` AS STRING) AS `b`, CAST(`transaction_ts` AS STRING) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CAST(`amount` AS STRING) AS `a`, CAST(`txn_date` AS STRING) AS `b`, CAST(`transaction_ts` AS STRING) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CAST(`amount` AS STRING) AS `a`, CAST(`txn_date` AS STRING) AS `b`, CAST(`transaction_ts` AS STRING) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("VARCHAR(n) truncates in Hive", () => {
    expectSql(
      "SELECT CAST(merchant AS VARCHAR(3)) AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT left(\"merchant\", 3) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CAST(\"merchant\" AS VARCHAR(3)) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT CAST(`merchant` AS VARCHAR(3)) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT substr(CAST(`merchant` AS STRING), 1, 3) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CAST(`merchant` AS VARCHAR(3)) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("a DOUBLE to text is refused outside the Hive family", () => {
    expectSql(
      "SELECT CAST(avg_amount AS STRING) AS a FROM card_analytics.daily_category_summary",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: "SELECT CAST(`avg_amount` AS STRING) AS `a` FROM `daily_category_summary` AS `daily_category_summary`",
        spark: "SELECT CAST(`avg_amount` AS STRING) AS `a` FROM `daily_category_summary` AS `daily_category_summary`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("to integers: fractions truncate, bad text gives NULL", () => {
    expectSql(
      "SELECT CAST(avg_amount AS INT) AS a, CAST(total_amount AS SMALLINT) AS b FROM card_analytics.daily_category_summary",
      {
        duckdb: "SELECT CAST(trunc(\"avg_amount\") AS INTEGER) AS \"a\", CAST(\"total_amount\" AS SMALLINT) AS \"b\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        trino: "SELECT CAST(truncate(\"avg_amount\") AS INTEGER) AS \"a\", CAST(\"total_amount\" AS SMALLINT) AS \"b\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        hive: "SELECT CAST(`avg_amount` AS INT) AS `a`, CAST(`total_amount` AS SMALLINT) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
        spark: "SELECT CAST(`avg_amount` AS INT) AS `a`, CAST(`total_amount` AS SMALLINT) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
        impala: "SELECT CAST(truncate(`avg_amount`) AS INT) AS `a`, CAST(`total_amount` AS SMALLINT) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
      },
    );
  });
  it("text to integers", () => {
    expectSql(
      "SELECT CAST(card_no AS BIGINT) AS a, CAST(category AS TINYINT) AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT TRY_CAST(trunc(TRY_CAST(\"card_no\" AS DECIMAL(38, 9))) AS BIGINT) AS \"a\", TRY_CAST(trunc(TRY_CAST(\"category\" AS DECIMAL(38, 9))) AS TINYINT) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT TRY_CAST(truncate(TRY_CAST(trim(\"card_no\") AS DECIMAL(38, 9))) AS BIGINT) AS \"a\", TRY_CAST(truncate(TRY_CAST(trim(\"category\") AS DECIMAL(38, 9))) AS TINYINT) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT CAST(`card_no` AS BIGINT) AS `a`, CAST(`category` AS TINYINT) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT try_cast(try_cast(`card_no` AS DECIMAL(38, 9)) AS BIGINT) AS `a`, try_cast(try_cast(`category` AS DECIMAL(38, 9)) AS TINYINT) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CAST(`card_no` AS BIGINT) AS `a`, CAST(`category` AS TINYINT) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("to DOUBLE and DECIMAL", () => {
    expectSql(
      "SELECT CAST(amount AS DOUBLE) AS a, CAST(amount AS DECIMAL(12,2)) AS b, CAST(card_no AS DOUBLE) AS c FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT TRY_CAST(\"amount\" AS DOUBLE) AS \"a\", TRY_CAST(\"amount\" AS DECIMAL(12, 2)) AS \"b\", TRY_CAST(\"card_no\" AS DOUBLE) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT TRY_CAST(\"amount\" AS DOUBLE) AS \"a\", TRY_CAST(\"amount\" AS DECIMAL(12, 2)) AS \"b\", TRY_CAST(\"card_no\" AS DOUBLE) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT CAST(`amount` AS DOUBLE) AS `a`, CAST(`amount` AS DECIMAL(12, 2)) AS `b`, CAST(`card_no` AS DOUBLE) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CAST(`amount` AS DOUBLE) AS `a`, CAST(`amount` AS DECIMAL(12, 2)) AS `b`, try_cast(`card_no` AS DOUBLE) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CAST(`amount` AS DOUBLE) AS `a`, CAST(`amount` AS DECIMAL(12, 2)) AS `b`, CAST(`card_no` AS DOUBLE) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("to DATE and TIMESTAMP", () => {
    expectSql(
      "SELECT CAST(transaction_ts AS DATE) AS a, CAST(txn_date AS TIMESTAMP) AS b, CAST(card_no AS DATE) AS c, CAST(card_no AS TIMESTAMP) AS d FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CAST(\"transaction_ts\" AS DATE) AS \"a\", CAST(\"txn_date\" AS TIMESTAMP) AS \"b\", TRY_CAST(\"card_no\" AS DATE) AS \"c\", TRY_CAST(\"card_no\" AS TIMESTAMP) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CAST(\"transaction_ts\" AS DATE) AS \"a\", CAST(\"txn_date\" AS TIMESTAMP) AS \"b\", CAST(TRY_CAST(\"card_no\" AS TIMESTAMP) AS DATE) AS \"c\", TRY_CAST(\"card_no\" AS TIMESTAMP) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT CAST(`transaction_ts` AS DATE) AS `a`, CAST(`txn_date` AS TIMESTAMP) AS `b`, CAST(`card_no` AS DATE) AS `c`, CAST(`card_no` AS TIMESTAMP) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CAST(`transaction_ts` AS DATE) AS `a`, CAST(`txn_date` AS TIMESTAMP) AS `b`, try_cast(`card_no` AS DATE) AS `c`, try_cast(`card_no` AS TIMESTAMP) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CAST(`transaction_ts` AS DATE) AS `a`, CAST(`txn_date` AS TIMESTAMP) AS `b`, CAST(`card_no` AS DATE) AS `c`, CAST(`card_no` AS TIMESTAMP) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("typed literals", () => {
    expectSql(
      "SELECT 10L AS a, 2Y AS b, 1.50BD AS c, 2.5D AS d, 1.5 AS e",
      {
        duckdb: "SELECT CAST(10 AS BIGINT) AS \"a\", CAST(2 AS TINYINT) AS \"b\", TRY_CAST(1.50 AS DECIMAL(3, 2)) AS \"c\", TRY_CAST(2.5 AS DOUBLE) AS \"d\", 1.5 AS \"e\"",
        trino: "SELECT CAST(10 AS BIGINT) AS \"a\", CAST(2 AS TINYINT) AS \"b\", TRY_CAST(1.50 AS DECIMAL(3, 2)) AS \"c\", TRY_CAST(2.5 AS DOUBLE) AS \"d\", 1.5 AS \"e\"",
        hive: "SELECT CAST(10 AS BIGINT) AS `a`, CAST(2 AS TINYINT) AS `b`, CAST(1.50BD AS DECIMAL(3, 2)) AS `c`, CAST(2.5BD AS DOUBLE) AS `d`, 1.5BD AS `e`",
        spark: "SELECT CAST(10 AS BIGINT) AS `a`, CAST(2 AS TINYINT) AS `b`, CAST(1.50 AS DECIMAL(3, 2)) AS `c`, CAST(2.5 AS DOUBLE) AS `d`, 1.5 AS `e`",
        impala: "SELECT CAST(10 AS BIGINT) AS `a`, CAST(2 AS TINYINT) AS `b`, CAST(1.50 AS DECIMAL(3, 2)) AS `c`, CAST(2.5 AS DOUBLE) AS `d`, 1.5 AS `e`",
      },
      'spark',
    );
  });
  it("a DATE to a number is refused", () => {
    expectSql(
      "SELECT CAST(txn_date AS INT) AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: "SELECT CAST(`txn_date` AS INT) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CAST(`txn_date` AS INT) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CAST(`txn_date` AS INT) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("an integer cast of an unknown type is refused", () => {
    expectSql(
      "SELECT CAST(x AS INT) AS a FROM (SELECT card_no AS x FROM card_analytics.partitioned_transactions UNION ALL SELECT amount FROM card_analytics.partitioned_transactions) u",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: "SELECT CAST(`x` AS INT) AS `a` FROM (SELECT `card_no` AS `x` FROM `partitioned_transactions` AS `partitioned_transactions` UNION ALL SELECT `amount` FROM `partitioned_transactions` AS `partitioned_transactions`) AS `u`",
        spark: "SELECT try_cast(try_cast(`x` AS DECIMAL(38, 9)) AS INT) AS `a` FROM (SELECT `card_no` AS `x` FROM `partitioned_transactions` AS `partitioned_transactions` UNION ALL SELECT `amount` FROM `partitioned_transactions` AS `partitioned_transactions`) AS `u`",
        impala: "SELECT CAST(`x` AS INT) AS `a` FROM (SELECT `card_no` AS `x` FROM `partitioned_transactions` AS `partitioned_transactions` UNION ALL SELECT `amount` FROM `partitioned_transactions` AS `partitioned_transactions`) AS `u`",
      },
    );
  });
  it("Trino casts round and fail on bad text", () => {
    expectSql(
      "SELECT CAST(avg_amount AS INTEGER) AS a, CAST(category AS VARCHAR) AS b FROM daily_category_summary",
      {
        duckdb: "SELECT CAST(\"avg_amount\" AS INTEGER) AS \"a\", \"category\" AS \"b\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        trino: "SELECT CAST(\"avg_amount\" AS INTEGER) AS \"a\", \"category\" AS \"b\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        hive: "SELECT CAST(round(`avg_amount`) AS INT) AS `a`, CAST(`category` AS STRING) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
        spark: "SELECT CAST(round(`avg_amount`) AS INT) AS `a`, CAST(`category` AS STRING) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
        impala: "SELECT CAST(round(`avg_amount`) AS INT) AS `a`, CAST(`category` AS STRING) AS `b` FROM `daily_category_summary` AS `daily_category_summary`",
      },
      'trino',
    );
  });
});
