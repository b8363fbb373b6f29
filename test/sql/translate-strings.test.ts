import { describe, it } from 'vitest';
import { expectSql } from './support/golden.js';

describe('translation: string functions', () => {
  it("concat is NULL when any argument is NULL", () => {
    expectSql(
      "SELECT concat(merchant, '-', sub_category) AS a, concat(category, txn_hour) AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT (\"merchant\" || '-' || \"sub_category\") AS \"a\", (\"category\" || CAST(\"txn_hour\" AS VARCHAR)) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT concat(\"merchant\", '-', \"sub_category\") AS \"a\", concat(\"category\", CAST(\"txn_hour\" AS VARCHAR)) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT concat(`merchant`, '-', `sub_category`) AS `a`, concat(`category`, `txn_hour`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT concat(`merchant`, '-', `sub_category`) AS `a`, concat(`category`, `txn_hour`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT concat(`merchant`, '-', `sub_category`) AS `a`, concat(`category`, CAST(`txn_hour` AS STRING)) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("concat_ws skips NULLs", () => {
    expectSql(
      "SELECT concat_ws('|', merchant, sub_category) AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT concat_ws('|', \"merchant\", \"sub_category\") AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT concat_ws('|', \"merchant\", \"sub_category\") AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT concat_ws('|', `merchant`, `sub_category`) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT concat_ws('|', `merchant`, `sub_category`) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT concat_ws('|', `merchant`, `sub_category`) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("concat_ws over an array", () => {
    expectSql(
      "SELECT concat_ws(',', collect_set(region)) AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT array_to_string(coalesce(list(DISTINCT \"region\") FILTER (WHERE \"region\" IS NOT NULL), []), ',') AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT concat_ws(',', coalesce(array_agg(DISTINCT \"region\") FILTER (WHERE \"region\" IS NOT NULL), ARRAY[])) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT concat_ws(',', collect_set(`region`)) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT concat_ws(',', collect_set(`region`)) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("substr: 1-based, negative from the end, '' out of range", () => {
    expectSql(
      "SELECT substr(card_no, -4) AS a, substr(transaction_id, 4, 5) AS b, substr(card_no, 0, 2) AS c, substring(merchant, 2) AS d FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CASE WHEN length(\"card_no\") < 4 THEN '' ELSE substring(\"card_no\", length(\"card_no\") - 3) END AS \"a\", substring(\"transaction_id\", 4, 5) AS \"b\", substring(\"card_no\", 1, 2) AS \"c\", substring(\"merchant\", 2) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CASE WHEN length(\"card_no\") < 4 THEN '' ELSE substr(\"card_no\", length(\"card_no\") - 3) END AS \"a\", substr(\"transaction_id\", 4, 5) AS \"b\", substr(\"card_no\", 1, 2) AS \"c\", substr(\"merchant\", 2) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT substr(`card_no`, -4) AS `a`, substr(`transaction_id`, 4, 5) AS `b`, substr(`card_no`, 0, 2) AS `c`, substr(`merchant`, 2) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CASE WHEN length(`card_no`) < 4 THEN '' ELSE substr(`card_no`, length(`card_no`) - 3) END AS `a`, substr(`transaction_id`, 4, 5) AS `b`, substr(`card_no`, 0, 2) AS `c`, substr(`merchant`, 2) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("substr with computed positions", () => {
    expectSql(
      "SELECT substr(card_no, txn_hour, installment_months) AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CASE WHEN abs(\"txn_hour\") > length(\"card_no\") OR \"installment_months\" < 1 THEN '' ELSE substring(\"card_no\", CASE WHEN \"txn_hour\" > 0 THEN \"txn_hour\" WHEN \"txn_hour\" = 0 THEN 1 ELSE length(\"card_no\") + \"txn_hour\" + 1 END, \"installment_months\") END AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CASE WHEN abs(\"txn_hour\") > length(\"card_no\") OR \"installment_months\" < 1 THEN '' ELSE substr(\"card_no\", CASE WHEN \"txn_hour\" > 0 THEN \"txn_hour\" WHEN \"txn_hour\" = 0 THEN 1 ELSE length(\"card_no\") + \"txn_hour\" + 1 END, \"installment_months\") END AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT substr(`card_no`, `txn_hour`, `installment_months`) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CASE WHEN abs(`txn_hour`) > length(`card_no`) OR `installment_months` < 1 THEN '' ELSE substr(`card_no`, CASE WHEN `txn_hour` > 0 THEN `txn_hour` WHEN `txn_hour` = 0 THEN 1 ELSE length(`card_no`) + `txn_hour` + 1 END, `installment_months`) END AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("Spark substr clamps negative starts", () => {
    expectSql(
      "SELECT substr(card_no, -30, 3) AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT substring(\"card_no\", greatest(length(\"card_no\") - 30, 0) + 1, greatest(length(\"card_no\") - 30 + 3 - greatest(length(\"card_no\") - 30, 0), 0)) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT substr(\"card_no\", greatest(length(\"card_no\") - 30, 0) + 1, greatest(length(\"card_no\") - 30 + 3 - greatest(length(\"card_no\") - 30, 0), 0)) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT substr(`card_no`, greatest(length(`card_no`) - 30, 0) + 1, greatest(length(`card_no`) - 30 + 3 - greatest(length(`card_no`) - 30, 0), 0)) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT substr(`card_no`, -30, 3) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'spark',
    );
  });
  it("lpad and rpad", () => {
    expectSql(
      "SELECT lpad(CAST(installment_months AS STRING), 3, '0') AS a, rpad(region, 4, '*') AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT lpad(CAST(\"installment_months\" AS VARCHAR), 3, '0') AS \"a\", rpad(\"region\", 4, '*') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT lpad(CAST(\"installment_months\" AS VARCHAR), 3, '0') AS \"a\", rpad(\"region\", 4, '*') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT lpad(CAST(`installment_months` AS STRING), 3, '0') AS `a`, rpad(`region`, 4, '*') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT lpad(CAST(`installment_months` AS STRING), 3, '0') AS `a`, rpad(`region`, 4, '*') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT lpad(CAST(`installment_months` AS STRING), 3, '0') AS `a`, rpad(`region`, 4, '*') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("regexp_extract: group 1 by default, '' without a match", () => {
    expectSql(
      "SELECT regexp_extract(card_no, '([0-9]{4})$') AS a, regexp_extract(transaction_id, 'TXN(\\\\d+)', 0) AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT regexp_extract(\"card_no\", '([0-9]{4})$', 1) AS \"a\", regexp_extract(\"transaction_id\", 'TXN(\\d+)', 0) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CASE WHEN \"card_no\" IS NULL THEN NULL ELSE coalesce(regexp_extract(\"card_no\", '([0-9]{4})$', 1), '') END AS \"a\", CASE WHEN \"transaction_id\" IS NULL THEN NULL ELSE coalesce(regexp_extract(\"transaction_id\", 'TXN(\\d+)', 0), '') END AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT regexp_extract(`card_no`, '([0-9]{4})$', 1) AS `a`, regexp_extract(`transaction_id`, 'TXN(\\\\d+)', 0) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT regexp_extract(`card_no`, '([0-9]{4})$', 1) AS `a`, regexp_extract(`transaction_id`, 'TXN(\\\\d+)', 0) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CASE WHEN `card_no` IS NULL THEN NULL ELSE coalesce(regexp_extract(`card_no`, '([0-9]{4})$', 1), '') END AS `a`, CASE WHEN `transaction_id` IS NULL THEN NULL ELSE coalesce(regexp_extract(`transaction_id`, 'TXN(\\\\d+)', 0), '') END AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("RLIKE and REGEXP", () => {
    expectSql(
      "SELECT count(*) AS n FROM card_analytics.partitioned_transactions WHERE merchant RLIKE '^[A-Z]' AND NOT category REGEXP '식'",
      {
        duckdb: "SELECT count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE regexp_matches(\"merchant\", '^[A-Z]') AND NOT regexp_matches(\"category\", '식')",
        trino: "SELECT count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE regexp_like(\"merchant\", '^[A-Z]') AND NOT regexp_like(\"category\", '식')",
        hive: "SELECT count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE (`merchant` RLIKE '^[A-Z]') AND NOT (`category` RLIKE '식')",
        spark: "SELECT count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE (`merchant` RLIKE '^[A-Z]') AND NOT (`category` RLIKE '식')",
        impala: "SELECT count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE regexp_like(`merchant`, '^[A-Z]') AND NOT regexp_like(`category`, '식')",
      },
    );
  });
  it("regexp_replace replaces every match; $n groups", () => {
    expectSql(
      "SELECT regexp_replace(card_no, '^(.{4}).*(.{4})$', '$1-$2') AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT regexp_replace(\"card_no\", '^(.{4}).*(.{4})$', '\\1-\\2', 'g') AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT regexp_replace(\"card_no\", '^(.{4}).*(.{4})$', '$1-$2') AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT regexp_replace(`card_no`, '^(.{4}).*(.{4})$', '$1-$2') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT regexp_replace(`card_no`, '^(.{4}).*(.{4})$', '$1-$2') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT regexp_replace(`card_no`, '^(.{4}).*(.{4})$', '\\\\1-\\\\2') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("split takes a regex; arrays are 0-based", () => {
    expectSql(
      "SELECT split(card_no, '-')[3] AS a, split(card_no, '\\\\*+') AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT regexp_split_to_array(\"card_no\", '-')[4] AS \"a\", regexp_split_to_array(\"card_no\", '\\*+') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT element_at(regexp_split(\"card_no\", '-'), 4) AS \"a\", regexp_split(\"card_no\", '\\*+') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT split(`card_no`, '-')[3] AS `a`, split(`card_no`, '\\\\*+') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT split(`card_no`, '-')[3] AS `a`, split(`card_no`, '\\\\*+') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("instr", () => {
    expectSql(
      "SELECT instr(merchant, '마트') AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CAST(instr(\"merchant\", '마트') AS INTEGER) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CAST(strpos(\"merchant\", '마트') AS INTEGER) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT instr(`merchant`, '마트') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT instr(`merchant`, '마트') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT instr(`merchant`, '마트') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("string functions convert their arguments to text", () => {
    expectSql(
      "SELECT length(amount) AS a, split(transaction_ts, ' ')[0] AS b, upper(txn_date) AS c FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CAST(length(CAST(\"amount\" AS VARCHAR)) AS INTEGER) AS \"a\", regexp_split_to_array(CAST(\"transaction_ts\" AS VARCHAR), ' ')[1] AS \"b\", upper(CAST(\"txn_date\" AS VARCHAR)) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CAST(length(CAST(\"amount\" AS VARCHAR)) AS INTEGER) AS \"a\", element_at(regexp_split(regexp_replace(regexp_replace(CAST(\"transaction_ts\" AS VARCHAR), '(\\.\\d*?)0+$', '$1'), '\\.$', ''), ' '), 1) AS \"b\", upper(CAST(\"txn_date\" AS VARCHAR)) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT length(`amount`) AS `a`, split(`transaction_ts`, ' ')[0] AS `b`, upper(`txn_date`) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT length(`amount`) AS `a`, split(`transaction_ts`, ' ')[0] AS `b`, upper(`txn_date`) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("LIKE keeps Hive's backslash escape", () => {
    expectSql(
      "SELECT count(*) AS n FROM card_analytics.partitioned_transactions WHERE transaction_id LIKE 'TXN\\\\_%' OR card_no LIKE '****%'",
      {
        duckdb: "SELECT count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE \"transaction_id\" LIKE 'TXN\\_%' ESCAPE '\\' OR \"card_no\" LIKE '****%'",
        trino: "SELECT count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE \"transaction_id\" LIKE 'TXN\\_%' ESCAPE '\\' OR \"card_no\" LIKE '****%'",
        hive: "SELECT count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE `transaction_id` LIKE 'TXN\\\\_%' OR `card_no` LIKE '****%'",
        spark: "SELECT count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE `transaction_id` LIKE 'TXN\\\\_%' OR `card_no` LIKE '****%'",
        impala: "SELECT count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE `transaction_id` LIKE 'TXN\\\\_%' OR `card_no` LIKE '****%'",
      },
    );
  });
  it("Trino strpos, split and regexp_extract", () => {
    expectSql(
      "SELECT strpos(merchant, 'x') AS a, split(card_no, '*') AS b, regexp_extract(card_no, '\\d+') AS c FROM partitioned_transactions",
      {
        duckdb: "SELECT CAST(instr(\"merchant\", 'x') AS INTEGER) AS \"a\", regexp_split_to_array(\"card_no\", '\\*') AS \"b\", CASE WHEN regexp_matches(\"card_no\", '\\d+') THEN regexp_extract(\"card_no\", '\\d+', 0) END AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CAST(strpos(\"merchant\", 'x') AS INTEGER) AS \"a\", regexp_split(\"card_no\", '\\*') AS \"b\", CASE WHEN regexp_like(\"card_no\", '\\d+') THEN CASE WHEN \"card_no\" IS NULL THEN NULL ELSE coalesce(regexp_extract(\"card_no\", '\\d+', 0), '') END END AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT instr(`merchant`, 'x') AS `a`, split(`card_no`, '\\\\*') AS `b`, CASE WHEN (`card_no` RLIKE '\\\\d+') THEN regexp_extract(`card_no`, '\\\\d+', 0) END AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT instr(`merchant`, 'x') AS `a`, split(`card_no`, '\\\\*') AS `b`, CASE WHEN (`card_no` RLIKE '\\\\d+') THEN regexp_extract(`card_no`, '\\\\d+', 0) END AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("DuckDB concat skips NULLs", () => {
    expectSql(
      "SELECT concat(merchant, sub_category) AS a, regexp_replace(card_no, '(\\d)', '<\\1>', 'g') AS b FROM partitioned_transactions",
      {
        duckdb: "SELECT concat_ws('', \"merchant\", \"sub_category\") AS \"a\", regexp_replace(\"card_no\", '(\\d)', '<\\1>', 'g') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT concat_ws('', \"merchant\", \"sub_category\") AS \"a\", regexp_replace(\"card_no\", '(\\d)', '<$1>') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT concat_ws('', `merchant`, `sub_category`) AS `a`, regexp_replace(`card_no`, '(\\\\d)', '<$1>') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT concat_ws('', `merchant`, `sub_category`) AS `a`, regexp_replace(`card_no`, '(\\\\d)', '<$1>') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT concat_ws('', `merchant`, `sub_category`) AS `a`, regexp_replace(`card_no`, '(\\\\d)', '<\\\\1>') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'duckdb',
    );
  });
  it("ANSI LIKE has no escape character", () => {
    expectSql(
      "SELECT count(*) AS n FROM partitioned_transactions WHERE card_no LIKE '%\\_%'",
      {
        duckdb: "SELECT count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE \"card_no\" LIKE '%\\_%'",
        trino: "SELECT count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE \"card_no\" LIKE '%\\_%'",
        hive: "SELECT count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE `card_no` LIKE '%\\\\\\\\_%'",
        spark: "SELECT count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE `card_no` LIKE '%\\\\\\\\_%'",
        impala: "SELECT count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE `card_no` LIKE '%\\\\\\\\_%'",
      },
      'trino',
    );
  });
});
