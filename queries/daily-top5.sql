-- description: For each day, the 5 categories with the largest approved amount, ranked.
-- param: from date required "first day, inclusive (YYYY-MM-DD)"
-- param: to date required "last day, inclusive (YYYY-MM-DD)"
-- The rank is computed in a subquery and filtered outside it: a window alias cannot be filtered in
-- the SELECT that defines it.
SELECT txn_date, rnk AS `rank`, category, total_amount, transaction_count
FROM (
  SELECT txn_date, category, total_amount, transaction_count,
         row_number() OVER (PARTITION BY txn_date ORDER BY total_amount DESC, category) AS rnk
  FROM card_analytics.daily_category_summary
  WHERE txn_date BETWEEN CAST(:from AS DATE) AND CAST(:to AS DATE)
) ranked
WHERE rnk <= 5
ORDER BY txn_date, rnk
