-- description: Per region and month, approved total amount and count with month-over-month growth, from the transactions.
-- param: year integer required min=1970 max=2999 "calendar year"
-- param: region string optional "one region, e.g. 서울; all regions when omitted"
SELECT region,
       concat(CAST(txn_year AS STRING), '-', lpad(CAST(txn_month AS STRING), 2, '0')) AS `month`,
       sum(amount) AS total_amount,
       count(*) AS transaction_count,
       100 * (sum(amount) - lag(sum(amount)) OVER (PARTITION BY region ORDER BY txn_month))
           / lag(sum(amount)) OVER (PARTITION BY region ORDER BY txn_month) AS mom_growth_pct
FROM card_analytics.partitioned_transactions
WHERE txn_year = :year AND approval_status = 'approved' AND region = coalesce(:region, region)
GROUP BY region, txn_year, txn_month
ORDER BY region, `month`
