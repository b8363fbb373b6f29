-- The original's quarterly_merchant_top10: per quarter, the merchants whose approved revenue ranks
-- in the top 10 (dense rank, so ties share a place), from lakegate's ranking of every merchant.
CREATE VIEW original.quarterly_merchant_top10 AS
SELECT q.txn_quarter, q.quarter_label, merchant, category, txn_count, total_revenue, unique_customers, `rank`, txn_year
FROM (
  SELECT quarter,
         merchant,
         category,
         transaction_count AS txn_count,
         total_revenue,
         unique_customers,
         dense_rank() OVER (PARTITION BY txn_year, quarter ORDER BY total_revenue DESC) AS `rank`,
         txn_year
  FROM card_analytics.quarterly_merchant_ranking
) ranked
JOIN original.quarters q ON q.quarter = ranked.quarter
WHERE `rank` <= 10
