import { describe, it } from 'vitest';
import { expectSql } from './support/golden.js';

describe('translation: Trino/Athena and DuckDB sources', () => {
  it("Trino day_of_week is ISO (Monday 1)", () => {
    expectSql(
      "SELECT day_of_week(txn_date) AS a, week(txn_date) AS b FROM partitioned_transactions",
      {
        duckdb: "SELECT (((dayofweek(\"txn_date\") + 1) + 5) % 7) + 1 AS \"a\", weekofyear(\"txn_date\") AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT (((day_of_week(\"txn_date\") % 7 + 1) + 5) % 7) + 1 AS \"a\", week_of_year(\"txn_date\") AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT ((dayofweek(`txn_date`) + 5) % 7) + 1 AS `a`, weekofyear(`txn_date`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT ((dayofweek(`txn_date`) + 5) % 7) + 1 AS `a`, weekofyear(`txn_date`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT ((dayofweek(CAST(`txn_date` AS TIMESTAMP)) + 5) % 7) + 1 AS `a`, weekofyear(CAST(`txn_date` AS TIMESTAMP)) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'trino',
    );
  });
  it("Trino date_add and date_diff on DATEs", () => {
    expectSql(
      "SELECT date_add('day', 3, txn_date) AS a, date_add('month', 1, CAST(transaction_ts AS DATE)) AS b, date_diff('day', DATE '2024-01-01', txn_date) AS c FROM partitioned_transactions",
      {
        duckdb: "SELECT (\"txn_date\" + 3) AS \"a\", CAST(CAST(\"transaction_ts\" AS DATE) + to_months(1) AS DATE) AS \"b\", CAST(date_diff('day', DATE '2024-01-01', \"txn_date\") AS INTEGER) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT date_add('day', 3, \"txn_date\") AS \"a\", date_add('month', 1, CAST(\"transaction_ts\" AS DATE)) AS \"b\", CAST(date_diff('day', DATE '2024-01-01', \"txn_date\") AS INTEGER) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT date_add(`txn_date`, 3) AS `a`, date_add(add_months(trunc(CAST(`transaction_ts` AS DATE), 'MM'), 1), least(day(CAST(`transaction_ts` AS DATE)), day(last_day(add_months(trunc(CAST(`transaction_ts` AS DATE), 'MM'), 1)))) - 1) AS `b`, datediff(`txn_date`, DATE '2024-01-01') AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT date_add(`txn_date`, 3) AS `a`, add_months(CAST(`transaction_ts` AS DATE), 1) AS `b`, datediff(`txn_date`, DATE '2024-01-01') AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT date_add(`txn_date`, 3) AS `a`, CAST(date_add(add_months(trunc(CAST(CAST(`transaction_ts` AS DATE) AS TIMESTAMP), 'MM'), 1), least(day(CAST(CAST(`transaction_ts` AS DATE) AS TIMESTAMP)), day(last_day(add_months(trunc(CAST(CAST(`transaction_ts` AS DATE) AS TIMESTAMP), 'MM'), 1)))) - 1) AS DATE) AS `b`, datediff(CAST(`txn_date` AS TIMESTAMP), CAST(DATE '2024-01-01' AS TIMESTAMP)) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'trino',
    );
  });
  it("Trino date_diff on timestamps keeps time and is refused", () => {
    expectSql(
      "SELECT date_diff('day', transaction_ts, current_timestamp) AS a FROM partitioned_transactions",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: { error: 'SQL_UNTRANSLATABLE' },
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("Trino date_format uses MySQL codes", () => {
    expectSql(
      "SELECT date_format(transaction_ts, '%Y-%m-%d %H:%i') AS a, date_parse(transaction_id, '%Y%m%d') AS b FROM partitioned_transactions",
      {
        duckdb: "SELECT strftime(\"transaction_ts\", '%Y-%m-%d %H:%M') AS \"a\", try_strptime(\"transaction_id\", '%Y%m%d') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT date_format(\"transaction_ts\", '%Y-%m-%d %H:%i') AS \"a\", try(date_parse(\"transaction_id\", '%Y%m%d')) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT date_format(`transaction_ts`, 'yyyy-MM-dd HH:mm') AS `a`, CAST(from_unixtime(unix_timestamp(`transaction_id`, 'yyyyMMdd')) AS TIMESTAMP) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT date_format(`transaction_ts`, 'yyyy-MM-dd HH:mm') AS `a`, try_to_timestamp(`transaction_id`, 'yyyyMMdd') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT from_timestamp(`transaction_ts`, 'yyyy-MM-dd HH:mm') AS `a`, to_timestamp(`transaction_id`, 'yyyyMMdd') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'trino',
    );
  });
  it("Trino substr with a negative start is refused", () => {
    expectSql(
      "SELECT substr(card_no, -4) AS a FROM partitioned_transactions",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: { error: 'SQL_UNTRANSLATABLE' },
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("Athena reads like Trino", () => {
    expectSql(
      "SELECT substr(card_no, 16, 4) AS a, strpos(merchant, 'x') AS b FROM partitioned_transactions",
      {
        duckdb: "SELECT substring(\"card_no\", 16, 4) AS \"a\", CAST(instr(\"merchant\", 'x') AS INTEGER) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT substr(\"card_no\", 16, 4) AS \"a\", CAST(strpos(\"merchant\", 'x') AS INTEGER) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT substr(`card_no`, 16, 4) AS `a`, instr(`merchant`, 'x') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT substr(`card_no`, 16, 4) AS `a`, instr(`merchant`, 'x') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT substr(`card_no`, 16, 4) AS `a`, instr(`merchant`, 'x') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'athena',
    );
  });
  it("DuckDB strftime, dayofweek and date_trunc", () => {
    expectSql(
      "SELECT strftime(transaction_ts, '%d/%m/%Y') AS a, dayofweek(txn_date) AS b, date_trunc('month', txn_date) AS c FROM partitioned_transactions",
      {
        duckdb: "SELECT strftime(\"transaction_ts\", '%d/%m/%Y') AS \"a\", (dayofweek(\"txn_date\") + 1) - 1 AS \"b\", CAST(CAST(date_trunc('month', \"txn_date\") AS DATE) AS TIMESTAMP) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT date_format(\"transaction_ts\", '%d/%m/%Y') AS \"a\", (day_of_week(\"txn_date\") % 7 + 1) - 1 AS \"b\", CAST(date_trunc('month', \"txn_date\") AS TIMESTAMP) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT date_format(`transaction_ts`, 'dd/MM/yyyy') AS `a`, dayofweek(`txn_date`) - 1 AS `b`, CAST(CAST(trunc(`txn_date`, 'MM') AS DATE) AS TIMESTAMP) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT date_format(`transaction_ts`, 'dd/MM/yyyy') AS `a`, dayofweek(`txn_date`) - 1 AS `b`, CAST(trunc(`txn_date`, 'MONTH') AS TIMESTAMP) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT from_timestamp(`transaction_ts`, 'dd/MM/yyyy') AS `a`, dayofweek(CAST(`txn_date` AS TIMESTAMP)) - 1 AS `b`, CAST(CAST(date_trunc('month', CAST(`txn_date` AS TIMESTAMP)) AS DATE) AS TIMESTAMP) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'duckdb',
    );
  });
  it("DuckDB string_split is literal, arrays 1-based", () => {
    expectSql(
      "SELECT string_split(card_no, '*')[2] AS a FROM partitioned_transactions",
      {
        duckdb: "SELECT regexp_split_to_array(\"card_no\", '\\*')[2] AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT element_at(regexp_split(\"card_no\", '\\*'), 2) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT split(`card_no`, '\\\\*')[1] AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT split(`card_no`, '\\\\*')[1] AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'duckdb',
    );
  });
  it("DuckDB regexp_replace without 'g' is refused", () => {
    expectSql(
      "SELECT regexp_replace(card_no, '\\d', 'x') AS a FROM partitioned_transactions",
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
