import { describe, expect, it } from 'vitest';
import { translate, validateSql } from '../../src/sql/index.js';
import { catalogResolver } from './support/catalog-resolver.js';
import { expectError, expectSql } from './support/golden.js';

/** Constructs the hand-written parser reads that node-sql-parser refused: one golden test per construct and target. */
describe('translation: LATERAL VIEW, grouping sets, SEMI/ANTI joins and other analyst constructs', () => {
  it("LATERAL VIEW explode: CROSS JOIN UNNEST (Trino), a lateral unnest() (DuckDB)", () => {
    expectSql(
      "SELECT t.transaction_id, part FROM card_analytics.partitioned_transactions t LATERAL VIEW explode(split(t.card_no, '-')) parts AS part",
      {
        duckdb: "SELECT \"t\".\"transaction_id\", \"part\" FROM \"partitioned_transactions\" AS \"t\" CROSS JOIN LATERAL (SELECT unnest(regexp_split_to_array(\"t\".\"card_no\", '-')) AS \"part\") AS \"parts\"",
        trino: "SELECT \"t\".\"transaction_id\", \"part\" FROM \"partitioned_transactions\" AS \"t\" CROSS JOIN UNNEST(regexp_split(\"t\".\"card_no\", '-')) AS \"parts\"(\"part\")",
        hive: "SELECT `t`.`transaction_id`, `part` FROM `partitioned_transactions` AS `t` LATERAL VIEW explode(split(`t`.`card_no`, '-')) `parts` AS `part`",
        spark: "SELECT `t`.`transaction_id`, `part` FROM `partitioned_transactions` AS `t` LATERAL VIEW explode(split(`t`.`card_no`, '-')) `parts` AS `part`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("LATERAL VIEW posexplode: 0-based positions, from WITH ORDINALITY minus one (Trino)", () => {
    expectSql(
      "SELECT pos, part FROM card_analytics.partitioned_transactions LATERAL VIEW posexplode(split(card_no, '-')) p AS pos, part",
      {
        duckdb: "SELECT \"pos\", \"part\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" CROSS JOIN LATERAL (SELECT CAST(unnest(range(CAST(len(regexp_split_to_array(\"card_no\", '-')) AS BIGINT))) AS INTEGER) AS \"pos\", unnest(regexp_split_to_array(\"card_no\", '-')) AS \"part\") AS \"p\"",
        trino: "SELECT \"pos\", \"part\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" CROSS JOIN LATERAL (SELECT \"_lg_n\" - 1 AS \"pos\", \"_lg_v0\" AS \"part\" FROM UNNEST(regexp_split(\"card_no\", '-')) WITH ORDINALITY AS \"_lg_u\"(\"_lg_v0\", \"_lg_n\")) AS \"p\"",
        hive: "SELECT `pos`, `part` FROM `partitioned_transactions` AS `partitioned_transactions` LATERAL VIEW posexplode(split(`card_no`, '-')) `p` AS `pos`, `part`",
        spark: "SELECT `pos`, `part` FROM `partitioned_transactions` AS `partitioned_transactions` LATERAL VIEW posexplode(split(`card_no`, '-')) `p` AS `pos`, `part`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it('explode() in a select list is a LATERAL VIEW over the FROM (or over one row); with GROUP BY it is refused', () => {
    expectSql(
      "SELECT merchant, posexplode(split(card_no, '-')) AS (p, part) FROM card_analytics.partitioned_transactions",
      {
        trino: "SELECT \"merchant\", \"_gen0\".* FROM \"partitioned_transactions\" AS \"partitioned_transactions\" CROSS JOIN LATERAL (SELECT \"_lg_n\" - 1 AS \"p\", \"_lg_v0\" AS \"part\" FROM UNNEST(regexp_split(\"card_no\", '-')) WITH ORDINALITY AS \"_lg_u\"(\"_lg_v0\", \"_lg_n\")) AS \"_gen0\"",
        spark: "SELECT `merchant`, `_gen0`.* FROM `partitioned_transactions` AS `partitioned_transactions` LATERAL VIEW posexplode(split(`card_no`, '-')) `_gen0` AS `p`, `part`",
      },
    );
    expectSql("SELECT explode(split('a,b', ',')) AS region", {
      duckdb: "SELECT \"_gen0\".* FROM (SELECT 1 AS \"one\") AS \"_one\" CROSS JOIN LATERAL (SELECT unnest(regexp_split_to_array('a,b', ',')) AS \"region\") AS \"_gen0\"",
    });
    expectSql("SELECT explode(split(card_no, '-')) AS part, count(*) AS n FROM card_analytics.partitioned_transactions GROUP BY 1", { duckdb: { error: 'SQL_UNTRANSLATABLE' } });
  });
  it('ROLLUP over an expression: Trino groups sets by column references only, so it is refused there', () => {
    expectSql('SELECT region, quarter(txn_date) AS q, count(*) AS n FROM card_analytics.partitioned_transactions GROUP BY region, quarter(txn_date) WITH ROLLUP', {
      trino: { error: 'SQL_UNTRANSLATABLE' },
      duckdb: 'SELECT "region", quarter("txn_date") AS "q", count(*) AS "n" FROM "partitioned_transactions" AS "partitioned_transactions" GROUP BY GROUPING SETS (("region", quarter("txn_date")), ("region"), ())',
    });
  });
  it("LATERAL VIEW OUTER: LEFT JOIN ... ON TRUE keeps rows with an empty or NULL array", () => {
    expectSql(
      "SELECT category, part FROM card_analytics.partitioned_transactions LATERAL VIEW OUTER explode(split(sub_category, ' ')) s AS part",
      {
        duckdb: "SELECT \"category\", \"part\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" LEFT JOIN LATERAL (SELECT unnest(regexp_split_to_array(\"sub_category\", ' ')) AS \"part\") AS \"s\" ON TRUE",
        trino: "SELECT \"category\", \"part\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" LEFT JOIN UNNEST(regexp_split(\"sub_category\", ' ')) AS \"s\"(\"part\") ON TRUE",
        hive: "SELECT `category`, `part` FROM `partitioned_transactions` AS `partitioned_transactions` LATERAL VIEW OUTER explode(split(`sub_category`, ' ')) `s` AS `part`",
        spark: "SELECT `category`, `part` FROM `partitioned_transactions` AS `partitioned_transactions` LATERAL VIEW OUTER explode(split(`sub_category`, ' ')) `s` AS `part`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("LATERAL VIEW explode of a map gives key and value columns", () => {
    expectSql(
      "SELECT k, v FROM card_analytics.partitioned_transactions LATERAL VIEW explode(map('amount', amount, 'months', CAST(installment_months AS BIGINT))) kv AS k, v",
      {
        duckdb: "SELECT \"k\", \"v\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" CROSS JOIN LATERAL (SELECT unnest(map_keys(MAP(['amount', 'months'], [\"amount\", CAST(\"installment_months\" AS BIGINT)]))) AS \"k\", unnest(map_values(MAP(['amount', 'months'], [\"amount\", CAST(\"installment_months\" AS BIGINT)]))) AS \"v\") AS \"kv\"",
        trino: "SELECT \"k\", \"v\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" CROSS JOIN UNNEST(MAP(ARRAY['amount', 'months'], ARRAY[\"amount\", CAST(\"installment_months\" AS BIGINT)])) AS \"kv\"(\"k\", \"v\")",
        hive: "SELECT `k`, `v` FROM `partitioned_transactions` AS `partitioned_transactions` LATERAL VIEW explode(map('amount', `amount`, 'months', CAST(`installment_months` AS BIGINT))) `kv` AS `k`, `v`",
        spark: "SELECT `k`, `v` FROM `partitioned_transactions` AS `partitioned_transactions` LATERAL VIEW explode(map('amount', `amount`, 'months', CAST(`installment_months` AS BIGINT))) `kv` AS `k`, `v`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("Trino UNNEST WITH ORDINALITY: 1-based positions, which Hive's posexplode cannot give", () => {
    expectSql(
      "SELECT t.x, t.n FROM monthly_trend CROSS JOIN UNNEST(ARRAY[1, 2]) WITH ORDINALITY AS t(x, n)",
      {
        duckdb: "SELECT \"t\".\"x\", \"t\".\"n\" FROM \"monthly_trend\" AS \"monthly_trend\" CROSS JOIN LATERAL (SELECT unnest([1, 2]) AS \"x\", CAST(unnest(range(CAST(len([1, 2]) AS BIGINT))) AS INTEGER) + 1 AS \"n\") AS \"t\"",
        trino: "SELECT \"t\".\"x\", \"t\".\"n\" FROM \"monthly_trend\" AS \"monthly_trend\" CROSS JOIN UNNEST(ARRAY[1, 2]) WITH ORDINALITY AS \"t\"(\"x\", \"n\")",
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: { error: 'SQL_UNTRANSLATABLE' },
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("Trino LEFT JOIN UNNEST ... ON TRUE is LATERAL VIEW OUTER", () => {
    expectSql(
      "SELECT u.w FROM partitioned_transactions LEFT JOIN UNNEST(split(card_no, '-')) AS u(w) ON TRUE",
      {
        duckdb: "SELECT \"u\".\"w\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" LEFT JOIN LATERAL (SELECT unnest(regexp_split_to_array(\"card_no\", '-')) AS \"w\") AS \"u\" ON TRUE",
        trino: "SELECT \"u\".\"w\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" LEFT JOIN UNNEST(regexp_split(\"card_no\", '-')) AS \"u\"(\"w\") ON TRUE",
        hive: "SELECT `u`.`w` FROM `partitioned_transactions` AS `partitioned_transactions` LATERAL VIEW OUTER explode(split(`card_no`, '-')) `u` AS `w`",
        spark: "SELECT `u`.`w` FROM `partitioned_transactions` AS `partitioned_transactions` LATERAL VIEW OUTER explode(split(`card_no`, '-')) `u` AS `w`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("Hive GROUP BY ... GROUPING SETS and grouping()", () => {
    expectSql(
      "SELECT category, region, count(*) AS n, grouping(region) AS g FROM card_analytics.partitioned_transactions GROUP BY category, region GROUPING SETS ((category, region), (category), ())",
      {
        duckdb: "SELECT \"category\", \"region\", count(*) AS \"n\", grouping(\"region\") AS \"g\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY GROUPING SETS ((\"category\", \"region\"), (\"category\"), ())",
        trino: "SELECT \"category\", \"region\", count(*) AS \"n\", grouping(\"region\") AS \"g\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY GROUPING SETS ((\"category\", \"region\"), (\"category\"), ())",
        hive: "SELECT `category`, `region`, count(*) AS `n`, grouping(`region`) AS `g` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `category`, `region` GROUPING SETS ((`category`, `region`), (`category`), ())",
        spark: "SELECT `category`, `region`, count(*) AS `n`, grouping(`region`) AS `g` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY GROUPING SETS ((`category`, `region`), (`category`), ())",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("WITH ROLLUP and WITH CUBE expand to grouping sets", () => {
    expectSql(
      "SELECT card_type, approval_status, count(*) AS n FROM card_analytics.partitioned_transactions GROUP BY card_type, approval_status WITH CUBE",
      {
        duckdb: "SELECT \"card_type\", \"approval_status\", count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY GROUPING SETS ((\"card_type\", \"approval_status\"), (\"card_type\"), (\"approval_status\"), ())",
        trino: "SELECT \"card_type\", \"approval_status\", count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY GROUPING SETS ((\"card_type\", \"approval_status\"), (\"card_type\"), (\"approval_status\"), ())",
        hive: "SELECT `card_type`, `approval_status`, count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `card_type`, `approval_status` GROUPING SETS ((`card_type`, `approval_status`), (`card_type`), (`approval_status`), ())",
        spark: "SELECT `card_type`, `approval_status`, count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY GROUPING SETS ((`card_type`, `approval_status`), (`card_type`), (`approval_status`), ())",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("standard ROLLUP(...) combined with a plain column", () => {
    expectSql(
      "SELECT category, region, card_type, count(*) AS n FROM partitioned_transactions GROUP BY category, ROLLUP(region, card_type)",
      {
        duckdb: "SELECT \"category\", \"region\", \"card_type\", count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY GROUPING SETS ((\"category\", \"region\", \"card_type\"), (\"category\", \"region\"), (\"category\"))",
        trino: "SELECT \"category\", \"region\", \"card_type\", count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY GROUPING SETS ((\"category\", \"region\", \"card_type\"), (\"category\", \"region\"), (\"category\"))",
        hive: "SELECT `category`, `region`, `card_type`, count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `category`, `region`, `card_type` GROUPING SETS ((`category`, `region`, `card_type`), (`category`, `region`), (`category`))",
        spark: "SELECT `category`, `region`, `card_type`, count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY GROUPING SETS ((`category`, `region`, `card_type`), (`category`, `region`), (`category`))",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'spark',
    );
  });
  it("standard GROUP BY GROUPING SETS from Trino", () => {
    expectSql(
      "SELECT region, card_type, count(*) AS n FROM partitioned_transactions GROUP BY GROUPING SETS ((region), (card_type))",
      {
        duckdb: "SELECT \"region\", \"card_type\", count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY GROUPING SETS ((\"region\"), (\"card_type\"))",
        trino: "SELECT \"region\", \"card_type\", count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY GROUPING SETS ((\"region\"), (\"card_type\"))",
        hive: "SELECT `region`, `card_type`, count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `region`, `card_type` GROUPING SETS ((`region`), (`card_type`))",
        spark: "SELECT `region`, `card_type`, count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY GROUPING SETS ((`region`), (`card_type`))",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("GROUPING__ID is refused (Hive and Spark number its bits in opposite orders)", () => {
    expectSql(
      "SELECT region, GROUPING__ID AS g, count(*) AS n FROM card_analytics.partitioned_transactions GROUP BY region WITH ROLLUP",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: { error: 'SQL_UNTRANSLATABLE' },
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("LEFT SEMI JOIN: native in DuckDB, Hive, Spark, Impala; EXISTS in Trino", () => {
    expectSql(
      "SELECT d.category FROM card_analytics.daily_category_summary d LEFT SEMI JOIN card_analytics.monthly_trend m ON month(d.txn_date) = m.txn_month WHERE d.total_amount > 0",
      {
        duckdb: "SELECT \"d\".\"category\" FROM \"daily_category_summary\" AS \"d\" SEMI JOIN \"monthly_trend\" AS \"m\" ON month(\"d\".\"txn_date\") = \"m\".\"txn_month\" WHERE \"d\".\"total_amount\" > 0",
        trino: "SELECT \"d\".\"category\" FROM \"daily_category_summary\" AS \"d\" WHERE \"d\".\"total_amount\" > 0 AND EXISTS (SELECT 1 FROM \"monthly_trend\" AS \"m\" WHERE month(TRY_CAST(\"d\".\"txn_date\" AS TIMESTAMP)) = \"m\".\"txn_month\")",
        hive: "SELECT `d`.`category` FROM `daily_category_summary` AS `d` LEFT SEMI JOIN `monthly_trend` AS `m` ON month(`d`.`txn_date`) = `m`.`txn_month` WHERE `d`.`total_amount` > 0",
        spark: "SELECT `d`.`category` FROM `daily_category_summary` AS `d` LEFT SEMI JOIN `monthly_trend` AS `m` ON month(`d`.`txn_date`) = `m`.`txn_month` WHERE `d`.`total_amount` > 0",
        impala: "SELECT `d`.`category` FROM `daily_category_summary` AS `d` LEFT SEMI JOIN `monthly_trend` AS `m` ON month(CAST(`d`.`txn_date` AS TIMESTAMP)) = `m`.`txn_month` WHERE `d`.`total_amount` > 0",
      },
    );
  });
  it("LEFT ANTI JOIN: NOT EXISTS where the target has no ANTI join", () => {
    expectSql(
      "SELECT d.category FROM card_analytics.daily_category_summary d LEFT ANTI JOIN card_analytics.monthly_trend m ON month(d.txn_date) = m.txn_month",
      {
        duckdb: "SELECT \"d\".\"category\" FROM \"daily_category_summary\" AS \"d\" ANTI JOIN \"monthly_trend\" AS \"m\" ON month(\"d\".\"txn_date\") = \"m\".\"txn_month\"",
        trino: "SELECT \"d\".\"category\" FROM \"daily_category_summary\" AS \"d\" WHERE NOT EXISTS (SELECT 1 FROM \"monthly_trend\" AS \"m\" WHERE month(\"d\".\"txn_date\") = \"m\".\"txn_month\")",
        hive: "SELECT `d`.`category` FROM `daily_category_summary` AS `d` WHERE NOT EXISTS (SELECT 1 FROM `monthly_trend` AS `m` WHERE month(`d`.`txn_date`) = `m`.`txn_month`)",
        spark: "SELECT `d`.`category` FROM `daily_category_summary` AS `d` LEFT ANTI JOIN `monthly_trend` AS `m` ON month(`d`.`txn_date`) = `m`.`txn_month`",
        impala: "SELECT `d`.`category` FROM `daily_category_summary` AS `d` LEFT ANTI JOIN `monthly_trend` AS `m` ON month(CAST(`d`.`txn_date` AS TIMESTAMP)) = `m`.`txn_month`",
      },
    );
  });
  it("DuckDB SEMI JOIN", () => {
    expectSql(
      "SELECT d.category FROM daily_category_summary d SEMI JOIN monthly_trend m ON month(d.txn_date) = m.txn_month",
      {
        duckdb: "SELECT \"d\".\"category\" FROM \"daily_category_summary\" AS \"d\" SEMI JOIN \"monthly_trend\" AS \"m\" ON month(\"d\".\"txn_date\") = \"m\".\"txn_month\"",
        trino: "SELECT \"d\".\"category\" FROM \"daily_category_summary\" AS \"d\" WHERE EXISTS (SELECT 1 FROM \"monthly_trend\" AS \"m\" WHERE month(\"d\".\"txn_date\") = \"m\".\"txn_month\")",
        hive: "SELECT `d`.`category` FROM `daily_category_summary` AS `d` LEFT SEMI JOIN `monthly_trend` AS `m` ON month(`d`.`txn_date`) = `m`.`txn_month`",
        spark: "SELECT `d`.`category` FROM `daily_category_summary` AS `d` LEFT SEMI JOIN `monthly_trend` AS `m` ON month(`d`.`txn_date`) = `m`.`txn_month`",
        impala: "SELECT `d`.`category` FROM `daily_category_summary` AS `d` LEFT SEMI JOIN `monthly_trend` AS `m` ON month(CAST(`d`.`txn_date` AS TIMESTAMP)) = `m`.`txn_month`",
      },
      'duckdb',
    );
  });
  it("a RIGHT join after a SEMI join is refused (EXISTS could not keep its meaning)", () => {
    expectSql(
      "SELECT d.category FROM card_analytics.daily_category_summary d LEFT SEMI JOIN card_analytics.monthly_trend m ON month(d.txn_date) = m.txn_month RIGHT JOIN card_analytics.hourly_pattern h ON h.txn_hour = 1",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: { error: 'SQL_UNTRANSLATABLE' },
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("null-safe equality <=>", () => {
    expectSql(
      "SELECT region <=> sub_category AS same, NOT (region <=> NULL) AS known FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT \"region\" IS NOT DISTINCT FROM \"sub_category\" AS \"same\", NOT (\"region\" IS NOT DISTINCT FROM NULL) AS \"known\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT \"region\" IS NOT DISTINCT FROM \"sub_category\" AS \"same\", NOT (\"region\" IS NOT DISTINCT FROM NULL) AS \"known\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT `region` <=> `sub_category` AS `same`, NOT (`region` <=> NULL) AS `known` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT `region` <=> `sub_category` AS `same`, NOT (`region` <=> NULL) AS `known` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT `region` IS NOT DISTINCT FROM `sub_category` AS `same`, NOT (`region` IS NOT DISTINCT FROM NULL) AS `known` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("IS [NOT] DISTINCT FROM", () => {
    expectSql(
      "SELECT region IS DISTINCT FROM sub_category AS a, region IS NOT DISTINCT FROM sub_category AS b FROM partitioned_transactions",
      {
        duckdb: "SELECT \"region\" IS DISTINCT FROM \"sub_category\" AS \"a\", \"region\" IS NOT DISTINCT FROM \"sub_category\" AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT \"region\" IS DISTINCT FROM \"sub_category\" AS \"a\", \"region\" IS NOT DISTINCT FROM \"sub_category\" AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT NOT (`region` <=> `sub_category`) AS `a`, `region` <=> `sub_category` AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT NOT (`region` <=> `sub_category`) AS `a`, `region` <=> `sub_category` AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT `region` IS DISTINCT FROM `sub_category` AS `a`, `region` IS NOT DISTINCT FROM `sub_category` AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'trino',
    );
  });
  it("count(DISTINCT a, b) skips rows with a NULL: ROW values of complete rows in Trino and DuckDB", () => {
    expectSql(
      "SELECT count(DISTINCT region, sub_category) AS n FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT count(DISTINCT CASE WHEN \"region\" IS NOT NULL AND \"sub_category\" IS NOT NULL THEN ROW(\"region\", \"sub_category\") END) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT count(DISTINCT CASE WHEN \"region\" IS NOT NULL AND \"sub_category\" IS NOT NULL THEN ROW(\"region\", \"sub_category\") END) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT count(DISTINCT `region`, `sub_category`) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT count(DISTINCT `region`, `sub_category`) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("subscripts on any expression, in WHERE, GROUP BY and ORDER BY", () => {
    expectSql(
      "SELECT split(card_no, '-')[3] AS last4, count(*) AS n FROM card_analytics.partitioned_transactions WHERE split(card_no, '-')[0] = '****' GROUP BY split(card_no, '-')[3] ORDER BY split(card_no, '-')[3]",
      {
        duckdb: "SELECT regexp_split_to_array(\"card_no\", '-')[4] AS \"last4\", count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE regexp_split_to_array(\"card_no\", '-')[1] = '****' GROUP BY regexp_split_to_array(\"card_no\", '-')[4] ORDER BY regexp_split_to_array(\"card_no\", '-')[4] ASC NULLS FIRST",
        trino: "SELECT element_at(regexp_split(\"card_no\", '-'), 4) AS \"last4\", count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE element_at(regexp_split(\"card_no\", '-'), 1) = '****' GROUP BY element_at(regexp_split(\"card_no\", '-'), 4) ORDER BY element_at(regexp_split(\"card_no\", '-'), 4) ASC NULLS FIRST",
        hive: "SELECT split(`card_no`, '-')[3] AS `last4`, count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE split(`card_no`, '-')[0] = '****' GROUP BY split(`card_no`, '-')[3] ORDER BY split(`card_no`, '-')[3] ASC NULLS FIRST",
        spark: "SELECT split(`card_no`, '-')[3] AS `last4`, count(*) AS `n` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE split(`card_no`, '-')[0] = '****' GROUP BY split(`card_no`, '-')[3] ORDER BY split(`card_no`, '-')[3] ASC NULLS FIRST",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("map access, struct fields and array, map and struct values", () => {
    expectSql(
      "SELECT map('a', amount)['a'] AS m, named_struct('r', region, 'n', amount).r AS s, array(amount, 1)[1] AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT MAP(['a'], [\"amount\"])['a'] AS \"m\", struct_extract(struct_pack(\"r\" := \"region\", \"n\" := \"amount\"), 'r') AS \"s\", [\"amount\", 1][2] AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT element_at(MAP(ARRAY['a'], ARRAY[\"amount\"]), 'a') AS \"m\", CAST(ROW(\"region\", \"amount\") AS ROW(\"r\" VARCHAR, \"n\" BIGINT)).\"r\" AS \"s\", element_at(ARRAY[\"amount\", 1], 2) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT map('a', `amount`)['a'] AS `m`, named_struct('r', `region`, 'n', `amount`).`r` AS `s`, array(`amount`, 1)[1] AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT map('a', `amount`)['a'] AS `m`, named_struct('r', `region`, 'n', `amount`).`r` AS `s`, array(`amount`, 1)[1] AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("Trino subscripts are 1-based; a map key stays as written", () => {
    expectSql(
      "SELECT split(card_no, '-')[4] AS last4, MAP(ARRAY['a'], ARRAY[amount])['a'] AS m FROM partitioned_transactions",
      {
        duckdb: "SELECT regexp_split_to_array(\"card_no\", '-')[4] AS \"last4\", MAP(['a'], [\"amount\"])['a'] AS \"m\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT element_at(regexp_split(\"card_no\", '-'), 4) AS \"last4\", element_at(MAP(ARRAY['a'], ARRAY[\"amount\"]), 'a') AS \"m\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT split(`card_no`, '-')[3] AS `last4`, map('a', `amount`)['a'] AS `m` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT split(`card_no`, '-')[3] AS `last4`, map('a', `amount`)['a'] AS `m` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("TRY_CAST from Trino", () => {
    expectSql(
      "SELECT try_cast(amount AS VARCHAR) AS a, try_cast(transaction_ts AS DATE) AS b FROM partitioned_transactions",
      {
        duckdb: "SELECT TRY_CAST(\"amount\" AS VARCHAR) AS \"a\", TRY_CAST(\"transaction_ts\" AS DATE) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT TRY_CAST(\"amount\" AS VARCHAR) AS \"a\", TRY_CAST(\"transaction_ts\" AS DATE) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: "SELECT try_cast(`amount` AS STRING) AS `a`, try_cast(`transaction_ts` AS DATE) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("TRY_CAST of text to a number is refused where the target rounds", () => {
    expectSql(
      "SELECT try_cast(card_no AS BIGINT) AS a FROM partitioned_transactions",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: "SELECT TRY_CAST(\"card_no\" AS BIGINT) AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: "SELECT try_cast(`card_no` AS BIGINT) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("DuckDB * EXCLUDE: the remaining columns are listed where the target has no EXCLUDE", () => {
    expectSql(
      "SELECT * EXCLUDE (unique_cards, unique_merchants, mom_growth_pct) FROM monthly_trend",
      {
        duckdb: "SELECT * EXCLUDE (\"unique_cards\", \"unique_merchants\", \"mom_growth_pct\") FROM \"monthly_trend\" AS \"monthly_trend\"",
        trino: "SELECT \"monthly_trend\".\"txn_year\", \"monthly_trend\".\"txn_month\", \"monthly_trend\".\"transaction_count\", \"monthly_trend\".\"total_amount\", \"monthly_trend\".\"avg_amount\" FROM \"monthly_trend\" AS \"monthly_trend\"",
        hive: "SELECT `monthly_trend`.`txn_year`, `monthly_trend`.`txn_month`, `monthly_trend`.`transaction_count`, `monthly_trend`.`total_amount`, `monthly_trend`.`avg_amount` FROM `monthly_trend` AS `monthly_trend`",
        spark: "SELECT `monthly_trend`.`txn_year`, `monthly_trend`.`txn_month`, `monthly_trend`.`transaction_count`, `monthly_trend`.`total_amount`, `monthly_trend`.`avg_amount` FROM `monthly_trend` AS `monthly_trend`",
        impala: "SELECT `monthly_trend`.`txn_year`, `monthly_trend`.`txn_month`, `monthly_trend`.`transaction_count`, `monthly_trend`.`total_amount`, `monthly_trend`.`avg_amount` FROM `monthly_trend` AS `monthly_trend`",
      },
      'duckdb',
    );
  });
  it("* EXCLUDE over a derived table lists the columns its query gives", () => {
    expectSql(
      "SELECT * EXCLUDE (a) FROM (SELECT 1 AS a, 2 AS b) x",
      {
        duckdb: "SELECT * EXCLUDE (\"a\") FROM (SELECT 1 AS \"a\", 2 AS \"b\") AS \"x\"",
        trino: "SELECT \"x\".\"b\" FROM (SELECT 1 AS \"a\", 2 AS \"b\") AS \"x\"",
        hive: "SELECT `x`.`b` FROM (SELECT 1 AS `a`, 2 AS `b`) AS `x`",
        spark: "SELECT `x`.`b` FROM (SELECT 1 AS `a`, 2 AS `b`) AS `x`",
        impala: "SELECT `x`.`b` FROM (SELECT 1 AS `a`, 2 AS `b`) AS `x`",
      },
      'duckdb',
    );
  });
  it("DISTRIBUTE BY is dropped, SORT BY becomes ORDER BY", () => {
    expectSql(
      "SELECT category, amount FROM card_analytics.partitioned_transactions DISTRIBUTE BY category SORT BY amount DESC",
      {
        duckdb: "SELECT \"category\", \"amount\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" ORDER BY \"amount\" DESC NULLS LAST",
        trino: "SELECT \"category\", \"amount\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" ORDER BY \"amount\" DESC NULLS LAST",
        hive: "SELECT `category`, `amount` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `amount` DESC NULLS LAST",
        spark: "SELECT `category`, `amount` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `amount` DESC NULLS LAST",
        impala: "SELECT `category`, `amount` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `amount` DESC NULLS LAST",
      },
    );
  });
  it("CLUSTER BY x is DISTRIBUTE BY x SORT BY x", () => {
    expectSql(
      "SELECT region FROM card_analytics.partitioned_transactions CLUSTER BY region",
      {
        duckdb: "SELECT \"region\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" ORDER BY \"region\" ASC NULLS FIRST",
        trino: "SELECT \"region\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" ORDER BY \"region\" ASC NULLS FIRST",
        hive: "SELECT `region` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `region` ASC NULLS FIRST",
        spark: "SELECT `region` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `region` ASC NULLS FIRST",
        impala: "SELECT `region` FROM `partitioned_transactions` AS `partitioned_transactions` ORDER BY `region` ASC NULLS FIRST",
      },
    );
  });
  it("named windows, also as the base of an inline window", () => {
    expectSql(
      "SELECT category, sum(amount) OVER w AS s, rank() OVER (w ORDER BY amount) AS r FROM card_analytics.partitioned_transactions WINDOW w AS (PARTITION BY category)",
      {
        duckdb: "SELECT \"category\", sum(\"amount\") OVER (PARTITION BY \"category\") AS \"s\", rank() OVER (PARTITION BY \"category\" ORDER BY \"amount\" ASC NULLS FIRST) AS \"r\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT \"category\", sum(\"amount\") OVER (PARTITION BY \"category\") AS \"s\", rank() OVER (PARTITION BY \"category\" ORDER BY \"amount\" ASC NULLS FIRST) AS \"r\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT `category`, sum(`amount`) OVER (PARTITION BY `category`) AS `s`, rank() OVER (PARTITION BY `category` ORDER BY `amount` ASC NULLS FIRST) AS `r` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT `category`, sum(`amount`) OVER (PARTITION BY `category`) AS `s`, rank() OVER (PARTITION BY `category` ORDER BY `amount` ASC NULLS FIRST) AS `r` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT `category`, sum(`amount`) OVER (PARTITION BY `category`) AS `s`, rank() OVER (PARTITION BY `category` ORDER BY `amount` ASC NULLS FIRST) AS `r` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("RANGE frames with INTERVAL offsets, where the target has them", () => {
    expectSql(
      "SELECT txn_date, sum(total_amount) OVER (ORDER BY txn_date RANGE BETWEEN INTERVAL '6' DAY PRECEDING AND CURRENT ROW) AS week FROM daily_category_summary",
      {
        duckdb: "SELECT \"txn_date\", sum(\"total_amount\") OVER (ORDER BY \"txn_date\" ASC NULLS FIRST RANGE BETWEEN INTERVAL '6' DAY PRECEDING AND CURRENT ROW) AS \"week\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        trino: "SELECT \"txn_date\", sum(\"total_amount\") OVER (ORDER BY \"txn_date\" ASC NULLS FIRST RANGE BETWEEN INTERVAL '6' DAY PRECEDING AND CURRENT ROW) AS \"week\" FROM \"daily_category_summary\" AS \"daily_category_summary\"",
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: "SELECT `txn_date`, sum(`total_amount`) OVER (ORDER BY `txn_date` ASC NULLS FIRST RANGE BETWEEN INTERVAL '6' DAY PRECEDING AND CURRENT ROW) AS `week` FROM `daily_category_summary` AS `daily_category_summary`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'spark',
    );
  });
  it("QUALIFY: native in DuckDB, a derived table elsewhere", () => {
    expectSql(
      "SELECT category, amount AS a FROM partitioned_transactions QUALIFY row_number() OVER (PARTITION BY category ORDER BY a DESC) = 1 ORDER BY category",
      {
        duckdb: "SELECT \"category\", \"amount\" AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" QUALIFY row_number() OVER (PARTITION BY \"category\" ORDER BY \"a\" DESC NULLS LAST) = 1 ORDER BY \"category\" ASC NULLS LAST",
        trino: "SELECT \"category\", \"a\" FROM (SELECT \"category\", \"amount\" AS \"a\", row_number() OVER (PARTITION BY \"category\" ORDER BY \"a\" DESC NULLS LAST) = 1 AS \"_lg_qualify\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\") AS \"_lg_qualified\" WHERE \"_lg_qualify\" ORDER BY \"category\" ASC NULLS LAST",
        hive: "SELECT `category`, `a` FROM (SELECT `category`, `amount` AS `a`, row_number() OVER (PARTITION BY `category` ORDER BY `a` DESC NULLS LAST) = 1 AS `_lg_qualify` FROM `partitioned_transactions` AS `partitioned_transactions`) AS `_lg_qualified` WHERE `_lg_qualify` ORDER BY `category` ASC NULLS LAST",
        spark: "SELECT `category`, `a` FROM (SELECT `category`, `amount` AS `a`, row_number() OVER (PARTITION BY `category` ORDER BY `a` DESC NULLS LAST) = 1 AS `_lg_qualify` FROM `partitioned_transactions` AS `partitioned_transactions`) AS `_lg_qualified` WHERE `_lg_qualify` ORDER BY `category` ASC NULLS LAST",
        impala: "SELECT `category`, `a` FROM (SELECT `category`, `amount` AS `a`, row_number() OVER (PARTITION BY `category` ORDER BY `a` DESC NULLS LAST) = 1 AS `_lg_qualify` FROM `partitioned_transactions` AS `partitioned_transactions`) AS `_lg_qualified` WHERE `_lg_qualify` ORDER BY `category` ASC NULLS LAST",
      },
      'duckdb',
    );
  });
  it("GROUP BY ALL groups by the select items without aggregates", () => {
    expectSql(
      "SELECT category, region, sum(amount) AS s FROM partitioned_transactions GROUP BY ALL",
      {
        duckdb: "SELECT \"category\", \"region\", sum(\"amount\") AS \"s\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY \"category\", \"region\"",
        trino: "SELECT \"category\", \"region\", sum(\"amount\") AS \"s\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" GROUP BY \"category\", \"region\"",
        hive: "SELECT `category`, `region`, sum(`amount`) AS `s` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `category`, `region`",
        spark: "SELECT `category`, `region`, sum(`amount`) AS `s` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `category`, `region`",
        impala: "SELECT `category`, `region`, sum(`amount`) AS `s` FROM `partitioned_transactions` AS `partitioned_transactions` GROUP BY `category`, `region`",
      },
      'duckdb',
    );
  });
  it("TABLESAMPLE is refused", () => {
    expectSql(
      "SELECT * FROM card_analytics.partitioned_transactions TABLESAMPLE (10 PERCENT)",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: { error: 'SQL_UNTRANSLATABLE' },
        spark: { error: 'SQL_UNTRANSLATABLE' },
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("typed DATE and TIMESTAMP literals and :: casts", () => {
    expectSql(
      "SELECT transaction_ts::DATE AS d FROM partitioned_transactions WHERE txn_date >= DATE '2024-02-01' AND transaction_ts < TIMESTAMP '2024-03-01 00:00:00'",
      {
        duckdb: "SELECT CAST(\"transaction_ts\" AS DATE) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE \"txn_date\" >= DATE '2024-02-01' AND \"transaction_ts\" < TIMESTAMP '2024-03-01 00:00:00'",
        trino: "SELECT CAST(\"transaction_ts\" AS DATE) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE \"txn_date\" >= DATE '2024-02-01' AND \"transaction_ts\" < TIMESTAMP '2024-03-01 00:00:00'",
        hive: "SELECT CAST(`transaction_ts` AS DATE) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE `txn_date` >= DATE '2024-02-01' AND `transaction_ts` < TIMESTAMP '2024-03-01 00:00:00'",
        spark: "SELECT CAST(`transaction_ts` AS DATE) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE `txn_date` >= DATE '2024-02-01' AND `transaction_ts` < TIMESTAMP '2024-03-01 00:00:00'",
        impala: "SELECT CAST(`transaction_ts` AS DATE) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions` WHERE `txn_date` >= DATE '2024-02-01' AND `transaction_ts` < TIMESTAMP '2024-03-01 00:00:00'",
      },
      'duckdb',
    );
  });
  it("INTERSECT binds tighter than UNION; EXCEPT", () => {
    expectSql(
      "SELECT category FROM daily_category_summary EXCEPT (SELECT category FROM daily_category_summary UNION SELECT region FROM regional_analysis) INTERSECT SELECT 'x'",
      {
        duckdb: "SELECT \"category\" FROM \"daily_category_summary\" AS \"daily_category_summary\" EXCEPT ((SELECT \"category\" FROM \"daily_category_summary\" AS \"daily_category_summary\" UNION SELECT \"region\" FROM \"regional_analysis\" AS \"regional_analysis\") INTERSECT SELECT 'x')",
        trino: "SELECT \"category\" FROM \"daily_category_summary\" AS \"daily_category_summary\" EXCEPT ((SELECT \"category\" FROM \"daily_category_summary\" AS \"daily_category_summary\" UNION SELECT \"region\" FROM \"regional_analysis\" AS \"regional_analysis\") INTERSECT SELECT 'x')",
        hive: "SELECT `category` FROM `daily_category_summary` AS `daily_category_summary` EXCEPT ((SELECT `category` FROM `daily_category_summary` AS `daily_category_summary` UNION SELECT `region` FROM `regional_analysis` AS `regional_analysis`) INTERSECT SELECT 'x')",
        spark: "SELECT `category` FROM `daily_category_summary` AS `daily_category_summary` EXCEPT ((SELECT `category` FROM `daily_category_summary` AS `daily_category_summary` UNION SELECT `region` FROM `regional_analysis` AS `regional_analysis`) INTERSECT SELECT 'x')",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
      'trino',
    );
  });
  it("DuckDB // is integer division", () => {
    expectSql(
      "SELECT txn_hour // 4 AS slot FROM hourly_pattern",
      {
        duckdb: "SELECT (\"txn_hour\" // 4) AS \"slot\" FROM \"hourly_pattern\" AS \"hourly_pattern\"",
        trino: "SELECT (\"txn_hour\" / 4) AS \"slot\" FROM \"hourly_pattern\" AS \"hourly_pattern\"",
        hive: "SELECT (`txn_hour` DIV 4) AS `slot` FROM `hourly_pattern` AS `hourly_pattern`",
        spark: "SELECT (`txn_hour` DIV 4) AS `slot` FROM `hourly_pattern` AS `hourly_pattern`",
        impala: "SELECT (`txn_hour` DIV 4) AS `slot` FROM `hourly_pattern` AS `hourly_pattern`",
      },
      'duckdb',
    );
  });
});

describe('source dialects accept only their own constructs', () => {
  it.each([
    ['SELECT a FROM t LATERAL VIEW explode(x) v AS e', 'trino'],
    ['SELECT a FROM t QUALIFY row_number() OVER (ORDER BY a) = 1', 'hive'],
    ['SELECT a <=> b FROM t', 'trino'],
    ['SELECT a FROM t GROUP BY ALL', 'spark'],
    ['SELECT a FROM t DISTRIBUTE BY a', 'duckdb'],
    ['SELECT try_cast(a AS INT) FROM t', 'hive'],
    ['SELECT a FROM t LEFT SEMI JOIN u ON t.a = u.a', 'trino'],
    ['SELECT a DIV 2 FROM t', 'duckdb'],
  ] as const)('%s is a syntax error in %s', (sql, dialect) => {
    expectError(() => validateSql(sql, dialect), 'SQL_SYNTAX');
  });

  it('words that start a clause in one dialect are plain names in the others', () => {
    expect(translate({ sql: 'SELECT sort, cluster, semi, qualify FROM monthly_trend', from: 'trino', to: 'trino' }).sql).toBe(
      'SELECT "sort", "cluster", "semi", "qualify" FROM "monthly_trend" AS "monthly_trend"',
    );
    expectError(() => validateSql('SELECT sort FROM t', 'hive'), 'SQL_SYNTAX');
  });

  it('warns when DISTRIBUTE BY or SORT BY is translated', () => {
    const out = translate({ sql: 'SELECT region FROM partitioned_transactions SORT BY region', from: 'hive', to: 'duckdb', resolveTable: catalogResolver('duckdb') });
    expect(out.warnings.join(' ')).toContain('SORT BY');
  });
});

describe('parser limits', () => {
  it('reads a 400,000-term 1+1+...+1 chain in linear time without overflowing the stack, then refuses its depth', () => {
    const timed = (terms: number): number => {
      const sql = `SELECT ${Array.from({ length: terms }, () => '1').join('+')}`;
      const started = performance.now();
      expectError(() => validateSql(sql, 'hive'), 'SQL_NOT_ALLOWED');
      return performance.now() - started;
    };
    timed(50_000);
    const [small, large] = [timed(50_000), timed(400_000)];
    // 8 times the terms: about 8 times the time when linear, 64 times when quadratic (generous for a loaded machine).
    expect(large / small).toBeLessThan(32);
  }, 120_000);

  it('accepts a chain just under the depth limit', () => {
    const sql = `SELECT ${Array.from({ length: 900 }, () => 'txn_hour').join(' + ')} AS s FROM hourly_pattern`;
    expect(translate({ sql, from: 'duckdb', to: 'trino' }).sql).toContain('"txn_hour" + "txn_hour"');
  });
});
