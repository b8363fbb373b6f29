import { describe, it } from 'vitest';
import { expectSql } from './support/golden.js';

describe('translation: date and time functions', () => {
  it("date_format with Java patterns", () => {
    expectSql(
      "SELECT date_format(transaction_ts, 'yyyy-MM-dd HH:mm:ss') AS a, date_format(txn_date, 'yyyy-MM') AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT strftime(\"transaction_ts\", '%Y-%m-%d %H:%M:%S') AS \"a\", strftime(CAST(\"txn_date\" AS TIMESTAMP), '%Y-%m') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT date_format(\"transaction_ts\", '%Y-%m-%d %H:%i:%s') AS \"a\", date_format(CAST(\"txn_date\" AS TIMESTAMP), '%Y-%m') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT date_format(`transaction_ts`, 'yyyy-MM-dd HH:mm:ss') AS `a`, date_format(`txn_date`, 'yyyy-MM') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT date_format(`transaction_ts`, 'yyyy-MM-dd HH:mm:ss') AS `a`, date_format(`txn_date`, 'yyyy-MM') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT from_timestamp(`transaction_ts`, 'yyyy-MM-dd HH:mm:ss') AS `a`, from_timestamp(CAST(`txn_date` AS TIMESTAMP), 'yyyy-MM') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("date_format: names, 12-hour clock, milliseconds", () => {
    expectSql(
      "SELECT date_format(transaction_ts, 'EEE MMM d h a') AS a, date_format(transaction_ts, 'HH:mm:ss.SSS') AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT strftime(\"transaction_ts\", '%a %b %-d %-I %p') AS \"a\", strftime(\"transaction_ts\", '%H:%M:%S.%g') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT date_format(\"transaction_ts\", '%a %b %e %l %p') AS \"a\", format_datetime(\"transaction_ts\", 'HH:mm:ss.SSS') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT date_format(`transaction_ts`, 'EEE MMM d h a') AS `a`, date_format(`transaction_ts`, 'HH:mm:ss.SSS') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT date_format(`transaction_ts`, 'EEE MMM d h a') AS `a`, date_format(`transaction_ts`, 'HH:mm:ss.SSS') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("date_format of text parses it first", () => {
    expectSql(
      "SELECT date_format(transaction_id, 'yyyy') AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT strftime(TRY_CAST(\"transaction_id\" AS TIMESTAMP), '%Y') AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT date_format(TRY_CAST(\"transaction_id\" AS TIMESTAMP), '%Y') AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT date_format(`transaction_id`, 'yyyy') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT date_format(`transaction_id`, 'yyyy') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT from_timestamp(CAST(`transaction_id` AS TIMESTAMP), 'yyyy') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("to_date", () => {
    expectSql(
      "SELECT to_date(transaction_ts) AS a, to_date('2024-01-05 10:11:12') AS b, to_date(card_no) AS c FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CAST(\"transaction_ts\" AS DATE) AS \"a\", CAST(TIMESTAMP '2024-01-05 10:11:12' AS DATE) AS \"b\", CAST(TRY_CAST(\"card_no\" AS TIMESTAMP) AS DATE) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CAST(\"transaction_ts\" AS DATE) AS \"a\", CAST(TIMESTAMP '2024-01-05 10:11:12' AS DATE) AS \"b\", CAST(TRY_CAST(\"card_no\" AS TIMESTAMP) AS DATE) AS \"c\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT to_date(`transaction_ts`) AS `a`, to_date('2024-01-05 10:11:12') AS `b`, to_date(`card_no`) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT to_date(`transaction_ts`) AS `a`, to_date('2024-01-05 10:11:12') AS `b`, to_date(`card_no`) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CAST(`transaction_ts` AS DATE) AS `a`, CAST(CAST('2024-01-05 10:11:12' AS TIMESTAMP) AS DATE) AS `b`, CAST(CAST(`card_no` AS TIMESTAMP) AS DATE) AS `c` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("date_add and date_sub return DATEs", () => {
    expectSql(
      "SELECT date_add(txn_date, 7) AS a, date_sub(transaction_ts, installment_months) AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT (\"txn_date\" + 7) AS \"a\", (CAST(\"transaction_ts\" AS DATE) - \"installment_months\") AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT date_add('day', 7, \"txn_date\") AS \"a\", date_add('day', -\"installment_months\", CAST(\"transaction_ts\" AS DATE)) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT date_add(`txn_date`, 7) AS `a`, date_sub(`transaction_ts`, `installment_months`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT date_add(`txn_date`, 7) AS `a`, date_sub(`transaction_ts`, `installment_months`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT date_add(`txn_date`, 7) AS `a`, date_sub(CAST(`transaction_ts` AS DATE), `installment_months`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("datediff(a, b) is a - b in days", () => {
    expectSql(
      "SELECT datediff(txn_date, '2024-01-01') AS a, datediff(transaction_ts, txn_date) AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CAST(date_diff('day', DATE '2024-01-01', \"txn_date\") AS INTEGER) AS \"a\", CAST(date_diff('day', \"txn_date\", CAST(\"transaction_ts\" AS DATE)) AS INTEGER) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CAST(date_diff('day', DATE '2024-01-01', \"txn_date\") AS INTEGER) AS \"a\", CAST(date_diff('day', \"txn_date\", CAST(\"transaction_ts\" AS DATE)) AS INTEGER) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT datediff(`txn_date`, '2024-01-01') AS `a`, datediff(`transaction_ts`, `txn_date`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT datediff(`txn_date`, '2024-01-01') AS `a`, datediff(`transaction_ts`, `txn_date`) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT datediff(CAST(`txn_date` AS TIMESTAMP), CAST('2024-01-01' AS TIMESTAMP)) AS `a`, datediff(`transaction_ts`, CAST(`txn_date` AS TIMESTAMP)) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("add_months keeps Hive's last-day rule", () => {
    expectSql(
      "SELECT add_months(txn_date, 1) AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CASE WHEN last_day(\"txn_date\") = \"txn_date\" THEN last_day(CAST(\"txn_date\" + to_months(1) AS DATE)) ELSE CAST(\"txn_date\" + to_months(1) AS DATE) END AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CASE WHEN last_day_of_month(\"txn_date\") = \"txn_date\" THEN last_day_of_month(date_add('month', 1, \"txn_date\")) ELSE date_add('month', 1, \"txn_date\") END AS \"a\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT add_months(`txn_date`, 1) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT CASE WHEN last_day(`txn_date`) = to_date(`txn_date`) THEN last_day(add_months(`txn_date`, 1)) ELSE add_months(`txn_date`, 1) END AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CAST(CASE WHEN last_day(CAST(`txn_date` AS TIMESTAMP)) = trunc(CAST(`txn_date` AS TIMESTAMP), 'DD') THEN last_day(add_months(CAST(`txn_date` AS TIMESTAMP), 1)) ELSE add_months(CAST(`txn_date` AS TIMESTAMP), 1) END AS DATE) AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("last_day and trunc", () => {
    expectSql(
      "SELECT last_day(txn_date) AS a, trunc(txn_date, 'MM') AS b, trunc(transaction_ts, 'YYYY') AS c, trunc(txn_date, 'Q') AS d FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT last_day(\"txn_date\") AS \"a\", CAST(date_trunc('month', \"txn_date\") AS DATE) AS \"b\", CAST(date_trunc('year', CAST(\"transaction_ts\" AS DATE)) AS DATE) AS \"c\", CAST(date_trunc('quarter', \"txn_date\") AS DATE) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT last_day_of_month(\"txn_date\") AS \"a\", date_trunc('month', \"txn_date\") AS \"b\", date_trunc('year', CAST(\"transaction_ts\" AS DATE)) AS \"c\", date_trunc('quarter', \"txn_date\") AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT CAST(last_day(`txn_date`) AS DATE) AS `a`, CAST(trunc(`txn_date`, 'MM') AS DATE) AS `b`, CAST(trunc(to_date(`transaction_ts`), 'YEAR') AS DATE) AS `c`, CAST(add_months(trunc(`txn_date`, 'YEAR'), (quarter(`txn_date`) - 1) * 3) AS DATE) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT last_day(`txn_date`) AS `a`, trunc(`txn_date`, 'MONTH') AS `b`, trunc(to_date(`transaction_ts`), 'YEAR') AS `c`, trunc(`txn_date`, 'QUARTER') AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT CAST(last_day(CAST(`txn_date` AS TIMESTAMP)) AS DATE) AS `a`, CAST(date_trunc('month', CAST(`txn_date` AS TIMESTAMP)) AS DATE) AS `b`, CAST(date_trunc('year', CAST(CAST(`transaction_ts` AS DATE) AS TIMESTAMP)) AS DATE) AS `c`, CAST(date_trunc('quarter', CAST(`txn_date` AS TIMESTAMP)) AS DATE) AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("year, quarter, month, day, hour", () => {
    expectSql(
      "SELECT year(transaction_ts) AS y, quarter(txn_date) AS q, month(txn_date) AS m, day(transaction_ts) AS d, hour(transaction_ts) AS h, minute(transaction_id) AS mi FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT year(\"transaction_ts\") AS \"y\", quarter(\"txn_date\") AS \"q\", month(\"txn_date\") AS \"m\", day(\"transaction_ts\") AS \"d\", hour(\"transaction_ts\") AS \"h\", minute(TRY_CAST(\"transaction_id\" AS TIMESTAMP)) AS \"mi\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT year(\"transaction_ts\") AS \"y\", quarter(\"txn_date\") AS \"q\", month(\"txn_date\") AS \"m\", day(\"transaction_ts\") AS \"d\", hour(\"transaction_ts\") AS \"h\", minute(TRY_CAST(\"transaction_id\" AS TIMESTAMP)) AS \"mi\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT year(`transaction_ts`) AS `y`, quarter(`txn_date`) AS `q`, month(`txn_date`) AS `m`, day(`transaction_ts`) AS `d`, hour(`transaction_ts`) AS `h`, minute(`transaction_id`) AS `mi` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT year(`transaction_ts`) AS `y`, quarter(`txn_date`) AS `q`, month(`txn_date`) AS `m`, day(`transaction_ts`) AS `d`, hour(`transaction_ts`) AS `h`, minute(`transaction_id`) AS `mi` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT year(`transaction_ts`) AS `y`, quarter(CAST(`txn_date` AS TIMESTAMP)) AS `q`, month(CAST(`txn_date` AS TIMESTAMP)) AS `m`, day(`transaction_ts`) AS `d`, hour(`transaction_ts`) AS `h`, minute(CAST(`transaction_id` AS TIMESTAMP)) AS `mi` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("dayofweek counts Sunday as 1; weekofyear is the ISO week", () => {
    expectSql(
      "SELECT dayofweek(txn_date) AS dow, weekofyear(transaction_ts) AS w FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT (dayofweek(\"txn_date\") + 1) AS \"dow\", weekofyear(\"transaction_ts\") AS \"w\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT (day_of_week(\"txn_date\") % 7 + 1) AS \"dow\", week_of_year(\"transaction_ts\") AS \"w\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT dayofweek(`txn_date`) AS `dow`, weekofyear(`transaction_ts`) AS `w` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT dayofweek(`txn_date`) AS `dow`, weekofyear(`transaction_ts`) AS `w` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT dayofweek(CAST(`txn_date` AS TIMESTAMP)) AS `dow`, weekofyear(`transaction_ts`) AS `w` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("unix_timestamp (UTC session)", () => {
    expectSql(
      "SELECT unix_timestamp() AS a, unix_timestamp(transaction_ts) AS b, unix_timestamp(transaction_id) AS c, unix_timestamp(card_no, 'yyyyMMdd') AS d FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT CAST(floor(epoch(current_timestamp)) AS BIGINT) AS \"a\", CAST(floor(epoch(\"transaction_ts\")) AS BIGINT) AS \"b\", CAST(floor(epoch(try_strptime(\"transaction_id\", '%Y-%m-%d %H:%M:%S'))) AS BIGINT) AS \"c\", CAST(floor(epoch(try_strptime(\"card_no\", '%Y%m%d'))) AS BIGINT) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT CAST(floor(to_unixtime(current_timestamp)) AS BIGINT) AS \"a\", CAST(floor(to_unixtime(\"transaction_ts\")) AS BIGINT) AS \"b\", CAST(floor(to_unixtime(try(date_parse(\"transaction_id\", '%Y-%m-%d %H:%i:%s')))) AS BIGINT) AS \"c\", CAST(floor(to_unixtime(try(date_parse(\"card_no\", '%Y%m%d')))) AS BIGINT) AS \"d\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT unix_timestamp() AS `a`, unix_timestamp(`transaction_ts`) AS `b`, unix_timestamp(`transaction_id`) AS `c`, unix_timestamp(`card_no`, 'yyyyMMdd') AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT unix_timestamp() AS `a`, unix_timestamp(`transaction_ts`) AS `b`, unix_timestamp(`transaction_id`) AS `c`, unix_timestamp(`card_no`, 'yyyyMMdd') AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT unix_timestamp() AS `a`, unix_timestamp(`transaction_ts`) AS `b`, unix_timestamp(`transaction_id`) AS `c`, unix_timestamp(`card_no`, 'yyyyMMdd') AS `d` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("from_unixtime", () => {
    expectSql(
      "SELECT from_unixtime(amount) AS a, from_unixtime(amount, 'yyyy-MM-dd') AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT strftime(make_timestamp(CAST(\"amount\" AS BIGINT) * 1000000), '%Y-%m-%d %H:%M:%S') AS \"a\", strftime(make_timestamp(CAST(\"amount\" AS BIGINT) * 1000000), '%Y-%m-%d') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT date_format(from_unixtime(\"amount\", 'UTC'), '%Y-%m-%d %H:%i:%s') AS \"a\", date_format(from_unixtime(\"amount\", 'UTC'), '%Y-%m-%d') AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT from_unixtime(`amount`) AS `a`, from_unixtime(`amount`, 'yyyy-MM-dd') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT from_unixtime(`amount`) AS `a`, from_unixtime(`amount`, 'yyyy-MM-dd') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT from_unixtime(`amount`) AS `a`, from_unixtime(`amount`, 'yyyy-MM-dd') AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
    );
  });
  it("a pattern letter without equivalent is refused", () => {
    expectSql(
      "SELECT date_format(transaction_ts, 'w') AS a FROM card_analytics.partitioned_transactions",
      {
        duckdb: { error: 'SQL_UNTRANSLATABLE' },
        trino: { error: 'SQL_UNTRANSLATABLE' },
        hive: "SELECT date_format(`transaction_ts`, 'w') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT date_format(`transaction_ts`, 'w') AS `a` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: { error: 'SQL_UNTRANSLATABLE' },
      },
    );
  });
  it("Spark date_trunc and add_months", () => {
    expectSql(
      "SELECT date_trunc('MM', transaction_ts) AS a, add_months(txn_date, 1) AS b FROM card_analytics.partitioned_transactions",
      {
        duckdb: "SELECT date_trunc('month', CAST(\"transaction_ts\" AS TIMESTAMP)) AS \"a\", CAST(\"txn_date\" + to_months(1) AS DATE) AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        trino: "SELECT date_trunc('month', CAST(\"transaction_ts\" AS TIMESTAMP)) AS \"a\", date_add('month', 1, \"txn_date\") AS \"b\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\"",
        hive: "SELECT CAST(trunc(CAST(`transaction_ts` AS TIMESTAMP), 'MM') AS TIMESTAMP) AS `a`, date_add(add_months(trunc(`txn_date`, 'MM'), 1), least(day(`txn_date`), day(last_day(add_months(trunc(`txn_date`, 'MM'), 1)))) - 1) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        spark: "SELECT date_trunc('MONTH', CAST(`transaction_ts` AS TIMESTAMP)) AS `a`, add_months(`txn_date`, 1) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
        impala: "SELECT date_trunc('month', CAST(`transaction_ts` AS TIMESTAMP)) AS `a`, CAST(date_add(add_months(trunc(CAST(`txn_date` AS TIMESTAMP), 'MM'), 1), least(day(CAST(`txn_date` AS TIMESTAMP)), day(last_day(add_months(trunc(CAST(`txn_date` AS TIMESTAMP), 'MM'), 1)))) - 1) AS DATE) AS `b` FROM `partitioned_transactions` AS `partitioned_transactions`",
      },
      'spark',
    );
  });
  it("Trino: a string compared with a DATE or TIMESTAMP becomes a typed literal (Trino compares no date with varchar)", () => {
    expectSql(
      "SELECT count(*) AS n FROM card_analytics.partitioned_transactions WHERE txn_date = '2024-03-15' OR txn_date BETWEEN '2024-03-01' AND '2024-03-10 12:00:00' OR txn_date IN ('2024-01-01', card_no) OR transaction_ts >= '2024-06-01' OR '2024-06-01 10:00:00' < transaction_ts",
      {
        trino: "SELECT count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE \"txn_date\" = DATE '2024-03-15' OR \"txn_date\" BETWEEN DATE '2024-03-01' AND DATE '2024-03-10' OR \"txn_date\" IN (DATE '2024-01-01', CAST(TRY_CAST(\"card_no\" AS TIMESTAMP) AS DATE)) OR \"transaction_ts\" >= TIMESTAMP '2024-06-01' OR TIMESTAMP '2024-06-01 10:00:00' < \"transaction_ts\"",
        athena: "SELECT count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE \"txn_date\" = DATE '2024-03-15' OR \"txn_date\" BETWEEN DATE '2024-03-01' AND DATE '2024-03-10' OR \"txn_date\" IN (DATE '2024-01-01', CAST(TRY_CAST(\"card_no\" AS TIMESTAMP) AS DATE)) OR \"transaction_ts\" >= TIMESTAMP '2024-06-01' OR TIMESTAMP '2024-06-01 10:00:00' < \"transaction_ts\"",
        duckdb: "SELECT count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE \"txn_date\" = '2024-03-15' OR \"txn_date\" BETWEEN '2024-03-01' AND '2024-03-10 12:00:00' OR \"txn_date\" IN ('2024-01-01', \"card_no\") OR \"transaction_ts\" >= '2024-06-01' OR '2024-06-01 10:00:00' < \"transaction_ts\"",
      },
    );
  });
  it("Trino: a string that is no ISO date, or not a literal, compared with a DATE goes through the lenient cast (NULL when no date)", () => {
    expectSql(
      "SELECT count(*) AS n FROM card_analytics.partitioned_transactions WHERE txn_date < '2024-02-30' OR txn_date = card_no OR category = '2024-01-01'",
      {
        trino: "SELECT count(*) AS \"n\" FROM \"partitioned_transactions\" AS \"partitioned_transactions\" WHERE \"txn_date\" < CAST(TRY_CAST('2024-02-30' AS TIMESTAMP) AS DATE) OR \"txn_date\" = CAST(TRY_CAST(\"card_no\" AS TIMESTAMP) AS DATE) OR \"category\" = '2024-01-01'",
      },
    );
  });
});
