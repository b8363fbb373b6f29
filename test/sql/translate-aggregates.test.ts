import { describe, it } from 'vitest';
import { expectSql } from './support/golden.js';

describe('translation: aggregates and windows', () => {
  it("count, count distinct, sum, avg", () => {
    expectSql(
      "SELECT category, count(*) AS n, count(DISTINCT card_no) AS cards, sum(amount) AS total, avg(amount) AS mean FROM card_analytics.partitioned_transactions GROUP BY category",
      {
        duckdb: "SELECT \"category\", count(*) AS \"n\", count(DISTINCT \"card_no\") AS \"cards\", sum(\"amount\") AS \"total\", avg(\"amount\") AS \"mean\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY \"category\"",
        trino: "SELECT \"category\", count(*) AS \"n\", count(DISTINCT \"card_no\") AS \"cards\", sum(\"amount\") AS \"total\", avg(\"amount\") AS \"mean\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY \"category\"",
        hive: "SELECT `category`, count(*) AS `n`, count(DISTINCT `card_no`) AS `cards`, sum(`amount`) AS `total`, avg(`amount`) AS `mean` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `category`",
        spark: "SELECT `category`, count(*) AS `n`, count(DISTINCT `card_no`) AS `cards`, sum(`amount`) AS `total`, avg(`amount`) AS `mean` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `category`",
        impala: "SELECT `category`, count(*) AS `n`, count(DISTINCT `card_no`) AS `cards`, sum(`amount`) AS `total`, avg(`amount`) AS `mean` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `category`",
      },
    );
  });
  it("Hive stddev and variance are population statistics", () => {
    expectSql(
      "SELECT stddev(amount) AS a, variance(amount) AS b, stddev_samp(amount) AS c, var_samp(amount) AS d FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT stddev_pop(\"amount\") AS \"a\", var_pop(\"amount\") AS \"b\", stddev_samp(\"amount\") AS \"c\", var_samp(\"amount\") AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT stddev_pop(\"amount\") AS \"a\", var_pop(\"amount\") AS \"b\", stddev_samp(\"amount\") AS \"c\", var_samp(\"amount\") AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT stddev_pop(`amount`) AS `a`, var_pop(`amount`) AS `b`, stddev_samp(`amount`) AS `c`, var_samp(`amount`) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT stddev_pop(`amount`) AS `a`, var_pop(`amount`) AS `b`, stddev_samp(`amount`) AS `c`, var_samp(`amount`) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT stddev_pop(`amount`) AS `a`, var_pop(`amount`) AS `b`, stddev_samp(`amount`) AS `c`, var_samp(`amount`) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("percentile_approx (a warning: sketches differ)", () => {
    expectSql(
      "SELECT percentile_approx(amount, 0.5) AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT approx_quantile(\"amount\", 0.5) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT approx_percentile(\"amount\", 0.5E0) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT percentile_approx(`amount`, 0.5) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT percentile_approx(`amount`, 0.5D) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT appx_median(`amount`) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("exact percentile", () => {
    expectSql(
      "SELECT percentile(amount, 0.9) AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT quantile_cont(\"amount\", 0.9E0) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: "SELECT percentile(`amount`, 0.9) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT percentile(`amount`, 0.9D) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("collect_list and collect_set drop NULLs", () => {
    expectSql(
      "SELECT collect_list(sub_category) AS a, collect_set(region) AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT coalesce(list(\"sub_category\") FILTER (WHERE \"sub_category\" IS NOT NULL), []) AS \"a\", coalesce(list(DISTINCT \"region\") FILTER (WHERE \"region\" IS NOT NULL), []) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT coalesce(array_agg(\"sub_category\") FILTER (WHERE \"sub_category\" IS NOT NULL), ARRAY[]) AS \"a\", coalesce(array_agg(DISTINCT \"region\") FILTER (WHERE \"region\" IS NOT NULL), ARRAY[]) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT collect_list(`sub_category`) AS `a`, collect_set(`region`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT collect_list(`sub_category`) AS `a`, collect_set(`region`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("size, sort_array", () => {
    expectSql(
      "SELECT size(collect_set(region)) AS a, sort_array(collect_set(region)) AS b, sort_array(collect_list(merchant), false) AS c FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT coalesce(CAST(len(coalesce(list(DISTINCT \"region\") FILTER (WHERE \"region\" IS NOT NULL), [])) AS INTEGER), -1) AS \"a\", list_sort(coalesce(list(DISTINCT \"region\") FILTER (WHERE \"region\" IS NOT NULL), []), 'ASC', 'NULLS FIRST') AS \"b\", list_sort(coalesce(list(\"merchant\") FILTER (WHERE \"merchant\" IS NOT NULL), []), 'DESC', 'NULLS LAST') AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT coalesce(CAST(cardinality(coalesce(array_agg(DISTINCT \"region\") FILTER (WHERE \"region\" IS NOT NULL), ARRAY[])) AS INTEGER), -1) AS \"a\", concat(filter(coalesce(array_agg(DISTINCT \"region\") FILTER (WHERE \"region\" IS NOT NULL), ARRAY[]), x -> x IS NULL), array_sort(filter(coalesce(array_agg(DISTINCT \"region\") FILTER (WHERE \"region\" IS NOT NULL), ARRAY[]), x -> x IS NOT NULL))) AS \"b\", concat(reverse(array_sort(filter(coalesce(array_agg(\"merchant\") FILTER (WHERE \"merchant\" IS NOT NULL), ARRAY[]), x -> x IS NOT NULL))), filter(coalesce(array_agg(\"merchant\") FILTER (WHERE \"merchant\" IS NOT NULL), ARRAY[]), x -> x IS NULL)) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: "SELECT coalesce(size(collect_set(`region`)), -1) AS `a`, sort_array(collect_set(`region`)) AS `b`, sort_array(collect_list(`merchant`), false) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("ANSI array_agg keeps NULLs; cardinality is NULL for NULL", () => {
    expectSql(
      "SELECT array_agg(sub_category) AS a, cardinality(array_agg(region)) AS b FROM partitioned_transactions",
      {
        duckdb: "SELECT array_agg(\"sub_category\") AS \"a\", len(array_agg(\"region\")) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT array_agg(\"sub_category\") AS \"a\", cardinality(array_agg(\"region\")) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: { error: 'SQL_UNTRANSLATABLE' },
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("DuckDB approx_quantile, list and len", () => {
    expectSql(
      "SELECT approx_quantile(amount, 0.9) AS a, len(list(region)) AS b FROM partitioned_transactions",
      {
        duckdb: "SELECT approx_quantile(\"amount\", 0.9) AS \"a\", len(array_agg(\"region\")) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT approx_percentile(\"amount\", 0.9) AS \"a\", cardinality(array_agg(\"region\")) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: { error: 'SQL_UNTRANSLATABLE' },
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'duckdb',
    );
  });
  it("FILTER becomes CASE where it is missing", () => {
    expectSql(
      "SELECT count(*) FILTER (WHERE amount > 1000) AS a, sum(amount) FILTER (WHERE txn_hour < 12) AS b FROM partitioned_transactions",
      {
        duckdb: "SELECT count(*) FILTER (WHERE \"amount\" > 1000) AS \"a\", sum(\"amount\") FILTER (WHERE \"txn_hour\" < 12) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT count(*) FILTER (WHERE \"amount\" > 1000) AS \"a\", sum(\"amount\") FILTER (WHERE \"txn_hour\" < 12) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT count(CASE WHEN `amount` > 1000 THEN 1 END) AS `a`, sum(CASE WHEN `txn_hour` < 12 THEN `amount` END) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT count(*) FILTER (WHERE `amount` > 1000) AS `a`, sum(`amount`) FILTER (WHERE `txn_hour` < 12) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT count(CASE WHEN `amount` > 1000 THEN 1 END) AS `a`, sum(CASE WHEN `txn_hour` < 12 THEN `amount` END) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'duckdb',
    );
  });
  it("window functions with explicit null ordering", () => {
    expectSql(
      "SELECT rank() OVER (PARTITION BY category ORDER BY amount DESC) AS r, lag(amount, 1, 0) OVER (ORDER BY transaction_ts) AS prev, sum(amount) OVER (ORDER BY transaction_ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS running FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT rank() OVER (PARTITION BY \"category\" ORDER BY \"amount\" DESC NULLS LAST) AS \"r\", lag(\"amount\", 1, 0) OVER (ORDER BY \"transaction_ts\" ASC NULLS FIRST) AS \"prev\", sum(\"amount\") OVER (ORDER BY \"transaction_ts\" ASC NULLS FIRST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS \"running\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT rank() OVER (PARTITION BY \"category\" ORDER BY \"amount\" DESC NULLS LAST) AS \"r\", lag(\"amount\", 1, 0) OVER (ORDER BY \"transaction_ts\" ASC NULLS FIRST) AS \"prev\", sum(\"amount\") OVER (ORDER BY \"transaction_ts\" ASC NULLS FIRST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS \"running\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT rank() OVER (PARTITION BY `category` ORDER BY `amount` DESC NULLS LAST) AS `r`, lag(`amount`, 1, 0) OVER (ORDER BY `transaction_ts` ASC NULLS FIRST) AS `prev`, sum(`amount`) OVER (ORDER BY `transaction_ts` ASC NULLS FIRST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS `running` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT rank() OVER (PARTITION BY `category` ORDER BY `amount` DESC NULLS LAST) AS `r`, lag(`amount`, 1, 0) OVER (ORDER BY `transaction_ts` ASC NULLS FIRST) AS `prev`, sum(`amount`) OVER (ORDER BY `transaction_ts` ASC NULLS FIRST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS `running` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT rank() OVER (PARTITION BY `category` ORDER BY `amount` DESC NULLS LAST) AS `r`, lag(`amount`, 1, 0) OVER (ORDER BY `transaction_ts` ASC NULLS FIRST) AS `prev`, sum(`amount`) OVER (ORDER BY `transaction_ts` ASC NULLS FIRST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS `running` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
});
