-- The original's qoq_growth: per quarter, approved totals with the previous quarter's amount and
-- count and the growth over it in percent (rounded to 2 decimals; NULL for the year's first quarter).
CREATE VIEW original.qoq_growth AS
SELECT q.txn_quarter, q.quarter_label, txn_count, total_amount, unique_cards, prev_amount, prev_count,
       CASE WHEN prev_amount IS NOT NULL THEN round((total_amount - prev_amount) / prev_amount * 100, 2) END AS amount_growth_rate,
       CASE WHEN prev_count IS NOT NULL THEN round((txn_count - prev_count) / prev_count * 100, 2) END AS count_growth_rate,
       txn_year
FROM (
  SELECT quarter,
         transaction_count AS txn_count,
         total_amount,
         unique_cards,
         lag(total_amount) OVER (PARTITION BY txn_year ORDER BY quarter) AS prev_amount,
         lag(transaction_count) OVER (PARTITION BY txn_year ORDER BY quarter) AS prev_count,
         txn_year
  FROM card_analytics.quarterly_summary
) s
JOIN original.quarters q ON q.quarter = s.quarter
