WITH monthly AS (
  SELECT txn_year, txn_month,
         count(*)                 AS transaction_count,
         sum(amount)              AS total_amount,
         avg(amount)              AS avg_amount,
         count(DISTINCT card_no)  AS unique_cards,
         count(DISTINCT merchant) AS unique_merchants
  FROM txn
  WHERE approval_status = 'approved'
  GROUP BY txn_year, txn_month
)
SELECT m.*,
       100 * CAST(total_amount - lag(total_amount) OVER (ORDER BY txn_year, txn_month) AS DOUBLE)
           / NULLIF(lag(total_amount) OVER (ORDER BY txn_year, txn_month), 0) AS mom_growth_pct
FROM monthly m
