WITH by_region_category AS (
  SELECT region, category,
         count(*)                 AS transaction_count,
         sum(amount)              AS total_amount,
         avg(amount)              AS avg_amount,
         count(DISTINCT card_no)  AS unique_cards,
         count(DISTINCT merchant) AS unique_merchants,
         100 * CAST(count(*) FILTER (WHERE card_type = '신용') AS DOUBLE) / NULLIF(count(*), 0) AS credit_ratio
  FROM txn
  WHERE approval_status = 'approved'
  GROUP BY region, category
)
SELECT g.region, g.category, g.transaction_count, g.total_amount, g.avg_amount, g.unique_cards,
       g.unique_merchants, g.credit_ratio,
       first_value(g.category) OVER (PARTITION BY g.region ORDER BY g.total_amount DESC, g.category) AS top_category
FROM by_region_category g
