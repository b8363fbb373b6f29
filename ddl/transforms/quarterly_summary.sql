WITH q AS (
  SELECT txn_year, 'Q' || CAST(quarter(transaction_ts) AS STRING) AS quarter,
         count(*)                AS transaction_count,
         sum(amount)             AS total_amount,
         avg(amount)             AS avg_amount,
         count(DISTINCT card_no) AS unique_cards
  FROM txn
  WHERE approval_status = 'approved' AND txn_year = :year
  GROUP BY txn_year, 'Q' || CAST(quarter(transaction_ts) AS STRING)
)
SELECT q.*,
       100 * CAST(total_amount - lag(total_amount) OVER (ORDER BY quarter) AS DOUBLE)
           / NULLIF(lag(total_amount) OVER (ORDER BY quarter), 0) AS qoq_growth_pct
FROM q
